-- Real-name verification (clause 1.1.2): the name and ID number sealed under the account's key,
-- with who checked them and when. One row per user; withdrawing deletes it.
CREATE TABLE realnames (
	user_id     INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	sealed      BLOB NOT NULL,
	provider    TEXT NOT NULL,
	verified_at TEXT NOT NULL
);

-- A consent a guardian gave (clause 7.1): the only grant that counts for a child under 14.
ALTER TABLE consents ADD COLUMN by_guardian INTEGER NOT NULL DEFAULT 0;
