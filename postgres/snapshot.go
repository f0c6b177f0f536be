package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/internal/pack"
)

// SnapshotService stores snapshots in PostgreSQL as presence intervals ("spans") of runs of records.
type SnapshotService struct{ db *DB }

var _ beifen.SnapshotService = (*SnapshotService)(nil)

// NewSnapshotService returns a SnapshotService on db.
func NewSnapshotService(db *DB) *SnapshotService { return &SnapshotService{db: db} }

// FindSnapshotByID returns ENOTFOUND if the snapshot does not exist or is not the user's.
func (s *SnapshotService) FindSnapshotByID(ctx context.Context, id int64) (*beifen.Snapshot, error) {
	snaps, _, err := s.FindSnapshots(ctx, beifen.SnapshotFilter{ID: &id})
	if err != nil {
		return nil, err
	} else if len(snaps) == 0 {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "Snapshot not found.")
	}
	return snaps[0], nil
}

// FindSnapshots returns the user's snapshots, newest first.
func (s *SnapshotService) FindSnapshots(ctx context.Context, f beifen.SnapshotFilter) ([]*beifen.Snapshot, int, error) {
	uid, err := userID(ctx)
	if err != nil {
		return nil, 0, err
	}
	where, args := "user_id = $1", []any{uid}
	if f.ID != nil {
		where, args = where+" AND id = $2", append(args, *f.ID)
	}
	var limit any // NULL is no limit
	if f.Limit > 0 {
		limit = f.Limit
	}
	n := len(args)
	rows, err := s.db.pool.QueryContext(ctx, `
		SELECT
			id,
			user_id,
			created_at,
			contacts,
			messages,
			calls,
			files,
			bytes,
			new_blobs,
			new_bytes,
			skipped,
			revision,
			COUNT(*) OVER ()
		FROM snapshots WHERE `+where+fmt.Sprintf(` ORDER BY id DESC LIMIT $%d OFFSET $%d`, n+1, n+2),
		append(args, limit, f.Offset)...)
	if err != nil {
		return nil, 0, FormatError(err)
	}
	defer rows.Close()
	var snaps []*beifen.Snapshot
	n = 0
	for rows.Next() {
		var sn beifen.Snapshot
		var created sql.NullTime
		if err := rows.Scan(&sn.ID, &sn.UserID, &created, &sn.Contacts, &sn.Messages, &sn.Calls,
			&sn.Files, &sn.Bytes, &sn.NewBlobs, &sn.NewBytes, &sn.Skipped, &sn.Revision, &n); err != nil {
			return nil, 0, err
		}
		sn.CreatedAt = parseTime(created)
		snaps = append(snaps, &sn)
	}
	return snaps, n, rows.Err()
}

// CreateSnapshot commits s with exactly recordIDs (sorted, distinct) in one transaction.
func (s *SnapshotService) CreateSnapshot(ctx context.Context, sn *beifen.Snapshot, recordIDs []int64) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := lockUser(ctx, tx, uid); err != nil {
		return err
	}
	sn.UserID, sn.CreatedAt = uid, tx.now
	if err := insertSnapshot(ctx, tx, sn); err != nil {
		return err
	}
	open, err := openRuns(ctx, tx, uid)
	if err != nil {
		return err
	}
	closed, reopen, fresh := beifen.PlanRuns(open, recordIDs)
	if err := closeRuns(ctx, tx, uid, sn.ID, closed); err != nil {
		return err
	}
	runs, err := freshRuns(ctx, tx, uid, fresh)
	if err != nil {
		return err
	}
	if err := insertRuns(ctx, tx, uid, sn.ID, beifen.MergeRuns(append(reopen, runs...))); err != nil {
		return err
	}
	if err := countSnapshot(ctx, tx, uid, sn); err != nil {
		return err
	}
	if err := claimBlobs(ctx, tx, uid, sn); err != nil {
		return err
	}
	return tx.Commit()
}

// lockUser serialises the snapshots of one user across processes: two replicas committing at
// once would otherwise both read the same open spans and diff against a stale set. NO KEY
// UPDATE, unlike UPDATE, lets other transactions go on inserting rows that refer to the user.
func lockUser(ctx context.Context, tx *Tx, uid int64) error {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE`, uid).Scan(&id)
	if err == sql.ErrNoRows {
		return beifen.Errorf(beifen.ENOTFOUND, "User not found.")
	}
	return FormatError(err)
}

// countSnapshot sets the snapshot's counts from its open runs.
func countSnapshot(ctx context.Context, tx *Tx, uid int64, sn *beifen.Snapshot) error {
	rows, err := tx.QueryContext(ctx, `SELECT kind, SUM(last_id - first_id + 1) FROM spans
		WHERE user_id = $1 AND to_snapshot IS NULL GROUP BY kind`, uid)
	if err != nil {
		return FormatError(err)
	}
	defer rows.Close()
	sn.Contacts, sn.Messages, sn.Calls, sn.Files = 0, 0, 0, 0
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			return err
		}
		switch beifen.RecordKind(kind) {
		case beifen.KindContact:
			sn.Contacts = n
		case beifen.KindSMS, beifen.KindMMS:
			sn.Messages += n
		case beifen.KindCall:
			sn.Calls = n
		case beifen.KindFile:
			sn.Files = n
		}
	}
	return rows.Err()
}

func insertSnapshot(ctx context.Context, tx *Tx, sn *beifen.Snapshot) error {
	err := tx.QueryRowContext(ctx, `
		INSERT INTO snapshots (
			user_id,
			created_at,
			contacts,
			messages,
			calls,
			files,
			bytes,
			new_blobs,
			new_bytes,
			skipped
		) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 0, $8) RETURNING id`,
		sn.UserID, sn.CreatedAt, sn.Contacts, sn.Messages, sn.Calls, sn.Files, sn.Bytes, sn.Skipped,
	).Scan(&sn.ID)
	return FormatError(err)
}

// openRuns returns the user's runs present in the newest snapshot, by first ID.
func openRuns(ctx context.Context, tx *Tx, uid int64) ([]beifen.RecordRun, error) {
	return queryRuns(ctx, tx, `SELECT kind, first_id, last_id FROM spans
		WHERE user_id = $1 AND to_snapshot IS NULL ORDER BY first_id`, uid)
}

// queryRuns runs a query of kind, first_id and last_id, and returns them as runs.
func queryRuns(ctx context.Context, q queryer, query string, args ...any) ([]beifen.RecordRun, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	var runs []beifen.RecordRun
	for rows.Next() {
		var r beifen.RecordRun
		if err := rows.Scan(&r.Kind, &r.First, &r.Last); err != nil {
			return nil, err
		}
		runs = append(runs, r)
	}
	return runs, rows.Err()
}

// closeRuns ends the open runs that start at these IDs with snapshot snapID.
func closeRuns(ctx context.Context, tx *Tx, uid, snapID int64, firsts []int64) error {
	if len(firsts) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE spans SET to_snapshot = $1
		WHERE user_id = $2 AND to_snapshot IS NULL AND first_id = ANY($3::bigint[])`, snapID, uid, firsts)
	return FormatError(err)
}

// freshRuns reads the kinds of records no open run holds and returns them as runs. Finding each
// of them among the user's records also proves they are the user's. A backup's new records
// mostly have consecutive IDs, read from a few packs.
func freshRuns(ctx context.Context, tx *Tx, uid int64, ids []int64) ([]beifen.RecordRun, error) {
	return pack.KindRuns(ids, readPacks(ctx, tx, uid, false))
}

// insertRuns opens runs from snapshot snapID.
func insertRuns(ctx context.Context, tx *Tx, uid, snapID int64, runs []beifen.RecordRun) error {
	if len(runs) == 0 {
		return nil
	}
	kinds, firsts, lasts := make([]string, len(runs)), make([]int64, len(runs)), make([]int64, len(runs))
	for i, r := range runs {
		kinds[i], firsts[i], lasts[i] = string(r.Kind), r.First, r.Last
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO spans (user_id, kind, first_id, last_id, from_snapshot)
		SELECT $1, u.kind, u.first_id, u.last_id, $2
		FROM unnest($3::text[], $4::bigint[], $5::bigint[]) AS u (kind, first_id, last_id)`,
		uid, snapID, kinds, firsts, lasts)
	return FormatError(err)
}

// claimBlobs claims and counts in one statement, so that a blob registered meanwhile by another
// replica is either claimed and counted or left for the next snapshot.
func claimBlobs(ctx context.Context, tx *Tx, uid int64, sn *beifen.Snapshot) error {
	err := tx.QueryRowContext(ctx, `
		WITH claimed AS (
			UPDATE blobs SET snapshot_id = $1 WHERE user_id = $2 AND snapshot_id = 0 RETURNING size
		)
		SELECT COUNT(*), COALESCE(SUM(size), 0) FROM claimed`, sn.ID, uid).Scan(&sn.NewBlobs, &sn.NewBytes)
	if err != nil {
		return FormatError(err)
	}
	_, err = tx.ExecContext(ctx, `UPDATE snapshots SET
			contacts = $1, messages = $2, calls = $3, files = $4, new_blobs = $5, new_bytes = $6
		WHERE id = $7`, sn.Contacts, sn.Messages, sn.Calls, sn.Files, sn.NewBlobs, sn.NewBytes, sn.ID)
	return FormatError(err)
}

// A snapshot is read run by run from the packs that hold each run, in one read transaction: the
// records come in ID order without a sort (pack.WalkRuns checks that order and each kind).

// SnapshotRecords calls fn for each record of kind in snapshot id, in ID order.
func (s *SnapshotService) SnapshotRecords(ctx context.Context, id int64, kind beifen.RecordKind, fn func(*beifen.Record) error) error {
	r := beifen.Record{UserID: beifen.UserIDFromContext(ctx)}
	return s.walk(ctx, id, kind, func(e *pack.Entry) error {
		r.ID, r.Kind, r.Version, r.Payload = e.ID, e.Kind, e.Version, e.Payload
		return fn(&r)
	})
}

// SnapshotRefs returns the refs of every record in snapshot id, in ID order.
func (s *SnapshotService) SnapshotRefs(ctx context.Context, id int64) ([]beifen.RecordRef, error) {
	var refs []beifen.RecordRef
	err := s.walk(ctx, id, "", func(e *pack.Entry) error {
		refs = append(refs, beifen.RecordRef{ID: e.ID, Kind: e.Kind, Ident: e.Ident, Version: e.Version})
		return nil
	})
	return refs, err
}

// walk calls fn for each record of kind ("" for all kinds, read without payloads) in snapshot id.
func (s *SnapshotService) walk(ctx context.Context, id int64, kind beifen.RecordKind, fn func(*pack.Entry) error) error {
	if _, err := s.FindSnapshotByID(ctx, id); err != nil {
		return err
	}
	uid, _ := userID(ctx)
	// One read transaction: every run and its records as of the same moment.
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	runs, err := snapshotRuns(ctx, tx, uid, id, kind)
	if err != nil {
		return err
	}
	return pack.WalkRuns(runs, readPacks(ctx, tx, uid, kind != ""), fn)
}

// snapshotRuns returns the runs of records of kind ("" for all kinds) in snapshot id, by first ID.
func snapshotRuns(ctx context.Context, q queryer, uid, id int64, kind beifen.RecordKind) ([]beifen.RecordRun, error) {
	if kind == "" {
		return queryRuns(ctx, q, `SELECT kind, first_id, last_id FROM spans
			WHERE user_id = $1 AND from_snapshot <= $2 AND (to_snapshot IS NULL OR to_snapshot > $2)
			ORDER BY first_id`, uid, id)
	}
	return queryRuns(ctx, q, `SELECT kind, first_id, last_id FROM spans
		WHERE user_id = $1 AND kind = $3 AND from_snapshot <= $2 AND (to_snapshot IS NULL OR to_snapshot > $2)
		ORDER BY first_id`, uid, id, string(kind))
}
