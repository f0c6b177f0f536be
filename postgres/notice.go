package postgres

import (
	"context"
	"database/sql"

	"github.com/beifen/beifen"
)

// NoticeService stores the notification centre in PostgreSQL.
type NoticeService struct{ db *DB }

var _ beifen.NoticeService = (*NoticeService)(nil)

// NewNoticeService returns a NoticeService on db.
func NewNoticeService(db *DB) *NoticeService { return &NoticeService{db: db} }

// CreateNotices stores one notice per recipient in one transaction, setting their IDs.
func (s *NoticeService) CreateNotices(ctx context.Context, notices []*beifen.Notice) error {
	for _, n := range notices {
		if err := n.Validate(); err != nil {
			return err
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, n := range notices {
		n.CreatedAt = tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO notices (user_id, kind, title, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			n.UserID, n.Kind, n.Title, n.Body, n.CreatedAt).Scan(&n.ID); err != nil {
			return FormatError(err)
		}
	}
	return tx.Commit()
}

// FindNotices returns a user's notices, newest first.
func (s *NoticeService) FindNotices(ctx context.Context, userID int64, limit int) ([]*beifen.Notice, error) {
	rows, err := s.db.pool.QueryContext(ctx, `SELECT id, kind, title, body, created_at FROM notices
		WHERE user_id = $1 ORDER BY id DESC LIMIT $2`, userID, limit)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	out := []*beifen.Notice{}
	for rows.Next() {
		n := &beifen.Notice{UserID: userID}
		var created sql.NullTime
		if err := rows.Scan(&n.ID, &n.Kind, &n.Title, &n.Body, &created); err != nil {
			return nil, err
		}
		n.CreatedAt = parseTime(created)
		out = append(out, n)
	}
	return out, rows.Err()
}
