package sqlite

import (
	"context"
	"database/sql"

	"github.com/beifen/beifen"
)

// RealNameService stores real-name verifications in SQLite.
type RealNameService struct{ db *DB }

var _ beifen.RealNameService = (*RealNameService)(nil)

// NewRealNameService returns a RealNameService on db.
func NewRealNameService(db *DB) *RealNameService { return &RealNameService{db: db} }

// PutRealName creates or replaces the context user's verification.
func (s *RealNameService) PutRealName(ctx context.Context, r *beifen.RealName) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	if r.VerifiedAt.IsZero() {
		r.VerifiedAt = s.db.Now().UTC()
	}
	r.UserID = uid
	_, err = s.db.write.ExecContext(ctx, `INSERT INTO realnames (user_id, sealed, provider, verified_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET sealed = excluded.sealed, provider = excluded.provider, verified_at = excluded.verified_at`,
		uid, r.Sealed, r.Provider, formatTime(r.VerifiedAt))
	return FormatError(err)
}

// FindRealName returns the context user's verification.
func (s *RealNameService) FindRealName(ctx context.Context) (*beifen.RealName, error) {
	uid, err := userID(ctx)
	if err != nil {
		return nil, err
	}
	r := &beifen.RealName{UserID: uid}
	var at sql.NullString
	err = s.db.read.QueryRowContext(ctx, `SELECT sealed, provider, verified_at FROM realnames WHERE user_id = ?`, uid).
		Scan(&r.Sealed, &r.Provider, &at)
	if err == sql.ErrNoRows {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "Real name not verified.")
	} else if err != nil {
		return nil, FormatError(err)
	}
	r.VerifiedAt = parseTime(at)
	return r, nil
}

// DeleteRealName removes the context user's verification.
func (s *RealNameService) DeleteRealName(ctx context.Context) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	res, err := s.db.write.ExecContext(ctx, `DELETE FROM realnames WHERE user_id = ?`, uid)
	if err != nil {
		return FormatError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return beifen.Errorf(beifen.ENOTFOUND, "Real name not verified.")
	}
	return nil
}
