package postgres

import (
	"context"
	"database/sql"

	"github.com/beifen/beifen"
)

// AuditService keeps the audit log in PostgreSQL. One advisory lock for the whole log gives
// the appends of every replica one order, so the tree and the chains never fork.
type AuditService struct{ db *DB }

var _ beifen.AuditService = (*AuditService)(nil)

// NewAuditService returns an AuditService on db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

// AppendAudit adds e to the end of the log.
func (s *AuditService) AppendAudit(ctx context.Context, e *beifen.AuditEvent, seal beifen.AuditSealer) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('beifen audit log'))`); err != nil {
		return FormatError(err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(leaf), -1) + 1 FROM audit`).Scan(&e.Leaf); err != nil {
		return FormatError(err)
	}
	e.Prev = []byte{}
	err = tx.QueryRowContext(ctx, `SELECT hash FROM audit WHERE scope = $1 ORDER BY id DESC LIMIT 1`, e.Scope).Scan(&e.Prev)
	if err != nil && err != sql.ErrNoRows {
		return FormatError(err)
	}
	e.At = e.At.UTC().Truncate(1000)
	sealed, err := seal(e.Prev, func(indexes []int64) ([][]byte, error) { return auditHashes(ctx, tx, indexes) })
	if err != nil {
		return err
	}
	e.Hash = sealed.Hash
	err = tx.QueryRowContext(ctx, `
		INSERT INTO audit (
			scope,
			actor_id,
			action,
			object,
			at,
			prev,
			hash,
			leaf
		) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		e.Scope, e.ActorID, e.Action, e.Object, e.At, e.Prev, e.Hash, e.Leaf).Scan(&e.ID)
	if err != nil {
		return FormatError(err)
	}
	for i, h := range sealed.Tree {
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit_tree (idx, hash) VALUES ($1, $2)`, sealed.TreeIndex+int64(i), h); err != nil {
			return FormatError(err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_checkpoint (id, size, note) VALUES (1, $1, $2)
		ON CONFLICT (id) DO UPDATE SET size = excluded.size, note = excluded.note`, e.Leaf+1, sealed.Checkpoint); err != nil {
		return FormatError(err)
	}
	return tx.Commit()
}

// auditHashes reads stored tree hashes by storage index, in order.
func auditHashes(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, indexes []int64) ([][]byte, error) {
	if len(indexes) == 0 {
		return nil, nil
	}
	byIdx := make(map[int64][]byte, len(indexes))
	for start := 0; start < len(indexes); start += 500 {
		part := indexes[start:min(start+500, len(indexes))]
		rows, err := q.QueryContext(ctx, `SELECT idx, hash FROM audit_tree WHERE idx = ANY($1)`, part)
		if err != nil {
			return nil, FormatError(err)
		}
		for rows.Next() {
			var idx int64
			var h []byte
			if err := rows.Scan(&idx, &h); err != nil {
				rows.Close()
				return nil, err
			}
			byIdx[idx] = h
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	out := make([][]byte, len(indexes))
	for i, idx := range indexes {
		h, ok := byIdx[idx]
		if !ok {
			return nil, beifen.Errorf(beifen.ENOTFOUND, "Audit tree hash %d not found.", idx)
		}
		out[i] = h
	}
	return out, nil
}

// AuditHashes returns stored tree hashes by storage index.
func (s *AuditService) AuditHashes(ctx context.Context, indexes []int64) ([][]byte, error) {
	return auditHashes(ctx, s.db.pool, indexes)
}

// AuditCheckpoint returns the newest signed checkpoint, or nil.
func (s *AuditService) AuditCheckpoint(ctx context.Context) ([]byte, error) {
	var note []byte
	err := s.db.pool.QueryRowContext(ctx, `SELECT note FROM audit_checkpoint WHERE id = 1`).Scan(&note)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	return note, FormatError(err)
}

// ScanAudit calls fn for each event of the scope, oldest first.
func (s *AuditService) ScanAudit(ctx context.Context, scope string, fn func(*beifen.AuditEvent) error) error {
	return s.scan(ctx, fn, `WHERE scope = $1 ORDER BY id`, scope)
}

// ScanAuditLog calls fn for every event: those from before the tree by ID, then the leaves.
func (s *AuditService) ScanAuditLog(ctx context.Context, fn func(*beifen.AuditEvent) error) error {
	return s.scan(ctx, fn, `ORDER BY leaf IS NOT NULL, leaf, id`)
}

func (s *AuditService) scan(ctx context.Context, fn func(*beifen.AuditEvent) error, where string, args ...any) error {
	rows, err := s.db.pool.QueryContext(ctx, `SELECT id, scope, actor_id, action, object, at, prev, hash, COALESCE(leaf, -1)
		FROM audit `+where, args...)
	if err != nil {
		return FormatError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var e beifen.AuditEvent
		var at sql.NullTime
		if err := rows.Scan(&e.ID, &e.Scope, &e.ActorID, &e.Action, &e.Object, &at, &e.Prev, &e.Hash, &e.Leaf); err != nil {
			return err
		}
		e.At = parseTime(at)
		if err := fn(&e); err != nil {
			return err
		}
	}
	return rows.Err()
}
