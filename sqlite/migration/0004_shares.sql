-- Share links to one backed-up item (clause 1.6): only the token's hash is kept; what it points
-- at is sealed under the owner's key. Every use is logged.
CREATE TABLE shares (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	token_hash BLOB NOT NULL UNIQUE,
	kind       TEXT NOT NULL,
	sealed     BLOB NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	revoked_at TEXT
);
CREATE INDEX shares_user_idx ON shares (user_id, id);
CREATE TABLE share_access (
	share_id INTEGER NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
	at       TEXT NOT NULL
);
CREATE INDEX share_access_idx ON share_access (share_id, at);
