-- Push tokens of signed-in devices (clause 3.1.2e): one per session or API token, deleted with
-- it (sign-out, revocation, erasure of the account). The token is kept sealed, and as a keyed
-- hash to find the same phone registering again. (Carrier one-click sign-in, clause 1.1.1f,
-- stores nothing of its own: it signs in like a texted code.)
CREATE TABLE push_devices (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	session_id BIGINT NOT NULL UNIQUE REFERENCES tokens (id) ON DELETE CASCADE,
	maker      TEXT NOT NULL,
	token_hash BYTEA NOT NULL UNIQUE,
	sealed     BYTEA NOT NULL,
	created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX push_devices_user_id ON push_devices (user_id);
