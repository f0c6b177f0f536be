package sqlite

import (
	"context"
	"database/sql"

	"github.com/beifen/beifen"
)

// UserStateService keeps per-account state in SQLite.
type UserStateService struct{ db *DB }

var _ beifen.UserStateService = (*UserStateService)(nil)

// NewUserStateService returns a UserStateService on db.
func NewUserStateService(db *DB) *UserStateService { return &UserStateService{db: db} }

// PutUserState sets one named value of the context user.
func (s *UserStateService) PutUserState(ctx context.Context, name string, sealed []byte) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	_, err = s.db.write.ExecContext(ctx, `INSERT INTO user_state (user_id, name, sealed, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id, name) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at`,
		uid, name, sealed, formatTime(s.db.Now()))
	return FormatError(err)
}

// GetUserState returns one named value of the context user.
func (s *UserStateService) GetUserState(ctx context.Context, name string) ([]byte, error) {
	uid, err := userID(ctx)
	if err != nil {
		return nil, err
	}
	var v []byte
	err = s.db.read.QueryRowContext(ctx, `SELECT sealed FROM user_state WHERE user_id = ? AND name = ?`, uid, name).Scan(&v)
	if err == sql.ErrNoRows {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "Not set.")
	}
	return v, FormatError(err)
}

// ClearUserState removes every value of the context user.
func (s *UserStateService) ClearUserState(ctx context.Context) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	_, err = s.db.write.ExecContext(ctx, `DELETE FROM user_state WHERE user_id = ?`, uid)
	return FormatError(err)
}
