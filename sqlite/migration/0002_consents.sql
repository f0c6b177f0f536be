-- The consent ledger (clauses 1.8, 6.2): appended to, never updated; the newest entry per
-- purpose is in force.
CREATE TABLE consents (
	id             INTEGER PRIMARY KEY,
	user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	purpose        TEXT NOT NULL,
	granted        INTEGER NOT NULL,
	policy_version TEXT NOT NULL DEFAULT '',
	at             TEXT NOT NULL
);
CREATE INDEX consents_user_idx ON consents (user_id, id);
