-- Outbound transfers of personal data to registered third parties (clause 3.1.1).
CREATE TABLE transfers (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	party      TEXT NOT NULL,
	phone_hash BYTEA NOT NULL,
	at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX transfers_phone_idx ON transfers (phone_hash, id);
