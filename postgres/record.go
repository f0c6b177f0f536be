package postgres

import (
	"context"
	"database/sql"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/internal/pack"
)

// batchSize bounds the rows of one statement. Rows travel as arrays (unnest), so the statement
// text stays the same and its prepared plan is reused.
const batchSize = 5000

// RecordService stores backed-up records in PostgreSQL.
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
		err = FormatError(tx.Commit())
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

// syncVersions takes the user's record lock (making its row on the first store), then adds to
// the version map the packs stored since it was last brought up to date. The row is made from
// the users row FOR KEY SHARE, the lock the packs' foreign key takes anyway: taken first, it
// keeps an EraseUser (users FOR UPDATE, then record_users) from deadlocking with this store.
func syncVersions(ctx context.Context, tx *Tx, uv *pack.UserVersions, uid int64) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO record_users (user_id, epoch)
		SELECT id, $2 FROM users WHERE id = $1 FOR KEY SHARE
		ON CONFLICT (user_id) DO NOTHING`, uid, rand.Int64()); err != nil {
		return FormatError(err)
	}
	epoch, ok, err := lockRecords(ctx, tx, uid)
	if err != nil {
		return err
	} else if !ok {
		return beifen.Errorf(beifen.ENOTFOUND, "User not found.")
	}
	high := uv.Sync(epoch)
	return scanPacks(ctx, tx, false, `SELECT first_id, last_id, created_at, heads FROM record_packs
		WHERE user_id = $1 AND last_id > $2 ORDER BY last_id`, []any{uid, high}, uv.Add)
}

// lockRecords locks the user's record_users row until tx ends and returns the epoch; ok is false
// if the user never stored records. The lock serializes PutRecords and the deletions of one user
// across replicas: a store sees every pack committed before it, and one user's packs are
// committed in increasing ID order, which the version maps rely on.
func lockRecords(ctx context.Context, tx *Tx, uid int64) (epoch int64, ok bool, err error) {
	err = tx.QueryRowContext(ctx, `SELECT epoch FROM record_users WHERE user_id = $1 FOR UPDATE`, uid).Scan(&epoch)
	if err == sql.ErrNoRows {
		return 0, false, nil
	} else if err != nil {
		return 0, false, FormatError(err)
	}
	return epoch, true, nil
}

// newEpoch marks the user's records as changed other than by adding: every version map of them,
// in any process, is read again.
func newEpoch(ctx context.Context, tx *Tx, uid int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE record_users SET epoch = $1 WHERE user_id = $2`, rand.Int64(), uid)
	return FormatError(err)
}

// storeFresh numbers new records in the order given and stores them in packs. The IDs are taken
// outside tx, in a statement of their own: in tx, the lock on the one record_ids row would be
// held until commit and serialize every user's backup. A transaction that rolls back leaves a
// hole in the IDs. The user's record lock, taken before, keeps one user's packs in ID order.
// The statement runs on a pool of its own: on the pool of tx, stores that each held a
// connection and waited for a second would stop the process once they held all of them.
func storeFresh(ctx context.Context, tx *Tx, uid int64, fresh []*beifen.Record) ([]*pack.Pack, error) {
	if len(fresh) == 0 {
		return nil, nil
	}
	var next int64
	if err := tx.db.ids.QueryRowContext(ctx, `UPDATE record_ids SET next = next + $1 RETURNING next - $1`,
		len(fresh)).Scan(&next); err != nil {
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
		firsts, lasts := make([]int64, len(batch)), make([]int64, len(batch))
		created := make([]time.Time, len(batch))
		heads, payloads := make([][]byte, len(batch)), make([][]byte, len(batch))
		for j, p := range batch {
			firsts[j], lasts[j], created[j], heads[j], payloads[j] = p.First, p.Last, p.CreatedAt, p.Heads, p.Payloads
		}
		_, err := tx.ExecContext(ctx, `
			INSERT INTO record_packs (user_id, first_id, last_id, created_at, heads, payloads)
			SELECT $1, u.first_id, u.last_id, u.created_at, u.heads, u.payloads
			FROM unnest($2::bigint[], $3::bigint[], $4::timestamptz[], $5::bytea[], $6::bytea[])
				AS u (first_id, last_id, created_at, heads, payloads)`,
			uid, firsts, lasts, created, heads, payloads)
		if err != nil {
			return FormatError(err)
		}
	}
	return nil
}

// readPacks reads the user's packs that may hold an ID range (see pack.ReadFunc), their payloads
// too if payloads.
func readPacks(ctx context.Context, q queryer, uid int64, payloads bool) pack.ReadFunc {
	query := `SELECT first_id, last_id, created_at, heads FROM record_packs
		WHERE user_id = $1 AND last_id BETWEEN $2 AND $3 AND first_id <= $4 ORDER BY last_id`
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
		var created sql.NullTime
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
	return scanPacks(ctx, s.db.pool, true, `SELECT first_id, last_id, created_at, heads, payloads
		FROM record_packs WHERE user_id = $1 ORDER BY last_id`, []any{uid}, func(p *pack.Pack) error {
		ents, err := p.Entries(nil)
		for i := 0; i < len(ents) && err == nil; i++ {
			err = fn(ents[i].Record(uid))
		}
		return err
	})
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
	// Packs are rewritten here: no store of the same user may add to them meanwhile. A user
	// without the row never stored records, and each deletion below is ENOTFOUND.
	if _, _, err := lockRecords(ctx, tx, uid); err != nil {
		return 0, err
	}
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
		rows, err := tx.QueryContext(ctx, `UPDATE snapshots SET `+col+` = `+col+` - 1, bytes = bytes - $1, revision = revision + 1
			WHERE user_id = $2 AND EXISTS (SELECT 1 FROM spans WHERE spans.user_id = $2 AND spans.kind = $3
				AND spans.first_id <= $4 AND spans.last_id >= $4 AND spans.from_snapshot <= snapshots.id
				AND (spans.to_snapshot IS NULL OR snapshots.id < spans.to_snapshot)) RETURNING id`,
			d.Bytes, uid, string(kind), d.ID)
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
	if _, err := tx.ExecContext(ctx, `DELETE FROM sources WHERE user_id = $1`, uid); err != nil {
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
	if len(whole) > 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM record_packs WHERE user_id = $1 AND last_id = ANY($2)`, uid, whole); err != nil {
			return 0, FormatError(err)
		}
	}
	for _, last := range partial {
		var rest *pack.Pack
		err := scanPacks(ctx, tx, true, `SELECT first_id, last_id, created_at, heads, payloads FROM record_packs
			WHERE user_id = $1 AND last_id = $2`, []any{uid, last}, func(p *pack.Pack) (err error) {
			rest, _, err = p.Without(ids)
			return err
		})
		if err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM record_packs WHERE user_id = $1 AND last_id = $2`, uid, last); err != nil {
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
	// A commit on another replica must not open a run over a record this finds orphaned.
	if err := lockUser(ctx, tx, uid); err != nil {
		return 0, err
	}
	orphans, err := orphanRecords(ctx, tx, uid, before.UTC())
	if err != nil {
		return 0, err
	}
	// The user's record lock, for rewriting the packs, is taken only once the orphans are found:
	// taken first, it would wait for a store of the user to commit and then find that store's
	// records orphaned, before the snapshot that is to hold them (waiting for lockUser) could.
	if len(orphans) > 0 {
		if _, _, err := lockRecords(ctx, tx, uid); err != nil {
			return 0, err
		}
	}
	n, err := dropRecords(ctx, tx, uid, orphans)
	if err != nil {
		return 0, err
	}
	if n > 0 { // sources name records by ID: one naming a deleted record must not be reused
		if _, err := tx.ExecContext(ctx, `DELETE FROM sources WHERE user_id = $1`, uid); err != nil {
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
	var ids []int64
	var ents []pack.Entry
	err = scanPacks(ctx, tx, false, `SELECT first_id, last_id, created_at, heads FROM record_packs
		WHERE user_id = $1 AND created_at < $2 ORDER BY last_id`, []any{uid, before}, func(p *pack.Pack) error {
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
