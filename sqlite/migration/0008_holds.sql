-- Legal holds (clause 1.9): an account's data kept from erasure while the law requires it.
CREATE TABLE holds (
	id        INTEGER PRIMARY KEY,
	user_id   INTEGER NOT NULL REFERENCES users (id),
	reason    TEXT NOT NULL,
	placed_at TEXT NOT NULL,
	lifted_at TEXT
);
CREATE UNIQUE INDEX holds_active_idx ON holds (user_id) WHERE lifted_at IS NULL;
