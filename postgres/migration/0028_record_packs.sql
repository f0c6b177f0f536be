-- Records are stored in packs of up to 64 with increasing IDs (see internal/pack) instead of one
-- row each under a random-keyed (user_id, kind, version) index: a first backup of 270,000
-- records writes a few thousand rows. Whether a record is stored already is asked of an
-- in-memory map per user, read from the packs' heads; record_users.epoch changes with every
-- deletion, so that every map of the user is read again, and its row lock serializes one user's
-- stores and deletions across replicas.
--
-- Existing records become packs of one, with the same IDs. A head is the record's ID (8 bytes),
-- kind (1), ident and version lengths (1 each) and payload length (4), big-endian, then the
-- ident and version.
CREATE TABLE record_packs (
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	first_id   BIGINT NOT NULL,
	last_id    BIGINT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	heads      BYTEA NOT NULL,
	payloads   BYTEA NOT NULL,
	PRIMARY KEY (user_id, last_id),
	CHECK (first_id <= last_id AND last_id - first_id < 64)
);

INSERT INTO record_packs (user_id, first_id, last_id, created_at, heads, payloads)
SELECT user_id, id, id, created_at,
	int8send(id)
		|| set_byte('\x00'::bytea, 0, CASE kind WHEN 'contact' THEN 1 WHEN 'sms' THEN 2 WHEN 'mms' THEN 3 WHEN 'call' THEN 4 WHEN 'file' THEN 5 ELSE 0 END)
		|| set_byte('\x00'::bytea, 0, length(ident))
		|| set_byte('\x00'::bytea, 0, length(version))
		|| int4send(length(payload))
		|| ident || version,
	payload
FROM records ORDER BY id;

-- The next record ID, for every user: IDs are never reused, not even a deleted record's. The
-- sequence's last value is NULL if it never gave one.
CREATE TABLE record_ids (next BIGINT NOT NULL);
INSERT INTO record_ids (next) SELECT GREATEST(
	pg_sequence_last_value(pg_get_serial_sequence('records', 'id')::regclass),
	(SELECT MAX(id) FROM records), 0) + 1;

-- A row for every user with records, so that a deletion finds the row to lock wherever there
-- are packs; a store makes the row of a user who had none.
CREATE TABLE record_users (
	user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	epoch   BIGINT NOT NULL
);
INSERT INTO record_users (user_id, epoch)
SELECT user_id, floor(random() * 1e18)::bigint FROM (SELECT DISTINCT user_id FROM records) AS u;

DROP TABLE records;
