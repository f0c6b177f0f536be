-- Personal-information security incidents (clause 5f) and when users and the regulator were told.
CREATE TABLE incidents (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	title       TEXT NOT NULL,
	body        TEXT NOT NULL,
	scope       TEXT NOT NULL,
	detected_at TIMESTAMPTZ NOT NULL,
	created_at  TIMESTAMPTZ NOT NULL,
	notified_at TIMESTAMPTZ,
	notified    INTEGER NOT NULL DEFAULT 0,
	reported_at TIMESTAMPTZ
);
