package auth

import (
	"context"
	"time"

	"github.com/beifen/beifen"
)

// CoolingOff is how long a requested account deletion waits, cancellable, before it takes
// effect (clause 6.4).
const CoolingOff = 15 * 24 * time.Hour

// RequestDeletion asks for the signed-in account to be erased after the cooling-off period. The
// owner proves it is them again with a fresh SMS code (sent with RequestCode). It returns when
// the deletion takes effect.
func (s *Service) RequestDeletion(ctx context.Context, code string) (time.Time, error) {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return time.Time{}, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	if err := s.checkCode(ctx, u.Phone, code); err != nil {
		return time.Time{}, err
	}
	at := s.Now().UTC().Add(CoolingOff)
	if _, err := s.Store.Users.UpdateUser(ctx, u.ID, beifen.UserUpdate{EraseAfter: &at}); err != nil {
		return time.Time{}, err
	}
	if s.Requests != nil && u.EraseAfter.IsZero() { // asking again keeps the first request
		if err := s.Requests.AccountDeletionRequested(ctx); err != nil {
			return time.Time{}, err
		}
	}
	s.Logger.InfoContext(ctx, "account deletion requested", "user_id", u.ID)
	return at, nil
}

// CancelDeletion withdraws a requested deletion during the cooling-off period.
func (s *Service) CancelDeletion(ctx context.Context) error {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	var none time.Time
	if _, err := s.Store.Users.UpdateUser(ctx, u.ID, beifen.UserUpdate{EraseAfter: &none}); err != nil {
		return err
	}
	if s.Requests != nil {
		return s.Requests.AccountDeletionEnded(ctx, u.ID, beifen.RequestCancelled)
	}
	return nil
}

// Anonymous returns the number hash and profile an erased account keeps: random, so the number
// can sign up again as a new account and nothing links the tombstone to the person.
func (s *Service) Anonymous() (phoneHash, sealed []byte) {
	return s.PhoneHash("erased:" + newCode() + newCode() + newCode()), s.sealProfile("", "")
}
