package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/internal/pack"
)

// batchSize bounds the rows of one multi-row statement.
const batchSize = 500

// RecordService stores backed-up records in SQLite.
type RecordService struct{ db *DB }

var _ beifen.RecordService = (*RecordService)(nil)

// NewRecordService returns a RecordService on db.
func NewRecordService(db *DB) *RecordService { return &RecordService{db: db} }

// PutRecords stores the records not stored yet and sets every record's ID. New records go into
// packs (see internal/pack); whether a record is stored already is asked of the user's version
// map, brought up to date in the same transaction.
func (s *RecordService) PutRecords(ctx context.Context, recs []*beifen.Record) error {
	uid, err := userID(ctx)
	if err != nil || len(recs) == 0 {
		return err
	}
	uv := s.db.versions.Lock(uid)
	defer uv.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	packs, err := putRecords(ctx, tx, uv, uid, recs)
	if err == nil {
		err = tx.Commit()
	}
	return uv.Stored(packs, err)
}

func putRecords(ctx context.Context, tx *Tx, uv *pack.UserVersions, uid int64, recs []*beifen.Record) ([]*pack.Pack, error) {
	uv.Want(recs)
	if err := syncVersions(ctx, tx, uv, uid); err != nil {
		return nil, err
	}
	fresh, settle, err := uv.Match(recs, readPacks(ctx, tx, uid, false))
	if err != nil {
		return nil, err
	}
	packs, err := storeFresh(ctx, tx, uid, fresh)
	if err != nil {
		return nil, err
	}
	settle()
	return packs, nil
}

// syncVersions reads the user's epoch (a row made on the first store) and adds to the version
// map the packs stored since it was last brought up to date.
func syncVersions(ctx context.Context, tx *Tx, uv *pack.UserVersions, uid int64) error {
	var epoch int64
	err := tx.QueryRowContext(ctx, `SELECT epoch FROM record_users WHERE user_id = ?`, uid).Scan(&epoch)
	if err == sql.ErrNoRows {
		epoch = rand.Int64()
		_, err = tx.ExecContext(ctx, `INSERT INTO record_users (user_id, epoch) VALUES (?, ?)`, uid, epoch)
	}
	if err != nil {
		return FormatError(err)
	}
	high := uv.Sync(epoch)
	return scanPacks(ctx, tx, false, `SELECT first_id, last_id, created_at, heads FROM record_packs
		WHERE user_id = ? AND last_id > ? ORDER BY last_id`, []any{uid, high}, uv.Add)
}

// newEpoch marks the user's records as changed other than by adding: every version map of them,
// in any process, is read again.
func newEpoch(ctx context.Context, tx *Tx, uid int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE record_users SET epoch = ? WHERE user_id = ?`, rand.Int64(), uid)
	return FormatError(err)
}

// storeFresh numbers new records in the order given and stores them in packs.
func storeFresh(ctx context.Context, tx *Tx, uid int64, fresh []*beifen.Record) ([]*pack.Pack, error) {
	if len(fresh) == 0 {
		return nil, nil
	}
	var next int64
	if err := tx.QueryRowContext(ctx, `UPDATE record_ids SET next = next + ? RETURNING next - ?`,
		len(fresh), len(fresh)).Scan(&next); err != nil {
		return nil, FormatError(err)
	}
	for _, r := range fresh {
		r.ID, next = next, next+1
	}
	packs, err := pack.Build(fresh, tx.now)
	if err != nil {
		return nil, err
	}
	return packs, insertPacks(ctx, tx, uid, packs)
}

// packBatch bounds the packs of one INSERT (each up to 64 KiB of payloads).
const packBatch = 64

func insertPacks(ctx context.Context, tx *Tx, uid int64, packs []*pack.Pack) error {
	for i := 0; i < len(packs); i += packBatch {
		batch := packs[i:min(i+packBatch, len(packs))]
		args := make([]any, 0, 6*len(batch))
		for _, p := range batch {
			args = append(args, uid, p.First, p.Last, formatTime(p.CreatedAt), p.Heads, p.Payloads)
		}
		st, err := tx.prepared(ctx, insertPacksQuery(len(batch)))
		if err != nil {
			return err
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return FormatError(err)
		}
	}
	return nil
}

func insertPacksQuery(n int) string {
	return `INSERT INTO record_packs (user_id, first_id, last_id, created_at, heads, payloads)
		VALUES ` + repeatTuple("(?, ?, ?, ?, ?, ?)", n)
}

// readPacks reads the user's packs that may hold an ID range (see pack.ReadFunc), their payloads
// too if payloads.
func readPacks(ctx context.Context, q queryer, uid int64, payloads bool) pack.ReadFunc {
	query := `SELECT first_id, last_id, created_at, heads FROM record_packs
		WHERE user_id = ? AND last_id BETWEEN ? AND ? AND first_id <= ? ORDER BY last_id`
	if payloads {
		query = strings.Replace(query, "heads", "heads, payloads", 1)
	}
	return func(lo, hi int64, fn func(*pack.Pack) error) error {
		return scanPacks(ctx, q, payloads, query, []any{uid, lo, hi + pack.MaxRecords - 1, hi}, fn)
	}
}

// scanPacks runs query, which selects first_id, last_id, created_at, heads and, if payloads,
// payloads, and calls fn with each pack as it is read (fn must not query the same transaction).
func scanPacks(ctx context.Context, q queryer, payloads bool, query string, args []any, fn func(*pack.Pack) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return FormatError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var p pack.Pack
		var created sql.NullString
		dest := []any{&p.First, &p.Last, &created, &p.Heads}
		if payloads {
			dest = append(dest, &p.Payloads)
		}
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		if p.CreatedAt = parseTime(created); payloads && p.Payloads == nil {
			p.Payloads = []byte{}
		}
		if err := fn(&p); err != nil {
			return err
		}
	}
	return FormatError(rows.Err())
}

// FindRecordsByIDs returns the context user's records with these IDs, in ID order.
func (s *RecordService) FindRecordsByIDs(ctx context.Context, ids []int64) ([]*beifen.Record, error) {
	uid, err := userID(ctx)
	if err != nil {
		return nil, err
	}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var out []*beifen.Record
	err = pack.Walk(beifen.ConsecutiveRuns(ids), readPacks(ctx, tx, uid, true), func(e *pack.Entry) error {
		out = append(out, e.Record(uid))
		return nil
	})
	return out, err
}

// ScanRecords calls fn for every record of the context's user, in ID order.
func (s *RecordService) ScanRecords(ctx context.Context, fn func(*beifen.Record) error) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	return scanPacks(ctx, s.db.read, true, `SELECT first_id, last_id, created_at, heads, payloads
		FROM record_packs WHERE user_id = ? ORDER BY last_id`, []any{uid}, func(p *pack.Pack) error {
		ents, err := p.Entries(nil)
		for i := 0; i < len(ents) && err == nil; i++ {
			err = fn(ents[i].Record(uid))
		}
		return err
	})
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
	kinds, err := pack.Kinds(dels, readPacks(ctx, tx, uid, false))
	if err != nil {
		return 0, err
	}
	touched := map[int64]bool{} // the snapshots that held one of them
	gone := map[int64]bool{}
	for _, d := range dels {
		kind := kinds[d.ID]
		if kind != d.Kind || gone[d.ID] {
			return 0, beifen.Errorf(beifen.ENOTFOUND, "Item %d not found.", d.ID)
		}
		gone[d.ID] = true
		col := d.Kind.SnapshotColumn()
		const holds = `spans.user_id = ? AND spans.kind = ? AND spans.first_id <= ? AND spans.last_id >= ?`
		rows, err := tx.QueryContext(ctx, `UPDATE snapshots SET `+col+` = `+col+` - 1, bytes = bytes - ?, revision = revision + 1
			WHERE user_id = ? AND EXISTS (SELECT 1 FROM spans WHERE `+holds+` AND spans.from_snapshot <= snapshots.id
				AND (spans.to_snapshot IS NULL OR snapshots.id < spans.to_snapshot)) RETURNING id`,
			d.Bytes, uid, uid, string(kind), d.ID, d.ID)
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
	}
	if _, err := dropRecords(ctx, tx, uid, slices.Sorted(maps.Keys(gone))); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sources WHERE user_id = ?`, uid); err != nil {
		return 0, FormatError(err)
	}
	if err := tx.Commit(); err != nil {
		return 0, FormatError(err)
	}
	s.db.versions.Forget(uid)
	return len(touched), nil
}

// dropRecords takes the user's records with these IDs (sorted, distinct) out of their packs and
// returns how many it found. It plans from the heads: a pack that loses every record is deleted
// unread, one that keeps some is read and rewritten alone, so memory holds one pack at a time.
// The epoch changes, so that no version map names them.
func dropRecords(ctx context.Context, tx *Tx, uid int64, ids []int64) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	whole, partial, n, err := pack.PlanDrop(ids, readPacks(ctx, tx, uid, false))
	if err != nil {
		return 0, err
	}
	for i := 0; i < len(whole); i += batchSize {
		batch := whole[i:min(i+batchSize, len(whole))]
		args := []any{uid}
		for _, last := range batch {
			args = append(args, last)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM record_packs WHERE user_id = ? AND last_id IN (`+placeholders(len(batch))+`)`, args...); err != nil {
			return 0, FormatError(err)
		}
	}
	for _, last := range partial {
		var rest *pack.Pack
		err := scanPacks(ctx, tx, true, `SELECT first_id, last_id, created_at, heads, payloads FROM record_packs
			WHERE user_id = ? AND last_id = ?`, []any{uid, last}, func(p *pack.Pack) (err error) {
			rest, _, err = p.Without(ids)
			return err
		})
		if err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM record_packs WHERE user_id = ? AND last_id = ?`, uid, last); err != nil {
			return 0, FormatError(err)
		}
		if err := insertPacks(ctx, tx, uid, []*pack.Pack{rest}); err != nil {
			return 0, err
		}
	}
	return n, newEpoch(ctx, tx, uid)
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
	n, err := dropRecords(ctx, tx, uid, orphans)
	if err != nil {
		return 0, err
	}
	if n > 0 { // sources name records by ID: one naming a deleted record must not be reused
		if _, err := tx.ExecContext(ctx, `DELETE FROM sources WHERE user_id = ?`, uid); err != nil {
			return 0, FormatError(err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, FormatError(err)
	}
	if n > 0 {
		s.db.versions.Forget(uid)
	}
	return n, nil
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
	var ids []int64
	var ents []pack.Entry
	err = scanPacks(ctx, tx, false, `SELECT first_id, last_id, created_at, heads FROM record_packs
		WHERE user_id = ? AND created_at < ? ORDER BY last_id`, []any{uid, before}, func(p *pack.Pack) error {
		var err error
		ents, err = p.Entries(ents)
		for _, e := range ents {
			ids = append(ids, e.ID)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return beifen.Uncovered(ids, runs), nil
}
