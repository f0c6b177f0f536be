package beifen

import (
	"context"
	"time"
)

// Sign-in limits (clause 1.1.1a).
const (
	OTPLength       = 6
	OTPValidFor     = 10 * time.Minute
	OTPResendAfter  = 60 * time.Second
	OTPMaxAttempts  = 5
	OTPLockDuration = 15 * time.Minute
)

// OTP is the one-time sign-in code state of one phone number, kept in the store so that any
// replica can check it.
type OTP struct {
	PhoneHash   []byte // keyed hash of the E.164 number
	CodeHash    []byte // keyed hash of the code
	SentAt      time.Time
	ExpiresAt   time.Time
	Attempts    int // wrong codes since the last lock
	LockedUntil time.Time
}

// OTPService stores sign-in codes.
type OTPService interface {
	// FindOTP returns ENOTFOUND if no code was requested for the number.
	FindOTP(ctx context.Context, phoneHash []byte) (*OTP, error)
	// PutOTP creates or replaces the state of a number.
	PutOTP(ctx context.Context, o *OTP) error
	// FailOTP counts one wrong code atomically and returns the new state; when the count
	// reaches max it sets LockedUntil to until and clears the code.
	FailOTP(ctx context.Context, phoneHash []byte, max int, until time.Time) (*OTP, error)
	// DeleteOTP removes the state of a number (after a successful sign-in).
	DeleteOTP(ctx context.Context, phoneHash []byte) error
}

// Token is an API token or a browser session of a user. Only its hash is stored.
type Token struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"-"`
	Hash      []byte    `json:"-"`
	Kind      string    `json:"kind"` // "api" or "session"
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
}

// TokenService stores tokens.
type TokenService interface {
	// CreateToken stores t and sets its ID.
	CreateToken(ctx context.Context, t *Token) error
	// FindTokenByHash returns ENOTFOUND if there is no such token or it has expired.
	FindTokenByHash(ctx context.Context, hash []byte) (*Token, error)
	// DeleteToken removes one of the context user's tokens. Returns ENOTFOUND if there is none.
	DeleteToken(ctx context.Context, id int64) error

	// FindTokens returns the context user's tokens and sessions that have not expired, oldest
	// first.
	FindTokens(ctx context.Context) ([]*Token, error)
}

// SMSSender sends text messages (sign-in codes now, notices later).
type SMSSender interface {
	// SendSMS sends body to the E.164 number to.
	SendSMS(ctx context.Context, to, body string) error
}

// AuthService signs users in by phone.
type AuthService interface {
	// RequestCode sends a sign-in code to phone. Returns EINVALID for a bad number and
	// ETOOMANY if a code was sent less than a minute ago or the number is locked.
	RequestCode(ctx context.Context, phone string) error

	// SignIn exchanges a code for a token of kind "api" or "session", creating the account on
	// first sign-in. Returns EUNAUTHORIZED for a wrong or expired code and ETOOMANY while locked.
	SignIn(ctx context.Context, phone, code, kind string) (*User, string, error)

	// SignInWithPassword exchanges a password for a token. Returns EUNAUTHORIZED if wrong.
	SignInWithPassword(ctx context.Context, phone, password, kind string) (*User, string, error)

	// SetPassword sets the context user's optional password.
	SetPassword(ctx context.Context, password string) error

	// Authenticate returns the user of a token. Returns EUNAUTHORIZED if it is not valid.
	Authenticate(ctx context.Context, token string) (*User, error)

	// CreateUser creates an account for phone (E.164 after normalising) and returns an API
	// token for it. Returns ECONFLICT if the number has an account.
	CreateUser(ctx context.Context, phone, name string) (*User, string, error)
}
