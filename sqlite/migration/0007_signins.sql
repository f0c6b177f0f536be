-- Sign-in history (clause 1.2.2c): the network is a keyed hash of the address's prefix.
CREATE TABLE sign_ins (
	id      INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	at      TEXT NOT NULL,
	method  TEXT NOT NULL,
	device  TEXT NOT NULL,
	network BLOB,
	new_network INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sign_ins_user_idx ON sign_ins (user_id, id);
