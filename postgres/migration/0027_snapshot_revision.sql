-- A snapshot's revision counts the deletions that changed its content, so that what is derived
-- from it (a conversation index) is kept per revision and none made before a deletion is served.
ALTER TABLE snapshots ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
