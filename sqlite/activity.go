package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/beifen/beifen"
)

// ActivityService stores marketing activities and sign-ups in SQLite.
type ActivityService struct{ db *DB }

var _ beifen.ActivityService = (*ActivityService)(nil)

// NewActivityService returns an ActivityService on db.
func NewActivityService(db *DB) *ActivityService { return &ActivityService{db: db} }

// CreateActivity stores an activity and sets its ID.
func (s *ActivityService) CreateActivity(ctx context.Context, a *beifen.Activity) error {
	if err := a.Validate(); err != nil {
		return err
	}
	a.CreatedAt = s.db.Now().UTC()
	err := s.db.write.QueryRowContext(ctx, `INSERT INTO activities (title, description, partner, ends_at, created_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, a.Title, a.Description, a.Partner, formatTime(a.EndsAt), formatTime(a.CreatedAt)).Scan(&a.ID)
	return FormatError(err)
}

// FindActivities returns the activities, newest first, each marked for the context user.
func (s *ActivityService) FindActivities(ctx context.Context) ([]*beifen.Activity, error) {
	uid := beifen.UserIDFromContext(ctx)
	rows, err := s.db.read.QueryContext(ctx, `SELECT a.id, a.title, a.description, a.partner, a.ends_at, a.created_at,
		EXISTS (SELECT 1 FROM activity_signups AS su WHERE su.activity_id = a.id AND su.user_id = ?)
		FROM activities AS a ORDER BY a.id DESC`, uid)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	out := []*beifen.Activity{}
	for rows.Next() {
		a := &beifen.Activity{}
		var ends, created sql.NullString
		if err := rows.Scan(&a.ID, &a.Title, &a.Description, &a.Partner, &ends, &created, &a.SignedUp); err != nil {
			return nil, err
		}
		a.EndsAt, a.CreatedAt = parseTime(ends), parseTime(created)
		out = append(out, a)
	}
	return out, rows.Err()
}

// SignUp records the context user's sign-up with its consent.
func (s *ActivityService) SignUp(ctx context.Context, activityID int64, at time.Time) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	var n int
	if err := s.db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM activities WHERE id = ?`, activityID).Scan(&n); err != nil {
		return FormatError(err)
	} else if n == 0 {
		return beifen.Errorf(beifen.ENOTFOUND, "Activity not found.")
	}
	_, err = s.db.write.ExecContext(ctx, `INSERT INTO activity_signups (activity_id, user_id, consented_at) VALUES (?, ?, ?)
		ON CONFLICT (activity_id, user_id) DO NOTHING`, activityID, uid, formatTime(at))
	return FormatError(err)
}

// Withdraw ends the context user's sign-up.
func (s *ActivityService) Withdraw(ctx context.Context, activityID int64) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	res, err := s.db.write.ExecContext(ctx, `DELETE FROM activity_signups WHERE activity_id = ? AND user_id = ?`, activityID, uid)
	if err != nil {
		return FormatError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return beifen.Errorf(beifen.ENOTFOUND, "You are not signed up for this activity.")
	}
	return nil
}

// SignUps returns the user IDs signed up for an activity now.
func (s *ActivityService) SignUps(ctx context.Context, activityID int64) ([]int64, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT user_id FROM activity_signups WHERE activity_id = ? ORDER BY user_id`, activityID)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
