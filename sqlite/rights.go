package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/beifen/beifen"
)

// RightsRequestService stores rights requests in SQLite.
type RightsRequestService struct{ db *DB }

var _ beifen.RightsRequestService = (*RightsRequestService)(nil)

// NewRightsRequestService returns a RightsRequestService on db.
func NewRightsRequestService(db *DB) *RightsRequestService { return &RightsRequestService{db: db} }

// CreateRightsRequest stores r and sets its ID.
func (s *RightsRequestService) CreateRightsRequest(ctx context.Context, r *beifen.RightsRequest) error {
	err := s.db.write.QueryRowContext(ctx, `INSERT INTO rights_requests (user_id, kind, status, sealed, created_at, due_at, closed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, r.UserID, string(r.Kind), r.Status, r.Sealed,
		formatTime(r.CreatedAt), formatTime(r.DueAt), nullTime(r.ClosedAt)).Scan(&r.ID)
	return FormatError(err)
}

// FindRightsRequests returns requests by deadline, then ID.
func (s *RightsRequestService) FindRightsRequests(ctx context.Context, f beifen.RightsRequestFilter) ([]*beifen.RightsRequest, error) {
	where, args := "1 = 1", []any{}
	if f.ID != nil {
		where, args = where+" AND id = ?", append(args, *f.ID)
	}
	if f.UserID != nil {
		where, args = where+" AND user_id = ?", append(args, *f.UserID)
	}
	if f.Kind != nil {
		where, args = where+" AND kind = ?", append(args, string(*f.Kind))
	}
	if f.Open {
		where, args = where+" AND status = ?", append(args, beifen.RequestOpen)
	}
	if f.DueBefore != nil {
		where, args = where+" AND due_at < ?", append(args, formatTime(*f.DueBefore))
	}
	if f.NotReminded {
		where += " AND reminded_at IS NULL"
	}
	limit := -1
	if f.Limit > 0 {
		limit = f.Limit
	}
	rows, err := s.db.read.QueryContext(ctx, `SELECT id, user_id, kind, status, sealed, created_at, due_at, closed_at, reminded_at
		FROM rights_requests WHERE `+where+` ORDER BY due_at, id LIMIT ? OFFSET ?`, append(args, limit, f.Offset)...)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	out := []*beifen.RightsRequest{}
	for rows.Next() {
		var r beifen.RightsRequest
		var kind string
		var created, due, closed, reminded sql.NullString
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
	res, err := s.db.write.ExecContext(ctx, `UPDATE rights_requests SET status = ?, sealed = ?, closed_at = ?
		WHERE id = ? AND status = ?`, status, sealed, formatTime(at), id, beifen.RequestOpen)
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
	return execIn(ctx, s.db, `UPDATE rights_requests SET reminded_at = ? WHERE id IN (%s)`, []any{formatTime(at)}, ids)
}
