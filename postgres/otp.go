package postgres

import (
	"context"
	"database/sql"
	"time"

	"github.com/beifen/beifen"
)

// OTPService stores sign-in codes in PostgreSQL.
type OTPService struct{ db *DB }

var _ beifen.OTPService = (*OTPService)(nil)

// NewOTPService returns an OTPService on db.
func NewOTPService(db *DB) *OTPService { return &OTPService{db: db} }

// FindOTP returns ENOTFOUND if no code was requested for the number.
func (s *OTPService) FindOTP(ctx context.Context, phoneHash []byte) (*beifen.OTP, error) {
	return findOTP(ctx, s.db.pool, phoneHash)
}

// PutOTP creates or replaces the state of a number.
func (s *OTPService) PutOTP(ctx context.Context, o *beifen.OTP) error {
	_, err := s.db.pool.ExecContext(ctx, `
		INSERT INTO otps (
			phone_hash,
			code_hash,
			sent_at,
			expires_at,
			attempts,
			locked_until
		) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (phone_hash) DO UPDATE SET
			code_hash = excluded.code_hash,
			sent_at = excluded.sent_at,
			expires_at = excluded.expires_at,
			attempts = excluded.attempts,
			locked_until = excluded.locked_until`,
		o.PhoneHash, o.CodeHash, o.SentAt.UTC(), o.ExpiresAt.UTC(), o.Attempts, nullTime(o.LockedUntil))
	return FormatError(err)
}

// FailOTP counts one wrong code and locks the number when the count reaches max. The single
// UPDATE ... RETURNING is atomic, so replicas counting at once lose no attempt.
func (s *OTPService) FailOTP(ctx context.Context, phoneHash []byte, max int, until time.Time) (*beifen.OTP, error) {
	return scanOTP(s.db.pool.QueryRowContext(ctx, `
		UPDATE otps SET
			attempts = attempts + 1,
			locked_until = CASE WHEN attempts + 1 >= $1 THEN $2 ELSE locked_until END,
			code_hash = CASE WHEN attempts + 1 >= $1 THEN NULL ELSE code_hash END
		WHERE phone_hash = $3
		RETURNING `+otpColumns, max, until.UTC(), phoneHash))
}

// DeleteOTP removes the state of a number.
func (s *OTPService) DeleteOTP(ctx context.Context, phoneHash []byte) error {
	_, err := s.db.pool.ExecContext(ctx, `DELETE FROM otps WHERE phone_hash = $1`, phoneHash)
	return FormatError(err)
}

const otpColumns = `
			phone_hash,
			code_hash,
			sent_at,
			expires_at,
			attempts,
			locked_until`

func findOTP(ctx context.Context, q queryer, phoneHash []byte) (*beifen.OTP, error) {
	return scanOTP(q.QueryRowContext(ctx, `SELECT `+otpColumns+` FROM otps WHERE phone_hash = $1`, phoneHash))
}

func scanOTP(row *sql.Row) (*beifen.OTP, error) {
	var o beifen.OTP
	var sent, expires, locked sql.NullTime
	err := row.Scan(&o.PhoneHash, &o.CodeHash, &sent, &expires, &o.Attempts, &locked)
	if err == sql.ErrNoRows {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "No code was requested for this number.")
	} else if err != nil {
		return nil, FormatError(err)
	}
	o.SentAt, o.ExpiresAt, o.LockedUntil = parseTime(sent), parseTime(expires), parseTime(locked)
	return &o, nil
}
