package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/beifen/beifen"
)

// OTPService stores sign-in codes in SQLite.
type OTPService struct{ db *DB }

var _ beifen.OTPService = (*OTPService)(nil)

// NewOTPService returns an OTPService on db.
func NewOTPService(db *DB) *OTPService { return &OTPService{db: db} }

// FindOTP returns ENOTFOUND if no code was requested for the number.
func (s *OTPService) FindOTP(ctx context.Context, phoneHash []byte) (*beifen.OTP, error) {
	return findOTP(ctx, s.db.read, phoneHash)
}

// PutOTP creates or replaces the state of a number.
func (s *OTPService) PutOTP(ctx context.Context, o *beifen.OTP) error {
	_, err := s.db.write.ExecContext(ctx, `
		INSERT INTO otps (
			phone_hash,
			code_hash,
			sent_at,
			expires_at,
			attempts,
			locked_until
		) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (phone_hash) DO UPDATE SET
			code_hash = excluded.code_hash,
			sent_at = excluded.sent_at,
			expires_at = excluded.expires_at,
			attempts = excluded.attempts,
			locked_until = excluded.locked_until`,
		o.PhoneHash, o.CodeHash, formatTime(o.SentAt), formatTime(o.ExpiresAt), o.Attempts, nullTime(o.LockedUntil))
	return FormatError(err)
}

// FailOTP counts one wrong code and locks the number when the count reaches max.
func (s *OTPService) FailOTP(ctx context.Context, phoneHash []byte, max int, until time.Time) (*beifen.OTP, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `
		UPDATE otps SET
			attempts = attempts + 1,
			locked_until = CASE WHEN attempts + 1 >= ? THEN ? ELSE locked_until END,
			code_hash = CASE WHEN attempts + 1 >= ? THEN NULL ELSE code_hash END
		WHERE phone_hash = ?`, max, formatTime(until), max, phoneHash)
	if err != nil {
		return nil, FormatError(err)
	}
	o, err := findOTP(ctx, tx, phoneHash)
	if err != nil {
		return nil, err
	}
	return o, tx.Commit()
}

// DeleteOTP removes the state of a number.
func (s *OTPService) DeleteOTP(ctx context.Context, phoneHash []byte) error {
	_, err := s.db.write.ExecContext(ctx, `DELETE FROM otps WHERE phone_hash = ?`, phoneHash)
	return FormatError(err)
}

func findOTP(ctx context.Context, q queryer, phoneHash []byte) (*beifen.OTP, error) {
	var o beifen.OTP
	var sent, expires, locked sql.NullString
	err := q.QueryRowContext(ctx, `
		SELECT
			phone_hash,
			code_hash,
			sent_at,
			expires_at,
			attempts,
			locked_until
		FROM otps WHERE phone_hash = ?`, phoneHash,
	).Scan(&o.PhoneHash, &o.CodeHash, &sent, &expires, &o.Attempts, &locked)
	if err == sql.ErrNoRows {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "No code was requested for this number.")
	} else if err != nil {
		return nil, FormatError(err)
	}
	o.SentAt, o.ExpiresAt, o.LockedUntil = parseTime(sent), parseTime(expires), parseTime(locked)
	return &o, nil
}
