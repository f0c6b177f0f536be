package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/beifen/beifen"
)

// HoldService stores legal holds in SQLite.
type HoldService struct{ db *DB }

var _ beifen.HoldService = (*HoldService)(nil)

// NewHoldService returns a HoldService on db.
func NewHoldService(db *DB) *HoldService { return &HoldService{db: db} }

// PlaceHold stores a hold and sets its ID.
func (s *HoldService) PlaceHold(ctx context.Context, h *beifen.LegalHold) error {
	if h.PlacedAt.IsZero() {
		h.PlacedAt = s.db.Now().UTC()
	}
	err := s.db.write.QueryRowContext(ctx, `INSERT INTO holds (user_id, reason, placed_at) VALUES (?, ?, ?) RETURNING id`,
		h.UserID, h.Reason, formatTime(h.PlacedAt)).Scan(&h.ID)
	if beifen.ErrorCode(FormatError(err)) == beifen.ECONFLICT {
		return beifen.Errorf(beifen.ECONFLICT, "This account is under a legal hold already.")
	}
	return FormatError(err)
}

// LiftHold ends the account's hold.
func (s *HoldService) LiftHold(ctx context.Context, userID int64, at time.Time) error {
	res, err := s.db.write.ExecContext(ctx, `UPDATE holds SET lifted_at = ? WHERE user_id = ? AND lifted_at IS NULL`, formatTime(at), userID)
	if err != nil {
		return FormatError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return beifen.Errorf(beifen.ENOTFOUND, "This account is not under a legal hold.")
	}
	return nil
}

// FindHolds returns the holds in force (with lifted, all of them), newest first.
func (s *HoldService) FindHolds(ctx context.Context, lifted bool) ([]*beifen.LegalHold, error) {
	q := `SELECT id, user_id, reason, placed_at, lifted_at FROM holds`
	if !lifted {
		q += ` WHERE lifted_at IS NULL`
	}
	rows, err := s.db.read.QueryContext(ctx, q+` ORDER BY id DESC`)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	out := []*beifen.LegalHold{}
	for rows.Next() {
		h := &beifen.LegalHold{}
		var placed, liftedAt sql.NullString
		if err := rows.Scan(&h.ID, &h.UserID, &h.Reason, &placed, &liftedAt); err != nil {
			return nil, err
		}
		h.PlacedAt, h.LiftedAt = parseTime(placed), parseTime(liftedAt)
		out = append(out, h)
	}
	return out, rows.Err()
}

// IsHeld reports whether the account is under a hold now.
func (s *HoldService) IsHeld(ctx context.Context, userID int64) (bool, error) {
	var n int
	err := s.db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM holds WHERE user_id = ? AND lifted_at IS NULL`, userID).Scan(&n)
	return n > 0, FormatError(err)
}
