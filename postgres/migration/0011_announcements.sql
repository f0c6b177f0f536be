-- Moderation announcements (clause 3.3): the only public statement about any account, naming it by
-- its public name.
CREATE TABLE announcements (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id     BIGINT REFERENCES users (id) ON DELETE SET NULL,
	public_name TEXT NOT NULL,
	text        TEXT NOT NULL,
	created_at  TIMESTAMPTZ NOT NULL
);
