-- Per-account state the user asked to keep (clause 2.2): recent searches, drafts. Sealed.
CREATE TABLE user_state (
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name       TEXT NOT NULL,
	sealed     BLOB NOT NULL,
	updated_at TEXT NOT NULL,
	PRIMARY KEY (user_id, name)
);
