-- Legal holds (clause 1.9): an account's data kept from erasure while the law requires it.
CREATE TABLE holds (
	id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id   BIGINT NOT NULL REFERENCES users (id),
	reason    TEXT NOT NULL,
	placed_at TIMESTAMPTZ NOT NULL,
	lifted_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX holds_active_idx ON holds (user_id) WHERE lifted_at IS NULL;
