package beifen

import "context"

// UserStateService keeps small per-account state the user asked to be remembered, sealed under
// the account key by the service that writes it: recent searches, form drafts (clause 2.2).
// Each is clearable.
type UserStateService interface {
	// PutUserState sets one named value of the context user.
	PutUserState(ctx context.Context, name string, sealed []byte) error

	// GetUserState returns one named value of the context user; ENOTFOUND if unset.
	GetUserState(ctx context.Context, name string) ([]byte, error)

	// ClearUserState removes every value of the context user.
	ClearUserState(ctx context.Context) error
}
