package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/beifen/beifen"
)

// RightsRequestService stores rights requests in PostgreSQL.
type RightsRequestService struct{ db *DB }

var _ beifen.RightsRequestService = (*RightsRequestService)(nil)

// NewRightsRequestService returns a RightsRequestService on db.
func NewRightsRequestService(db *DB) *RightsRequestService { return &RightsRequestService{db: db} }

// CreateRightsRequest stores r and sets its ID.
func (s *RightsRequestService) CreateRightsRequest(ctx context.Context, r *beifen.RightsRequest) error {
	err := s.db.pool.QueryRowContext(ctx, `INSERT INTO rights_requests (user_id, kind, status, sealed, created_at, due_at, closed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, r.UserID, string(r.Kind), r.Status, r.Sealed,
		r.CreatedAt, r.DueAt, nullTime(r.ClosedAt)).Scan(&r.ID)
	return FormatError(err)
}

// FindRightsRequests returns requests by deadline, then ID.
func (s *RightsRequestService) FindRightsRequests(ctx context.Context, f beifen.RightsRequestFilter) ([]*beifen.RightsRequest, error) {
	where, args := "1 = 1", []any{}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if f.ID != nil {
		where += " AND id = " + arg(*f.ID)
	}
	if f.UserID != nil {
		where += " AND user_id = " + arg(*f.UserID)
	}
	if f.Kind != nil {
		where += " AND kind = " + arg(string(*f.Kind))
	}
	if f.Open {
		where += " AND status = " + arg(beifen.RequestOpen)
	}
	if f.DueBefore != nil {
		where += " AND due_at < " + arg(*f.DueBefore)
	}
	if f.NotReminded {
		where += " AND reminded_at IS NULL"
	}
	limit := "ALL"
	if f.Limit > 0 {
		limit = arg(f.Limit)
	}
	rows, err := s.db.pool.QueryContext(ctx, `SELECT id, user_id, kind, status, sealed, created_at, due_at, closed_at, reminded_at
		FROM rights_requests WHERE `+where+` ORDER BY due_at, id LIMIT `+limit+` OFFSET `+arg(f.Offset), args...)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	out := []*beifen.RightsRequest{}
	for rows.Next() {
		var r beifen.RightsRequest
		var kind string
		var created, due, closed, reminded sql.NullTime
		if err := rows.Scan(&r.ID, &r.UserID, &kind, &r.Status, &r.Sealed, &created, &due, &closed, &reminded); err != nil {
			return nil, err
		}
		r.Kind = beifen.RightsKind(kind)
		r.CreatedAt, r.DueAt, r.ClosedAt, r.RemindedAt = parseTime(created), parseTime(due), parseTime(closed), parseTime(reminded)
		out = append(out, &r)
	}
	return out, rows.Err()
}

// CloseRightsRequest closes an open request.
func (s *RightsRequestService) CloseRightsRequest(ctx context.Context, id int64, status string, sealed []byte, at time.Time) error {
	res, err := s.db.pool.ExecContext(ctx, `UPDATE rights_requests SET status = $1, sealed = $2, closed_at = $3
		WHERE id = $4 AND status = $5`, status, sealed, at, id, beifen.RequestOpen)
	if err != nil {
		return FormatError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return beifen.Errorf(beifen.ENOTFOUND, "Open request %d not found.", id)
	}
	return nil
}

// MarkRightsReminded records that a reminder went out for these requests.
func (s *RightsRequestService) MarkRightsReminded(ctx context.Context, ids []int64, at time.Time) error {
	_, err := s.db.pool.ExecContext(ctx, `UPDATE rights_requests SET reminded_at = $1 WHERE id = ANY($2)`, at, ids)
	return FormatError(err)
}
