-- Outbound transfers of personal data to registered third parties (clause 3.1.1).
CREATE TABLE transfers (
	id         INTEGER PRIMARY KEY,
	party      TEXT NOT NULL,
	phone_hash BLOB NOT NULL,
	at         TEXT NOT NULL
);
CREATE INDEX transfers_phone_idx ON transfers (phone_hash, id);
