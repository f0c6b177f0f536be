package beifen

import (
	"context"
	"time"
)

// ThirdParty is one entry of the published registry of everyone personal data is sent to
// (clause 3.1.1): who, for what, which data.
type ThirdParty struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Purpose string   `json:"purpose"`
	Data    []string `json:"data"` // categories of personal data sent
}

// Transfer is one sending of personal data to a registered third party. The person is kept as
// the keyed hash of their number, or of their e-mail address for the mail server, so each user
// can see their own transfers.
type Transfer struct {
	Party     string    `json:"party"`
	PhoneHash []byte    `json:"-"`
	At        time.Time `json:"at"`
}

// TransferService is the log of outbound transfers.
type TransferService interface {
	// LogTransfer records one transfer.
	LogTransfer(ctx context.Context, t *Transfer) error

	// FindTransfers returns the transfers about a number's or address's hash, newest first (at
	// most limit).
	FindTransfers(ctx context.Context, phoneHash []byte, limit int) ([]*Transfer, error)

	// CountTransfers returns how many transfers each party got since a time.
	CountTransfers(ctx context.Context, since time.Time) (map[string]int, error)
}
