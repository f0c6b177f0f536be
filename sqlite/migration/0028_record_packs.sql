-- Records are stored in packs of up to 64 with increasing IDs (see internal/pack) instead of one
-- row each under a random-keyed (user_id, kind, version) index: a first backup of 270,000
-- records writes a few thousand rows. Whether a record is stored already is asked of an
-- in-memory map per user, read from the packs' heads; record_users.epoch changes with every
-- deletion, so that every map of the user is read again.
--
-- Existing records become packs of one, with the same IDs. A head is the record's ID (8 bytes),
-- kind (1), ident and version lengths (1 each) and payload length (4), big-endian, then the
-- ident and version.
CREATE TABLE record_packs (
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	first_id   INTEGER NOT NULL,
	last_id    INTEGER NOT NULL,
	created_at TEXT NOT NULL,
	heads      BLOB NOT NULL,
	payloads   BLOB NOT NULL,
	PRIMARY KEY (user_id, last_id),
	CHECK (first_id <= last_id AND last_id - first_id < 64)
);

INSERT INTO record_packs (user_id, first_id, last_id, created_at, heads, payloads)
SELECT user_id, id, id, created_at,
	unhex(printf('%016x%02x%02x%02x%08x', id,
		CASE kind WHEN 'contact' THEN 1 WHEN 'sms' THEN 2 WHEN 'mms' THEN 3 WHEN 'call' THEN 4 WHEN 'file' THEN 5 ELSE 0 END,
		length(ident), length(version), length(payload))) || ident || version,
	payload
FROM records ORDER BY id;

-- The next record ID, for every user: IDs are never reused, not even a deleted record's.
CREATE TABLE record_ids (next INTEGER NOT NULL);
INSERT INTO record_ids (next) SELECT MAX(
	COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'records'), 0),
	COALESCE((SELECT MAX(id) FROM records), 0)) + 1;

CREATE TABLE record_users (
	user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	epoch   INTEGER NOT NULL
);

DROP TABLE records;
