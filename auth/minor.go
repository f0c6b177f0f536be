package auth

import (
	"context"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/phonenumber"
)

// IsUnconsentedMinor reports whether u is under 18, by a verified ID number or else the birthday
// in their profile, and no guardian has consented yet.
func (s *Service) IsUnconsentedMinor(u *beifen.User) bool {
	age, ok := u.AgeOn(s.Now())
	return ok && age < beifen.AdultAge && u.GuardianConsentAt.IsZero()
}

// MinorGate refuses to keep data of a user under 18 until a guardian consents (clause 7.1).
func (s *Service) MinorGate(ctx context.Context) error {
	if u := beifen.UserFromContext(ctx); u != nil && s.IsUnconsentedMinor(u) {
		return beifen.Errorf(beifen.EFORBIDDEN, "Users under 18 need a guardian's consent before their data is kept.")
	}
	return nil
}

// RequestGuardianCode texts a consent code to the guardian's number, which must not be the
// user's own.
func (s *Service) RequestGuardianCode(ctx context.Context, guardian string) error {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	e164, err := phonenumber.Normalize(guardian)
	if err != nil {
		return err
	}
	if e164 == u.Phone {
		return beifen.Errorf(beifen.EINVALID, "A guardian needs a number of their own.")
	}
	return s.RequestCode(ctx, e164)
}

// ConfirmGuardian records the guardian's consent once they pass on the code texted to them.
func (s *Service) ConfirmGuardian(ctx context.Context, guardian, code string) error {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	e164, err := phonenumber.Normalize(guardian)
	if err != nil {
		return err
	}
	if e164 == u.Phone {
		return beifen.Errorf(beifen.EINVALID, "A guardian needs a number of their own.")
	}
	if err := s.checkCode(ctx, e164, code); err != nil {
		return err
	}
	if _, err := s.updateProfile(ctx, u, func(p *profile) { p.GuardianAt, p.Guardian = s.Now().UTC(), e164 }, ""); err != nil {
		return err
	}
	s.Logger.InfoContext(ctx, "guardian consent recorded", "user_id", u.ID)
	return nil
}

// CheckGuardianCode checks the code texted to a guardian's number (RequestGuardianCode), for a
// guardian's decision on a child's behalf (clause 7.1): under 14, only a guardian turns optional
// purposes on.
func (s *Service) CheckGuardianCode(ctx context.Context, guardian, code string) error {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	e164, err := phonenumber.Normalize(guardian)
	if err != nil {
		return err
	}
	if e164 == u.Phone {
		return beifen.Errorf(beifen.EINVALID, "A guardian needs a number of their own.")
	}
	return s.checkCode(ctx, e164, code)
}

// voidChildGrants withdraws every optional purpose a user now known to be under 14 turned on
// themselves (clause 7.1): for a child only a guardian's grant counts, and every reader of the
// ledger, the statistics included, then sees them off.
func (s *Service) voidChildGrants(ctx context.Context, u *beifen.User) error {
	if !u.IsChild(s.Now()) {
		return nil
	}
	ledger, err := s.Store.Policies.FindConsents(ctx, u.ID)
	if err != nil {
		return err
	}
	own, child := beifen.ConsentsInForce(ledger), beifen.ConsentsInForceFor(ledger, true)
	for _, info := range beifen.Purposes {
		if info.Required || !own[info.Purpose] || child[info.Purpose] {
			continue
		}
		if err := s.Store.Policies.AddConsent(ctx, &beifen.Consent{UserID: u.ID, Purpose: info.Purpose, At: s.Now().UTC()}); err != nil {
			return err
		}
	}
	return nil
}
