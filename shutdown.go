package beifen

import (
	"context"
	"time"
)

// Closing is the platform's shutdown (clause 6.7): from FrozenAt it collects nothing new, every
// user was told when it closes, they can download their data until EraseAt, and then every
// account is erased.
type Closing struct {
	FrozenAt   time.Time `json:"frozen_at"`
	EraseAt    time.Time `json:"erase_at"`
	NotifiedAt time.Time `json:"notified_at,omitzero"`
	Notified   int       `json:"notified"`
	ErasedAt   time.Time `json:"erased_at,omitzero"`
	Erased     int       `json:"erased"`
	// Summary is what the erasure left, signed with the audit log's key once it is done
	// (a signed note: accounts erased, accounts kept by a legal hold, team keys destroyed,
	// the audit log's size): `beifen shutdown --status` checks the signature and recounts.
	Summary string `json:"summary,omitempty"`
}

// ClosingNoticeDays is the shortest notice users get before their data is erased at shutdown.
const ClosingNoticeDays = 30

// SettingService keeps the platform's own settings, shared by every replica.
type SettingService interface {
	// GetSetting returns a setting's value; ENOTFOUND if it was never set.
	GetSetting(ctx context.Context, name string) ([]byte, error)

	// PutSetting sets a setting.
	PutSetting(ctx context.Context, name string, value []byte) error
}
