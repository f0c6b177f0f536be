package auth

import (
	"context"
	"strings"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/phonenumber"
)

// SignInWithCarrier signs in (or up) with a carrier one-click token (clause 1.1.1f), only with
// the user's explicit consent in this request. The carrier vouches for the number the way a
// texted code does, so the same rules apply: a locked number stays locked, no new account while
// the platform is closing, the sign-in is kept in the history as "carrier".
func (s *Service) SignInWithCarrier(ctx context.Context, token string, consent bool, kind string) (*beifen.User, string, error) {
	if !consent {
		return nil, "", beifen.Errorf(beifen.EINVALID, "One-click sign-in asks your carrier for your number: it needs your explicit consent (consent: true). You can sign in with a texted code or your password instead.")
	}
	if strings.TrimSpace(token) == "" || len(token) > 4096 {
		return nil, "", beifen.Errorf(beifen.EINVALID, "Carrier token required.")
	}
	if s.Carrier == nil {
		return nil, "", beifen.Errorf(beifen.EFORBIDDEN, "One-click sign-in is not available on this server: sign in with a texted code or your password.")
	}
	// Only now, with consent, does the token go to the carrier (carrier.None refuses).
	number, err := s.Carrier.VerifyToken(ctx, token)
	if err != nil {
		return nil, "", err
	}
	e164, err := phonenumber.Normalize(number)
	if err != nil {
		return nil, "", err
	}
	if o, err := s.Store.OTPs.FindOTP(ctx, s.PhoneHash(e164)); err == nil {
		if err := checkLock(o, s.Now().UTC()); err != nil {
			return nil, "", err
		}
	}
	return s.signInNumber(ctx, e164, "carrier", kind)
}
