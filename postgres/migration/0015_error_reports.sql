-- Crash, error and slowness reports from clients (clause 1.2.2b), de-identified and counted.
CREATE TABLE error_reports (
	signature  TEXT PRIMARY KEY,
	kind       TEXT NOT NULL,
	app        TEXT NOT NULL,
	location   TEXT NOT NULL,
	message    TEXT NOT NULL,
	count      INTEGER NOT NULL,
	first_seen TIMESTAMPTZ NOT NULL,
	last_seen  TIMESTAMPTZ NOT NULL
);
