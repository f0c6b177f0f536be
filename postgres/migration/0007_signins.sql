-- Sign-in history (clause 1.2.2c): the network is a keyed hash of the address's prefix.
CREATE TABLE sign_ins (
	id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	at      TIMESTAMPTZ NOT NULL,
	method  TEXT NOT NULL,
	device  TEXT NOT NULL,
	network BYTEA,
	new_network BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX sign_ins_user_idx ON sign_ins (user_id, id);
