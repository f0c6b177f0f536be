-- Marketing activities with a partner (clause 3.1.5) and the sign-ups, each with its own consent.
CREATE TABLE activities (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	title       TEXT NOT NULL,
	description TEXT NOT NULL,
	partner     TEXT NOT NULL,
	ends_at     TIMESTAMPTZ NOT NULL,
	created_at  TIMESTAMPTZ NOT NULL
);
CREATE TABLE activity_signups (
	activity_id BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
	user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	consented_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (activity_id, user_id)
);
