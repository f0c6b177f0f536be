package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/beifen/beifen"
)

// batchSize bounds the rows of one multi-row statement.
const batchSize = 500

// RecordService stores backed-up records in SQLite.
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

// putRecords inserts first and looks up only the records that were already there: a first
// backup is all new, and SQLite's ON CONFLICT DO NOTHING leaves nothing behind.
func putRecords(ctx context.Context, tx *Tx, uid int64, recs []*beifen.Record) error {
	ids := make(map[string]int64, len(recs))
	args := make([]any, 0, 6*len(recs))
	var keys []string
	now := formatTime(tx.now) // once: per row it cost about 0.1 of the writer's 2-3 CPU-seconds
	for _, r := range recs {
		key := recordKey(r.Kind, r.Version)
		if _, ok := ids[key]; ok {
			continue // a second copy in the same batch is inserted once
		}
		ids[key] = 0
		keys = append(keys, key)
		args = append(args, uid, string(r.Kind), r.Ident, r.Version, r.Payload, now)
	}
	if err := insertRecords(ctx, tx, uid, keys, args, ids); err != nil {
		return err
	}
	var existing []*beifen.Record
	for _, r := range recs {
		if ids[recordKey(r.Kind, r.Version)] == 0 {
			existing = append(existing, r)
		}
	}
	if len(existing) > 0 {
		if err := findRecordIDs(ctx, tx, uid, existing, ids); err != nil {
			return err
		}
	}
	for _, r := range recs {
		r.ID, r.UserID = ids[recordKey(r.Kind, r.Version)], uid
	}
	return nil
}

func recordKey(kind beifen.RecordKind, version []byte) string {
	return string(kind) + "\x00" + string(version)
}

// findRecordIDs looks the batch's versions up kind by kind, so that the (user_id, kind, version)
// index serves every probe.
func findRecordIDs(ctx context.Context, tx *Tx, uid int64, recs []*beifen.Record, ids map[string]int64) error {
	byKind := map[beifen.RecordKind][]any{}
	for _, r := range recs {
		byKind[r.Kind] = append(byKind[r.Kind], r.Version)
	}
	for kind, versions := range byKind {
		rows, err := tx.QueryContext(ctx, `SELECT id, kind, version FROM records
			WHERE user_id = ? AND kind = ? AND version IN (`+placeholders(len(versions))+`)`,
			append([]any{uid, string(kind)}, versions...)...)
		if err != nil {
			return FormatError(err)
		}
		if _, err := scanRecordIDs(rows, ids); err != nil {
			return err
		}
	}
	return nil
}

// insertRecords inserts the rows not stored yet and, when all of them were new (as in a first
// backup), sets their IDs: SQLite numbers the rows of one INSERT one after another in VALUES order,
// ending at the last insert rowid. The first and last row are read back to confirm it. Otherwise
// the IDs stay 0 and the caller looks every row up by version. (RETURNING would give the IDs of
// the new rows directly, at about a fifth of the cost of the INSERT.)
func insertRecords(ctx context.Context, tx *Tx, uid int64, keys []string, args []any, ids map[string]int64) error {
	st, err := tx.prepared(ctx, insertRecordsQuery(len(keys)))
	if err != nil {
		return err
	}
	res, err := st.ExecContext(ctx, args...)
	if err != nil {
		return FormatError(err)
	}
	n, err := res.RowsAffected()
	if err != nil || n != int64(len(keys)) || n == 0 {
		return err
	}
	last, err := res.LastInsertId()
	if err != nil {
		return err
	}
	first := last - n + 1
	for _, c := range []struct {
		id      int64
		version any
	}{{first, args[3]}, {last, args[len(args)-3]}} {
		var version []byte
		err := tx.QueryRowContext(ctx, `SELECT version FROM records WHERE id = ? AND user_id = ?`, c.id, uid).Scan(&version)
		if err == sql.ErrNoRows || (err == nil && !bytes.Equal(version, c.version.([]byte))) {
			return nil
		} else if err != nil {
			return FormatError(err)
		}
	}
	for i, key := range keys {
		ids[key] = first + int64(i)
	}
	return nil
}

func insertRecordsQuery(n int) string {
	return `
		INSERT INTO records (
			user_id,
			kind,
			ident,
			version,
			payload,
			created_at
		) VALUES ` + repeatTuple("(?, ?, ?, ?, ?, ?)", n) + `
		ON CONFLICT (user_id, kind, version) DO NOTHING`
}

func scanRecordIDs(rows *sql.Rows, ids map[string]int64) (map[string]int64, error) {
	defer rows.Close()
	for rows.Next() {
		var id int64
		var kind string
		var version []byte
		if err := rows.Scan(&id, &kind, &version); err != nil {
			return nil, err
		}
		ids[recordKey(beifen.RecordKind(kind), version)] = id
	}
	return ids, rows.Err()
}

// FindRecordsByIDs returns the context user's records with these IDs, in ID order.
func (s *RecordService) FindRecordsByIDs(ctx context.Context, ids []int64) ([]*beifen.Record, error) {
	uid, err := userID(ctx)
	if err != nil {
		return nil, err
	}
	var out []*beifen.Record
	for i := 0; i < len(ids); i += batchSize {
		batch := ids[i:min(i+batchSize, len(ids))]
		args := []any{uid}
		for _, id := range batch {
			args = append(args, id)
		}
		err := scanRecords(ctx, s.db.read, `SELECT id, user_id, kind, ident, version, payload, created_at
			FROM records WHERE +user_id = ? AND id IN (`+placeholders(len(batch))+`) ORDER BY id`, args,
			func(r *beifen.Record) error { out = append(out, r); return nil })
		if err != nil {
			return nil, err
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// ScanRecords calls fn for every record of the context's user, in ID order.
func (s *RecordService) ScanRecords(ctx context.Context, fn func(*beifen.Record) error) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	return scanRecords(ctx, s.db.read, `SELECT id, user_id, kind, ident, version, payload, created_at
		FROM records WHERE user_id = ? ORDER BY id`, []any{uid}, fn)
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
		var created sql.NullString
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

// execIn runs query, whose "%s" takes a list of placeholders, over items in lists of batchSize,
// with args before each list, in one transaction: all of them or none.
func execIn[T any](ctx context.Context, db *DB, query string, args []any, items []T) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for i := 0; i < len(items); i += batchSize {
		batch := items[i:min(i+batchSize, len(items))]
		a := slices.Clone(args)
		for _, it := range batch {
			a = append(a, it)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(query, placeholders(len(batch))), a...); err != nil {
			return FormatError(err)
		}
	}
	return tx.Commit()
}

// repeatTuple returns n copies of tuple joined by commas.
func repeatTuple(tuple string, n int) string {
	b := make([]byte, 0, n*(len(tuple)+2))
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, tuple...)
	}
	return string(b)
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
	touched := map[int64]bool{} // the snapshots that held one of them
	for _, d := range dels {
		var kind string
		err := tx.QueryRowContext(ctx, `SELECT kind FROM records WHERE id = ? AND user_id = ?`, d.ID, uid).Scan(&kind)
		if err == sql.ErrNoRows || (err == nil && kind != string(d.Kind)) {
			return 0, beifen.Errorf(beifen.ENOTFOUND, "Item %d not found.", d.ID)
		} else if err != nil {
			return 0, FormatError(err)
		}
		col := d.Kind.SnapshotColumn()
		const holds = `spans.user_id = ? AND spans.kind = ? AND spans.first_id <= ? AND spans.last_id >= ?`
		rows, err := tx.QueryContext(ctx, `UPDATE snapshots SET `+col+` = `+col+` - 1, bytes = bytes - ?, revision = revision + 1
			WHERE user_id = ? AND EXISTS (SELECT 1 FROM spans WHERE `+holds+` AND spans.from_snapshot <= snapshots.id
				AND (spans.to_snapshot IS NULL OR snapshots.id < spans.to_snapshot)) RETURNING id`,
			d.Bytes, uid, uid, kind, d.ID, d.ID)
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
		if _, err := tx.ExecContext(ctx, `DELETE FROM records WHERE id = ? AND user_id = ?`, d.ID, uid); err != nil {
			return 0, FormatError(err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sources WHERE user_id = ?`, uid); err != nil {
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
	orphans, err := orphanRecords(ctx, tx, uid, formatTime(before))
	if err != nil {
		return 0, err
	}
	n := len(orphans)
	for i := 0; i < len(orphans); i += batchSize {
		batch := orphans[i:min(i+batchSize, len(orphans))]
		args := []any{uid}
		for _, id := range batch {
			args = append(args, id)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM records WHERE user_id = ? AND id IN (`+placeholders(len(batch))+`)`, args...); err != nil {
			return 0, FormatError(err)
		}
	}
	if n > 0 { // sources name records by ID: one naming a deleted record must not be reused
		if _, err := tx.ExecContext(ctx, `DELETE FROM sources WHERE user_id = ?`, uid); err != nil {
			return 0, FormatError(err)
		}
	}
	return n, tx.Commit()
}

// splitRuns takes record id of kind out of every run that holds it: each such run is replaced by
// what is left of it on either side, in the same snapshots.
func splitRuns(ctx context.Context, tx *Tx, uid int64, kind beifen.RecordKind, id int64) error {
	rows, err := tx.QueryContext(ctx, `DELETE FROM spans
		WHERE user_id = ? AND kind = ? AND first_id <= ? AND last_id >= ?
		RETURNING first_id, last_id, from_snapshot, to_snapshot`, uid, string(kind), id, id)
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
				VALUES (?, ?, ?, ?, ?, ?)`, uid, string(kind), r.First, r.Last, h.from, h.to); err != nil {
				return FormatError(err)
			}
		}
	}
	return nil
}

// orphanRecords returns the IDs of the user's records stored before then that no run holds.
func orphanRecords(ctx context.Context, tx *Tx, uid int64, before string) ([]int64, error) {
	runs, err := queryRuns(ctx, tx, `SELECT kind, first_id, last_id FROM spans WHERE user_id = ?`, uid)
	if err != nil {
		return nil, err
	}
	ids, err := queryIDs(ctx, tx, `SELECT id FROM records WHERE user_id = ? AND created_at < ? ORDER BY id`, uid, before)
	if err != nil {
		return nil, err
	}
	return beifen.Uncovered(ids, runs), nil
}
