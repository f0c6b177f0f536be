-- Requests of users to exercise their rights over their personal information (PIPL Art. 44-48,
-- clause 6): each with a deadline of 15 working days, a status and a reminder. What was asked
-- and the answer are sealed under the account key; the row itself holds only IDs and times, so
-- it stays, unreadable, as an anonymous count once the account is erased.
CREATE TABLE rights_requests (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind        TEXT NOT NULL,
	status      TEXT NOT NULL,
	sealed      BYTEA NOT NULL,
	created_at  TIMESTAMPTZ NOT NULL,
	due_at      TIMESTAMPTZ NOT NULL,
	closed_at   TIMESTAMPTZ,
	reminded_at TIMESTAMPTZ
);
CREATE INDEX rights_requests_user ON rights_requests (user_id, id);
CREATE INDEX rights_requests_open ON rights_requests (status, due_at);
