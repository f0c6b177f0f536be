package postgres

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"github.com/beifen/beifen"
)

// ComplaintService stores complaints in PostgreSQL.
type ComplaintService struct{ db *DB }

var _ beifen.ComplaintService = (*ComplaintService)(nil)

// NewComplaintService returns a ComplaintService on db.
func NewComplaintService(db *DB) *ComplaintService { return &ComplaintService{db: db} }

// CreateComplaint stores a complaint and sets its ID.
func (s *ComplaintService) CreateComplaint(ctx context.Context, c *beifen.Complaint) error {
	err := s.db.pool.QueryRowContext(ctx, `INSERT INTO complaints (user_id, sealed, created_at, due_at)
		VALUES ($1, $2, $3, $4) RETURNING id`, c.UserID, c.Sealed, c.CreatedAt.UTC(), c.DueAt.UTC()).Scan(&c.ID)
	return FormatError(err)
}

// FindComplaints returns complaints, oldest first.
func (s *ComplaintService) FindComplaints(ctx context.Context, f beifen.ComplaintFilter) ([]*beifen.Complaint, error) {
	where, args := "TRUE", []any{}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.ID != nil {
		where += " AND id = " + arg(*f.ID)
	}
	if f.UserID != nil {
		where += " AND user_id = " + arg(*f.UserID)
	}
	if f.OpenDue != nil {
		where += " AND answered_at IS NULL AND due_at < " + arg(f.OpenDue.UTC())
	}
	if f.NotReminded {
		where += " AND reminded_at IS NULL"
	}
	var limit any
	if f.Limit > 0 {
		limit = f.Limit
	}
	query := `SELECT id, user_id, sealed, reply, created_at, due_at, answered_at FROM complaints WHERE ` + where +
		` ORDER BY id LIMIT ` + arg(limit) + ` OFFSET ` + arg(f.Offset)
	rows, err := s.db.pool.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	out := []*beifen.Complaint{}
	for rows.Next() {
		var c beifen.Complaint
		var created, due, answered sql.NullTime
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
	res, err := s.db.pool.ExecContext(ctx, `UPDATE complaints SET reply = $1, answered_at = $2 WHERE id = $3`,
		reply, at.UTC(), id)
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
	_, err := s.db.pool.ExecContext(ctx, `UPDATE complaints SET reminded_at = $1 WHERE id = ANY($2)`, at, ids)
	return FormatError(err)
}
