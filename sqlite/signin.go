package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/beifen/beifen"
)

// SignInService keeps sign-in history in SQLite.
type SignInService struct{ db *DB }

var _ beifen.SignInService = (*SignInService)(nil)

// NewSignInService returns a SignInService on db.
func NewSignInService(db *DB) *SignInService { return &SignInService{db: db} }

// AddSignIn records a sign-in.
func (s *SignInService) AddSignIn(ctx context.Context, in *beifen.SignIn) error {
	_, err := s.db.write.ExecContext(ctx, `INSERT INTO sign_ins (user_id, at, method, device, network, new_network) VALUES (?, ?, ?, ?, ?, ?)`,
		in.UserID, formatTime(in.At), in.Method, in.Device, in.Network, in.NewNetwork)
	return FormatError(err)
}

// FindSignIns returns an account's last sign-ins, newest first.
func (s *SignInService) FindSignIns(ctx context.Context, userID int64, limit int) ([]*beifen.SignIn, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT at, method, device, network, new_network FROM sign_ins
		WHERE user_id = ? ORDER BY id DESC LIMIT ?`, userID, limit)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	out := []*beifen.SignIn{}
	for rows.Next() {
		in := &beifen.SignIn{UserID: userID}
		var at sql.NullString
		if err := rows.Scan(&at, &in.Method, &in.Device, &in.Network, &in.NewNetwork); err != nil {
			return nil, err
		}
		in.At = parseTime(at)
		out = append(out, in)
	}
	return out, rows.Err()
}

// KnownNetwork reports whether the account signed in from this network before.
func (s *SignInService) KnownNetwork(ctx context.Context, userID int64, network []byte) (bool, error) {
	var n int
	err := s.db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM sign_ins WHERE user_id = ? AND network = ?`,
		userID, network).Scan(&n)
	return n > 0, FormatError(err)
}

// DeleteSignInsBefore removes every account's sign-ins older than t.
func (s *SignInService) DeleteSignInsBefore(ctx context.Context, t time.Time) (int, error) {
	res, err := s.db.write.ExecContext(ctx, `DELETE FROM sign_ins WHERE at < ?`, formatTime(t))
	if err != nil {
		return 0, FormatError(err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
