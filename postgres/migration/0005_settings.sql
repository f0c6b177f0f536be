-- The platform's own settings, shared by every replica (the shutdown of clause 6.7, for one).
CREATE TABLE settings (
	name       TEXT PRIMARY KEY,
	value      BYTEA NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);
