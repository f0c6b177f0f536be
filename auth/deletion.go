package auth

import (
	"bytes"
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
	if err := s.knownDevice(ctx, u); err != nil {
		return time.Time{}, err
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

// KnownDeviceAge is how long ago a device must have signed in to an account to count as known
// for deleting it.
const KnownDeviceAge = 24 * time.Hour

// knownDevice checks that a deletion comes from a device the account has used before (clause
// 6.4: verify identity, security and device), beside the texted code: someone who took over the
// number and signed in on their own phone a moment ago cannot delete the account at once. A
// device is known when a sign-in from the same device family, and the same network when it is
// known, happened at least KnownDeviceAge ago or was the sign-up itself. An account that never
// signed in (made by an operator with its API token) has no other device than that token.
func (s *Service) knownDevice(ctx context.Context, u *beifen.User) error {
	history, err := s.Store.SignIns.FindSignIns(ctx, u.ID, 200)
	if err != nil || len(history) == 0 {
		return err
	}
	c := beifen.ClientFromContext(ctx)
	device, network := c.Device, s.networkHash(c.Prefix)
	if device == "" {
		device = "unknown"
	}
	now := s.Now()
	var signUp *beifen.SignIn // the account's first sign-in, if the history goes back that far
	if first := history[len(history)-1]; first.At.Sub(u.CreatedAt) < 10*time.Minute {
		signUp = first
	}
	for _, in := range history {
		if in.Device != device || (network != nil && in.Network != nil && !bytes.Equal(in.Network, network)) {
			continue
		}
		if now.Sub(in.At) >= KnownDeviceAge || in == signUp {
			return nil
		}
	}
	s.Logger.InfoContext(ctx, "account deletion from an unknown device refused", "user_id", u.ID)
	return beifen.Errorf(beifen.EFORBIDDEN, "For your safety, ask for deletion from a phone or computer you have used with this account before (at least a day ago).")
}
