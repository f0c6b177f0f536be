package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/beifen/beifen"
)

// batchSize bounds the rows of one statement. Rows travel as arrays (unnest), so the statement
// text stays the same and its prepared plan is reused.
const batchSize = 5000

// RecordService stores backed-up records in PostgreSQL.
type RecordService struct{ db *DB }

var _ beifen.RecordService = (*RecordService)(nil)

// NewRecordService returns a RecordService on db.
func NewRecordService(db *DB) *RecordService { return &RecordService{db: db} }

// PutRecords stores the records not stored yet and sets every record's ID.
func (s *RecordService) PutRecords(ctx context.Context, recs []*beifen.Record) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for i := 0; i < len(recs); i += batchSize {
		if err := putRecords(ctx, tx, uid, recs[i:min(i+batchSize, len(recs))]); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// putRecords looks the records up before inserting, so that records already stored cost neither
// a dead tuple nor a sequence number; ON CONFLICT only covers a concurrent insert.
func putRecords(ctx context.Context, tx *Tx, uid int64, recs []*beifen.Record) error {
	ids := make(map[string]int64, len(recs))
	if err := findRecordIDs(ctx, tx, uid, recs, ids); err != nil {
		return err
	}
	var fresh []*beifen.Record
	for _, r := range recs {
		if _, ok := ids[recordKey(r)]; !ok {
			ids[recordKey(r)] = 0 // a second copy in the same batch is inserted once
			fresh = append(fresh, r)
		}
	}
	if err := insertRecords(ctx, tx, uid, fresh, ids); err != nil {
		return err
	}
	if err := findRaced(ctx, tx, uid, fresh, ids); err != nil {
		return err
	}
	for _, r := range recs {
		r.ID, r.UserID = ids[recordKey(r)], uid
	}
	return nil
}

// findRaced finds the records another transaction inserted between the look-up and the insert:
// the insert waited for it to commit and skipped them, so this statement sees them.
func findRaced(ctx context.Context, tx *Tx, uid int64, fresh []*beifen.Record, ids map[string]int64) error {
	var raced []*beifen.Record
	for _, r := range fresh {
		if ids[recordKey(r)] == 0 {
			raced = append(raced, r)
		}
	}
	if len(raced) == 0 {
		return nil
	}
	if err := findRecordIDs(ctx, tx, uid, raced, ids); err != nil {
		return err
	}
	for _, r := range raced {
		if ids[recordKey(r)] == 0 {
			return fmt.Errorf("put records: a %s record was neither inserted nor found", r.Kind)
		}
	}
	return nil
}

func recordKey(r *beifen.Record) string { return string(r.Kind) + "\x00" + string(r.Version) }

func findRecordIDs(ctx context.Context, tx *Tx, uid int64, recs []*beifen.Record, ids map[string]int64) error {
	kinds, versions := make([]string, len(recs)), make([][]byte, len(recs))
	for i, r := range recs {
		kinds[i], versions[i] = string(r.Kind), r.Version
	}
	rows, err := tx.QueryContext(ctx, `
		SELECT r.id, r.kind, r.version
		FROM unnest($2::text[], $3::bytea[]) AS u (kind, version)
		JOIN records AS r ON r.user_id = $1 AND r.kind = u.kind AND r.version = u.version`,
		uid, kinds, versions)
	if err != nil {
		return FormatError(err)
	}
	return scanRecordIDs(rows, ids)
}

func insertRecords(ctx context.Context, tx *Tx, uid int64, recs []*beifen.Record, ids map[string]int64) error {
	if len(recs) == 0 {
		return nil
	}
	kinds := make([]string, len(recs))
	idents, versions, payloads := make([][]byte, len(recs)), make([][]byte, len(recs)), make([][]byte, len(recs))
	for i, r := range recs {
		kinds[i], idents[i], versions[i], payloads[i] = string(r.Kind), r.Ident, r.Version, r.Payload
	}
	rows, err := tx.QueryContext(ctx, `
		INSERT INTO records (
			user_id,
			kind,
			ident,
			version,
			payload,
			created_at
		)
		SELECT $1::bigint, kind, ident, version, payload, $2::timestamptz
		FROM unnest($3::text[], $4::bytea[], $5::bytea[], $6::bytea[]) AS u (kind, ident, version, payload)
		ON CONFLICT (user_id, kind, version) DO NOTHING
		RETURNING id, kind, version`,
		uid, tx.now, kinds, idents, versions, payloads)
	if err != nil {
		return FormatError(err)
	}
	return scanRecordIDs(rows, ids)
}

func scanRecordIDs(rows *sql.Rows, ids map[string]int64) error {
	defer rows.Close()
	for rows.Next() {
		var id int64
		var kind string
		var version []byte
		if err := rows.Scan(&id, &kind, &version); err != nil {
			return err
		}
		ids[kind+"\x00"+string(version)] = id
	}
	return rows.Err()
}

// FindRecordsByIDs returns the context user's records with these IDs, in ID order.
func (s *RecordService) FindRecordsByIDs(ctx context.Context, ids []int64) ([]*beifen.Record, error) {
	uid, err := userID(ctx)
	if err != nil {
		return nil, err
	}
	var out []*beifen.Record
	err = scanRecords(ctx, s.db.pool, `SELECT id, user_id, kind, ident, version, payload, created_at
		FROM records WHERE user_id = $1 AND id = ANY($2::bigint[]) ORDER BY id`, []any{uid, ids},
		func(r *beifen.Record) error { out = append(out, r); return nil })
	return out, err
}

// ScanRecords calls fn for every record of the context's user, in ID order.
func (s *RecordService) ScanRecords(ctx context.Context, fn func(*beifen.Record) error) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	return scanRecords(ctx, s.db.pool, `SELECT id, user_id, kind, ident, version, payload, created_at
		FROM records WHERE user_id = $1 ORDER BY id`, []any{uid}, fn)
}

func scanRecords(ctx context.Context, q queryer, query string, args []any, fn func(*beifen.Record) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return FormatError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var r beifen.Record
		var kind string
		var created sql.NullTime
		if err := rows.Scan(&r.ID, &r.UserID, &kind, &r.Ident, &r.Version, &r.Payload, &created); err != nil {
			return err
		}
		r.Kind, r.CreatedAt = beifen.RecordKind(kind), parseTime(created)
		if err := fn(&r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// DeleteRecords erases records of the context's user from every snapshot.
func (s *RecordService) DeleteRecords(ctx context.Context, dels []beifen.RecordDeletion) (int, error) {
	uid, err := userID(ctx)
	if err != nil {
		return 0, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	// Runs are split here and planned by CreateSnapshot from what it read: a commit of the
	// same user on another replica must not plan from runs this deletion is splitting.
	if err := lockUser(ctx, tx, uid); err != nil {
		return 0, err
	}
	touched := map[int64]bool{} // the snapshots that held one of them
	for _, d := range dels {
		var kind string
		err := tx.QueryRowContext(ctx, `SELECT kind FROM records WHERE id = $1 AND user_id = $2`, d.ID, uid).Scan(&kind)
		if err == sql.ErrNoRows || (err == nil && kind != string(d.Kind)) {
			return 0, beifen.Errorf(beifen.ENOTFOUND, "Item %d not found.", d.ID)
		} else if err != nil {
			return 0, FormatError(err)
		}
		col := d.Kind.SnapshotColumn()
		rows, err := tx.QueryContext(ctx, `UPDATE snapshots SET `+col+` = `+col+` - 1, bytes = bytes - $1, revision = revision + 1
			WHERE user_id = $2 AND EXISTS (SELECT 1 FROM spans WHERE spans.user_id = $2 AND spans.kind = $3
				AND spans.first_id <= $4 AND spans.last_id >= $4 AND spans.from_snapshot <= snapshots.id
				AND (spans.to_snapshot IS NULL OR snapshots.id < spans.to_snapshot)) RETURNING id`,
			d.Bytes, uid, kind, d.ID)
		if err != nil {
			return 0, FormatError(err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return 0, err
			}
			touched[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, FormatError(err)
		}
		if err := splitRuns(ctx, tx, uid, d.Kind, d.ID); err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM records WHERE id = $1 AND user_id = $2`, d.ID, uid); err != nil {
			return 0, FormatError(err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sources WHERE user_id = $1`, uid); err != nil {
		return 0, FormatError(err)
	}
	return len(touched), tx.Commit()
}

// DeleteOrphanRecords deletes the user's records no snapshot holds, stored before then.
func (s *RecordService) DeleteOrphanRecords(ctx context.Context, before time.Time) (int, error) {
	uid, err := userID(ctx)
	if err != nil {
		return 0, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	// A commit on another replica must not open a run over a record this finds orphaned.
	if err := lockUser(ctx, tx, uid); err != nil {
		return 0, err
	}
	orphans, err := orphanRecords(ctx, tx, uid, before.UTC())
	if err != nil {
		return 0, err
	}
	if len(orphans) > 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM records WHERE user_id = $1 AND id = ANY($2::bigint[])`, uid, orphans); err != nil {
			return 0, FormatError(err)
		}
		// Sources name records by ID: one naming a deleted record must not be reused.
		if _, err := tx.ExecContext(ctx, `DELETE FROM sources WHERE user_id = $1`, uid); err != nil {
			return 0, FormatError(err)
		}
	}
	return len(orphans), tx.Commit()
}

// splitRuns takes record id of kind out of every run that holds it: each such run is replaced by
// what is left of it on either side, in the same snapshots.
func splitRuns(ctx context.Context, tx *Tx, uid int64, kind beifen.RecordKind, id int64) error {
	rows, err := tx.QueryContext(ctx, `DELETE FROM spans
		WHERE user_id = $1 AND kind = $2 AND first_id <= $3 AND last_id >= $3
		RETURNING first_id, last_id, from_snapshot, to_snapshot`, uid, string(kind), id)
	if err != nil {
		return FormatError(err)
	}
	type held struct {
		run  beifen.RecordRun
		from int64
		to   sql.NullInt64
	}
	var runs []held
	for rows.Next() {
		h := held{run: beifen.RecordRun{Kind: kind}}
		if err := rows.Scan(&h.run.First, &h.run.Last, &h.from, &h.to); err != nil {
			rows.Close()
			return err
		}
		runs = append(runs, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return FormatError(err)
	}
	for _, h := range runs {
		for _, r := range beifen.SplitRun(h.run, id) {
			if _, err := tx.ExecContext(ctx, `INSERT INTO spans (user_id, kind, first_id, last_id, from_snapshot, to_snapshot)
				VALUES ($1, $2, $3, $4, $5, $6)`, uid, string(kind), r.First, r.Last, h.from, h.to); err != nil {
				return FormatError(err)
			}
		}
	}
	return nil
}

// orphanRecords returns the IDs of the user's records stored before then that no run holds.
func orphanRecords(ctx context.Context, tx *Tx, uid int64, before time.Time) ([]int64, error) {
	runs, err := queryRuns(ctx, tx, `SELECT kind, first_id, last_id FROM spans WHERE user_id = $1`, uid)
	if err != nil {
		return nil, err
	}
	ids, err := queryIDs(ctx, tx, `SELECT id FROM records WHERE user_id = $1 AND created_at < $2 ORDER BY id`, uid, before)
	if err != nil {
		return nil, err
	}
	return beifen.Uncovered(ids, runs), nil
}
