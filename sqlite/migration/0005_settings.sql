-- The platform's own settings, shared by every replica (the shutdown of clause 6.7, for one).
CREATE TABLE settings (
	name       TEXT PRIMARY KEY,
	value      BLOB NOT NULL,
	updated_at TEXT NOT NULL
);
