package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/beifen/beifen"
)

// ComplaintService stores complaints in SQLite.
type ComplaintService struct{ db *DB }

var _ beifen.ComplaintService = (*ComplaintService)(nil)

// NewComplaintService returns a ComplaintService on db.
func NewComplaintService(db *DB) *ComplaintService { return &ComplaintService{db: db} }

// CreateComplaint stores a complaint and sets its ID.
func (s *ComplaintService) CreateComplaint(ctx context.Context, c *beifen.Complaint) error {
	err := s.db.write.QueryRowContext(ctx, `INSERT INTO complaints (user_id, sealed, created_at, due_at)
		VALUES (?, ?, ?, ?) RETURNING id`, c.UserID, c.Sealed, formatTime(c.CreatedAt), formatTime(c.DueAt)).Scan(&c.ID)
	return FormatError(err)
}

// FindComplaints returns complaints, oldest first.
func (s *ComplaintService) FindComplaints(ctx context.Context, f beifen.ComplaintFilter) ([]*beifen.Complaint, error) {
	where, args := "1 = 1", []any{}
	if f.ID != nil {
		where, args = where+" AND id = ?", append(args, *f.ID)
	}
	if f.UserID != nil {
		where, args = where+" AND user_id = ?", append(args, *f.UserID)
	}
	if f.OpenDue != nil {
		where, args = where+" AND answered_at IS NULL AND due_at < ?", append(args, formatTime(*f.OpenDue))
	}
	if f.NotReminded {
		where += " AND reminded_at IS NULL"
	}
	limit := -1
	if f.Limit > 0 {
		limit = f.Limit
	}
	rows, err := s.db.read.QueryContext(ctx, `SELECT id, user_id, sealed, reply, created_at, due_at, answered_at
		FROM complaints WHERE `+where+` ORDER BY id LIMIT ? OFFSET ?`, append(args, limit, f.Offset)...)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	out := []*beifen.Complaint{}
	for rows.Next() {
		var c beifen.Complaint
		var created, due, answered sql.NullString
		if err := rows.Scan(&c.ID, &c.UserID, &c.Sealed, &c.Reply, &created, &due, &answered); err != nil {
			return nil, err
		}
		c.CreatedAt, c.DueAt, c.AnsweredAt = parseTime(created), parseTime(due), parseTime(answered)
		out = append(out, &c)
	}
	return out, rows.Err()
}

// AnswerComplaint stores the sealed reply.
func (s *ComplaintService) AnswerComplaint(ctx context.Context, id int64, reply []byte, at time.Time) error {
	res, err := s.db.write.ExecContext(ctx, `UPDATE complaints SET reply = ?, answered_at = ? WHERE id = ?`,
		reply, formatTime(at), id)
	if err != nil {
		return FormatError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return beifen.Errorf(beifen.ENOTFOUND, "Complaint not found.")
	}
	return nil
}

// MarkComplaintsReminded records that the operators were reminded of these complaints.
func (s *ComplaintService) MarkComplaintsReminded(ctx context.Context, ids []int64, at time.Time) error {
	return execIn(ctx, s.db, `UPDATE complaints SET reminded_at = ? WHERE id IN (%s)`, []any{formatTime(at)}, ids)
}
