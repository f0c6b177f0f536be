-- Marketing activities with a partner (clause 3.1.5) and the sign-ups, each with its own consent.
CREATE TABLE activities (
	id          INTEGER PRIMARY KEY,
	title       TEXT NOT NULL,
	description TEXT NOT NULL,
	partner     TEXT NOT NULL,
	ends_at     TEXT NOT NULL,
	created_at  TEXT NOT NULL
);
CREATE TABLE activity_signups (
	activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
	user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	consented_at TEXT NOT NULL,
	PRIMARY KEY (activity_id, user_id)
);
