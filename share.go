package beifen

import (
	"context"
	"io"
	"time"
)

// Share is a link that lets anyone holding it fetch one backed-up item (a contact card, a
// photo, a recording) until it expires or its owner revokes it (clause 1.6). Only a hash of the
// link's token is stored; what it points at is sealed under the owner's key.
type Share struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"-"`
	TokenHash []byte    `json:"-"`
	Kind      string    `json:"kind"` // "contact" or "file"
	Sealed    []byte    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
	Accesses  int       `json:"accesses"`

	Label string `json:"label,omitempty"` // once opened: the contact's name or the file's name
}

// Share limits.
const (
	MaxShareDays     = 30
	DefaultShareDays = 7
)

// Live reports whether the link works at now.
func (s *Share) Live(now time.Time) bool { return s.RevokedAt.IsZero() && now.Before(s.ExpiresAt) }

// ShareService stores share links.
type ShareService interface {
	// CreateShare stores a link of the context user and sets its ID.
	CreateShare(ctx context.Context, s *Share) error

	// FindShares returns the context user's links, newest first.
	FindShares(ctx context.Context) ([]*Share, error)

	// FindShareByToken returns the link with this token hash, whoever owns it: the link is its
	// own authority. Returns ENOTFOUND if there is none.
	FindShareByToken(ctx context.Context, hash []byte) (*Share, error)

	// RevokeShare ends a link of the context user. Returns ENOTFOUND for another's.
	RevokeShare(ctx context.Context, id int64, at time.Time) error

	// LogShareAccess records that the link was used at at.
	LogShareAccess(ctx context.Context, id int64, at time.Time) error

	// ShareAccesses returns when a link of the context user was used, oldest first.
	ShareAccesses(ctx context.Context, id int64) ([]time.Time, error)
}

// SharedItem is what a link gives its holder: a name, a size and the bytes.
type SharedItem struct {
	Kind string // "contact" or "file"
	Name string
	Size int64
	// Open reads the item from offset to the end.
	Open func(offset int64) (io.ReadCloser, error)
}
