-- Presence intervals of runs of records instead of single records: every record of the user with
-- first_id <= id <= last_id (all of them of this kind) is in every snapshot S of its user with
-- from_snapshot <= S < to_snapshot (to_snapshot NULL while the run is still present). A first
-- backup of 270,000 records writes a few hundred rows instead of 270,000, each with three index
-- entries. Existing spans become runs: consecutive record IDs with the same kind and snapshots
-- join (the "gaps and islands" of record_id minus its row number).
CREATE TABLE span_runs (
	user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind          TEXT NOT NULL,
	first_id      INTEGER NOT NULL,
	last_id       INTEGER NOT NULL,
	from_snapshot INTEGER NOT NULL,
	to_snapshot   INTEGER,
	CHECK (first_id <= last_id)
);

INSERT INTO span_runs (user_id, kind, first_id, last_id, from_snapshot, to_snapshot)
SELECT user_id, kind, MIN(record_id), MAX(record_id), from_snapshot, to_snapshot
FROM (
	SELECT user_id, kind, record_id, from_snapshot, to_snapshot,
		record_id - ROW_NUMBER() OVER (PARTITION BY user_id, kind, from_snapshot, to_snapshot ORDER BY record_id) AS island
	FROM spans
) AS numbered
GROUP BY user_id, kind, from_snapshot, to_snapshot, island;

DROP TABLE spans;
ALTER TABLE span_runs RENAME TO spans;

-- The runs of the newest snapshot, in record order.
CREATE INDEX spans_open ON spans (user_id, to_snapshot, first_id);
-- In record order, all kinds or one, so a snapshot streams out without a sort.
CREATE INDEX spans_first ON spans (user_id, first_id);
CREATE INDEX spans_kind ON spans (user_id, kind, first_id);
