-- Requests of users to exercise their rights over their personal information (PIPL Art. 44-48,
-- clause 6): each with a deadline of 15 working days, a status and a reminder. What was asked
-- and the answer are sealed under the account key; the row itself holds only IDs and times, so
-- it stays, unreadable, as an anonymous count once the account is erased.
CREATE TABLE rights_requests (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind        TEXT NOT NULL,
	status      TEXT NOT NULL,
	sealed      BLOB NOT NULL,
	created_at  TEXT NOT NULL,
	due_at      TEXT NOT NULL,
	closed_at   TEXT,
	reminded_at TEXT
);
CREATE INDEX rights_requests_user ON rights_requests (user_id, id);
CREATE INDEX rights_requests_open ON rights_requests (status, due_at);
