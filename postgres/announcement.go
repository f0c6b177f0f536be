package postgres

import (
	"context"
	"database/sql"

	"github.com/beifen/beifen"
)

// AnnouncementService stores moderation announcements in PostgreSQL.
type AnnouncementService struct{ db *DB }

var _ beifen.AnnouncementService = (*AnnouncementService)(nil)

// NewAnnouncementService returns an AnnouncementService on db.
func NewAnnouncementService(db *DB) *AnnouncementService { return &AnnouncementService{db: db} }

// CreateAnnouncement publishes one and sets its ID.
func (s *AnnouncementService) CreateAnnouncement(ctx context.Context, a *beifen.Announcement) error {
	if err := a.Validate(); err != nil {
		return err
	}
	a.CreatedAt = s.db.now()
	err := s.db.pool.QueryRowContext(ctx, `INSERT INTO announcements (user_id, public_name, text, created_at)
		VALUES ($1, $2, $3, $4) RETURNING id`, nullID(a.UserID), a.PublicName, a.Text, a.CreatedAt).Scan(&a.ID)
	return FormatError(err)
}

// FindAnnouncements returns the newest ones, newest first.
func (s *AnnouncementService) FindAnnouncements(ctx context.Context, limit int) ([]*beifen.Announcement, error) {
	rows, err := s.db.pool.QueryContext(ctx, `SELECT id, public_name, text, created_at FROM announcements
		ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	out := []*beifen.Announcement{}
	for rows.Next() {
		a := &beifen.Announcement{}
		var created sql.NullTime
		if err := rows.Scan(&a.ID, &a.PublicName, &a.Text, &created); err != nil {
			return nil, err
		}
		a.CreatedAt = parseTime(created)
		out = append(out, a)
	}
	return out, rows.Err()
}
