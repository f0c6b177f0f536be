package beifen

import (
	"context"
	"time"
)

// SignIn is one successful sign-in: when, how, from what kind of device, and from which network.
// The network is a keyed hash of the address's /24 (IPv4) or /48 (IPv6), so it can be compared
// but not read back; the device is the browser or app family, never the full user agent.
type SignIn struct {
	UserID  int64     `json:"-"`
	At      time.Time `json:"at"`
	Method  string    `json:"method"` // "code" or "password"
	Device  string    `json:"device"` // e.g. "Chrome on Android", "beifen CLI"
	Network []byte    `json:"-"`
	// NewNetwork is set when the account had never signed in from this network before.
	NewNetwork bool `json:"new_network"`
}

// Client is what a request says about where it comes from, passed to the services in the
// context.
type Client struct {
	Device string // the browser or app family
	Prefix string // the address's /24 (IPv4) or /48 (IPv6); "" when unknown
}

type clientKey struct{}

// NewContextWithClient returns ctx carrying the request's client.
func NewContextWithClient(ctx context.Context, c Client) context.Context {
	return context.WithValue(ctx, clientKey{}, c)
}

// ClientFromContext returns the request's client, if any.
func ClientFromContext(ctx context.Context) Client {
	c, _ := ctx.Value(clientKey{}).(Client)
	return c
}

// SignInService keeps each account's sign-in history (clause 1.2.2c).
type SignInService interface {
	// AddSignIn records a sign-in.
	AddSignIn(ctx context.Context, s *SignIn) error

	// FindSignIns returns an account's last sign-ins, newest first (at most limit).
	FindSignIns(ctx context.Context, userID int64, limit int) ([]*SignIn, error)

	// KnownNetwork reports whether the account signed in from this network before.
	KnownNetwork(ctx context.Context, userID int64, network []byte) (bool, error)

	// DeleteSignInsBefore removes every account's sign-ins older than t, and returns how many.
	DeleteSignInsBefore(ctx context.Context, t time.Time) (int, error)
}

// SignInRetention is how long the sign-in history, the platform's security log of accounts, is
// kept: the law asks for at least six months of network logs (Cybersecurity Law art. 21); a year
// covers that with room, and then it goes.
const SignInRetention = 365 * 24 * time.Hour
