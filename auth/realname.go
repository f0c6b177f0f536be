package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/beifen/beifen"
)

// Real-name verification (clause 1.1.2): asked for only by the features that need it, on the
// user's separate consent, checked by the configured provider, kept sealed under the account's
// key; withdrawing it deletes it and gates those features again.

// sealedRealName is what a RealName's Sealed holds.
type sealedRealName struct {
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
}

func realNameAAD(userID int64) []byte { return fmt.Appendf(nil, "beifen realname\x00user=%d", userID) }

// VerifyRealName checks the signed-in user's name and ID number, with their number, at the
// provider and keeps them. Returns EINVALID for an ID number that fails GB 11643 or a mismatch,
// and EFORBIDDEN without the consent or a provider.
func (s *Service) VerifyRealName(ctx context.Context, id beifen.RealNameIdentity) (*beifen.RealNameStatus, error) {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return nil, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	birthday, err := id.Validate()
	if err != nil {
		return nil, err
	}
	if err := s.realNameConsent(ctx, u, birthday); err != nil {
		return nil, err
	}
	if err := s.realName().VerifyRealName(ctx, id.Name, id.IDNumber, u.Phone); err != nil {
		s.Logger.InfoContext(ctx, "real name not verified", "user_id", u.ID, "code", beifen.ErrorCode(err))
		return nil, err
	}
	keys, err := s.Master.Unwrap(u.ID, u.WrappedKey)
	if err != nil {
		return nil, err
	}
	pt, _ := json.Marshal(sealedRealName{Name: id.Name, IDNumber: id.IDNumber})
	r := &beifen.RealName{Sealed: keys.Seal(realNameAAD(u.ID), pt), Provider: s.RealNameProvider, VerifiedAt: s.Now().UTC()}
	if err := s.Store.RealNames.PutRealName(ctx, r); err != nil {
		return nil, err
	}
	if err := s.setIDBirthday(ctx, u, birthday); err != nil {
		return nil, err
	}
	if err := s.voidChildGrants(ctx, u); err != nil {
		return nil, err
	}
	if err := s.audit(ctx, "realname.verify", u.ID); err != nil {
		return nil, err
	}
	s.Logger.InfoContext(ctx, "real name verified", "user_id", u.ID)
	return s.RealNameStatus(ctx)
}

// realNameConsent refuses a verification without the user's consent in force; for a child under
// 14 by the ID number's birth date, only a guardian's grant counts.
func (s *Service) realNameConsent(ctx context.Context, u *beifen.User, birthday string) error {
	ledger, err := s.Store.Policies.FindConsents(ctx, u.ID)
	if err != nil {
		return err
	}
	age, _ := beifen.AgeOn(birthday, s.Now())
	child := age < beifen.ChildAge
	if beifen.ConsentsInForceFor(ledger, child)[beifen.PurposeRealName] {
		return nil
	}
	if child {
		return beifen.Errorf(beifen.EFORBIDDEN, "Children under 14 need a guardian's consent to real-name verification.")
	}
	return beifen.Errorf(beifen.EFORBIDDEN, "Consent to real-name verification first, in the privacy centre.")
}

func (s *Service) realName() beifen.RealNameVerifier {
	if s.RealName == nil {
		return noRealName{}
	}
	return s.RealName
}

// noRealName is the provider when none is wired: it verifies nobody.
type noRealName struct{}

func (noRealName) VerifyRealName(ctx context.Context, name, idNumber, phone string) error {
	return beifen.Errorf(beifen.EFORBIDDEN, "Real-name verification is not configured on this server.")
}

// setIDBirthday keeps (or, with "", forgets) the verified birth date with the profile, where the
// age rules read it.
func (s *Service) setIDBirthday(ctx context.Context, u *beifen.User, birthday string) error {
	if _, err := s.updateProfile(ctx, u, func(p *profile) { p.IDBirthday = birthday }, ""); err != nil {
		return err
	}
	u.IDBirthday = birthday
	return nil
}

func (s *Service) audit(ctx context.Context, action string, userID int64) error {
	if s.Auditor == nil {
		return nil
	}
	return s.Auditor.Audit(ctx, action, "user:"+strconv.FormatInt(userID, 10))
}

// RealNameStatus returns the signed-in user's verification, masked, and the features that
// require one.
func (s *Service) RealNameStatus(ctx context.Context) (*beifen.RealNameStatus, error) {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return nil, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	st := &beifen.RealNameStatus{Required: []beifen.RealNameFeature{}}
	for _, f := range beifen.RealNameFeatures {
		if s.RealNameFor[f] {
			st.Required = append(st.Required, f)
		}
	}
	r, err := s.Store.RealNames.FindRealName(ctx)
	if beifen.ErrorCode(err) == beifen.ENOTFOUND {
		return st, nil
	} else if err != nil {
		return nil, err
	}
	keys, err := s.Master.Unwrap(u.ID, u.WrappedKey)
	if err != nil {
		return nil, err
	}
	pt, err := keys.Open(realNameAAD(u.ID), r.Sealed)
	if err != nil {
		return nil, fmt.Errorf("open real name of user %d: %w", u.ID, err)
	}
	var sr sealedRealName
	if err := json.Unmarshal(pt, &sr); err != nil {
		return nil, fmt.Errorf("decode real name of user %d: %w", u.ID, err)
	}
	st.Verified, st.Provider, st.VerifiedAt = true, r.Provider, r.VerifiedAt
	st.Name, st.IDNumber = beifen.MaskName(sr.Name), beifen.MaskIDNumber(sr.IDNumber)
	return st, nil
}

// WithdrawRealName deletes the signed-in user's verification and the birth date it gave; the
// features that require one are refused again. Returns ENOTFOUND if there is none.
func (s *Service) WithdrawRealName(ctx context.Context) error {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	if err := s.Store.RealNames.DeleteRealName(ctx); err != nil {
		return err
	}
	if err := s.setIDBirthday(ctx, u, ""); err != nil {
		return err
	}
	s.Logger.InfoContext(ctx, "real name withdrawn", "user_id", u.ID)
	return s.audit(ctx, "realname.withdraw", u.ID)
}

// ConsentWithdrawn deletes what a withdrawn consent allowed to keep: the verification, when the
// consent to real-name verification ends (PIPL art. 47).
func (s *Service) ConsentWithdrawn(ctx context.Context, p beifen.Purpose) error {
	if p != beifen.PurposeRealName {
		return nil
	}
	if err := s.WithdrawRealName(ctx); err != nil && beifen.ErrorCode(err) != beifen.ENOTFOUND {
		return err
	}
	return nil
}

// RealNameGate refuses a feature that requires real-name verification to a user who has none.
// Every other feature, and every user where the operator requires none, passes.
func (s *Service) RealNameGate(ctx context.Context, f beifen.RealNameFeature) error {
	if !s.RealNameFor[f] {
		return nil
	}
	_, err := s.Store.RealNames.FindRealName(ctx)
	if beifen.ErrorCode(err) == beifen.ENOTFOUND {
		return beifen.Errorf(beifen.EREALNAME, "Verify your real name in the privacy centre to use %s; everything else works without it.", featureText[f])
	}
	return err
}

// featureText names each feature in the gate's message.
var featureText = map[beifen.RealNameFeature]string{
	beifen.FeatureShare: "share links",
}
