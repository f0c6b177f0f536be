-- Personal-information security incidents (clause 5f) and when users and the regulator were told.
CREATE TABLE incidents (
	id          INTEGER PRIMARY KEY,
	title       TEXT NOT NULL,
	body        TEXT NOT NULL,
	scope       TEXT NOT NULL,
	detected_at TEXT NOT NULL,
	created_at  TEXT NOT NULL,
	notified_at TEXT,
	notified    INTEGER NOT NULL DEFAULT 0,
	reported_at TEXT
);
