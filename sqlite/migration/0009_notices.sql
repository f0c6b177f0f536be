-- The notification centre (clause 1.1.3): service notices and marketing messages per recipient.
CREATE TABLE notices (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind       TEXT NOT NULL,
	title      TEXT NOT NULL,
	body       TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX notices_user_idx ON notices (user_id, id);
