-- Share links to one backed-up item (clause 1.6): only the token's hash is kept; what it points
-- at is sealed under the owner's key. Every use is logged.
CREATE TABLE shares (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	token_hash BYTEA NOT NULL UNIQUE,
	kind       TEXT NOT NULL,
	sealed     BYTEA NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL,
	revoked_at TIMESTAMPTZ
);
CREATE INDEX shares_user_idx ON shares (user_id, id);
CREATE TABLE share_access (
	share_id BIGINT NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
	at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX share_access_idx ON share_access (share_id, at);
