package sqlite

import (
	"context"
	"database/sql"

	"github.com/beifen/beifen"
)

// AuditService keeps audit logs in SQLite. Appends run in the single writer's transactions, so
// each scope's chain has no forks.
type AuditService struct{ db *DB }

var _ beifen.AuditService = (*AuditService)(nil)

// NewAuditService returns an AuditService on db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

// AppendAudit adds e to the end of its scope's chain.
func (s *AuditService) AppendAudit(ctx context.Context, e *beifen.AuditEvent, chain func(prev []byte) []byte) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	e.Prev = []byte{}
	err = tx.QueryRowContext(ctx, `SELECT hash FROM audit WHERE scope = ? ORDER BY id DESC LIMIT 1`, e.Scope).Scan(&e.Prev)
	if err != nil && err != sql.ErrNoRows {
		return FormatError(err)
	}
	e.At = e.At.UTC()
	e.Hash = chain(e.Prev)
	err = tx.QueryRowContext(ctx, `
		INSERT INTO audit (
			scope,
			actor_id,
			action,
			object,
			at,
			prev,
			hash
		) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		e.Scope, e.ActorID, e.Action, e.Object, formatTime(e.At), e.Prev, e.Hash).Scan(&e.ID)
	if err != nil {
		return FormatError(err)
	}
	return tx.Commit()
}

// ScanAudit calls fn for each event of the scope, oldest first.
func (s *AuditService) ScanAudit(ctx context.Context, scope string, fn func(*beifen.AuditEvent) error) error {
	rows, err := s.db.read.QueryContext(ctx, `SELECT id, scope, actor_id, action, object, at, prev, hash
		FROM audit WHERE scope = ? ORDER BY id`, scope)
	if err != nil {
		return FormatError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var e beifen.AuditEvent
		var at sql.NullString
		if err := rows.Scan(&e.ID, &e.Scope, &e.ActorID, &e.Action, &e.Object, &at, &e.Prev, &e.Hash); err != nil {
			return err
		}
		e.At = parseTime(at)
		if err := fn(&e); err != nil {
			return err
		}
	}
	return rows.Err()
}
