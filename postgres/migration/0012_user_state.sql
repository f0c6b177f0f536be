-- Per-account state the user asked to keep (clause 2.2): recent searches, drafts. Sealed.
CREATE TABLE user_state (
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name       TEXT NOT NULL,
	sealed     BYTEA NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (user_id, name)
);
