-- The audit logs as one Merkle tree (RFC 6962, golang.org/x/mod/sumdb/tlog) with signed
-- checkpoints, so an entry removed from the end of the log is detected too. Each entry appended
-- from now on takes the next leaf; entries from before have no leaf and are covered by their
-- scope's hash chain only.
ALTER TABLE audit ADD COLUMN leaf INTEGER;
CREATE UNIQUE INDEX audit_leaf ON audit (leaf);

-- The tree's stored hashes, by tlog's storage index.
CREATE TABLE audit_tree (
	idx  INTEGER PRIMARY KEY,
	hash BLOB NOT NULL
);

-- The newest signed checkpoint (a signed note naming the tree's size and root hash).
CREATE TABLE audit_checkpoint (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	size INTEGER NOT NULL,
	note BLOB NOT NULL
);
