package beifen

import (
	"context"
	"time"
)

// LegalHold keeps an account's data from being erased while the law requires it kept (clause
// 1.9: a lawful exemption), whatever the owner or the retention rules ask. Placing and lifting
// one is audited.
type LegalHold struct {
	ID       int64     `json:"id"`
	UserID   int64     `json:"user_id"`
	Reason   string    `json:"reason"` // the legal basis: a case number, an authority's request
	PlacedAt time.Time `json:"placed_at"`
	LiftedAt time.Time `json:"lifted_at,omitzero"`
}

// HoldService stores legal holds.
type HoldService interface {
	// PlaceHold stores a hold and sets its ID. Returns ECONFLICT if the account is held already.
	PlaceHold(ctx context.Context, h *LegalHold) error

	// LiftHold ends the account's hold. Returns ENOTFOUND if it has none.
	LiftHold(ctx context.Context, userID int64, at time.Time) error

	// FindHolds returns the holds in force (and, with lifted, the lifted ones too), newest first.
	FindHolds(ctx context.Context, lifted bool) ([]*LegalHold, error)

	// IsHeld reports whether the account is under a hold now.
	IsHeld(ctx context.Context, userID int64) (bool, error)
}
