package support

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/beifen/beifen"
)

// Unsubscribe links (clause 1.1.3, RFC 8058): every marketing e-mail carries a link that
// withdraws the consent it was sent under, without signing in. Its token is the account ID and
// the purpose sealed under the server key: unguessable, opaque (the link tells nothing about the
// account), bound to that account and purpose, and good for nothing but withdrawing.

var unsubscribeAAD = []byte("beifen unsubscribe")

// UnsubscribeToken returns a token that withdraws a user's consent to purpose.
func (s *Service) UnsubscribeToken(userID int64, purpose beifen.Purpose) string {
	sealed := s.Master.Server().Seal(unsubscribeAAD, []byte(strconv.FormatInt(userID, 10)+":"+string(purpose)))
	return base64.RawURLEncoding.EncodeToString(sealed)
}

// UnsubscribeURL returns the unsubscribe link for a user and purpose.
func (s *Service) UnsubscribeURL(userID int64, purpose beifen.Purpose) string {
	base := ""
	if s.BaseURL != nil {
		base = strings.TrimRight(s.BaseURL(), "/")
	}
	return base + "/unsubscribe/" + s.UnsubscribeToken(userID, purpose)
}

// CheckUnsubscribe returns the account and purpose of a token, changing nothing. Returns
// ENOTFOUND for a token this server did not make or whose account is gone.
func (s *Service) CheckUnsubscribe(ctx context.Context, token string) (*beifen.User, beifen.Purpose, error) {
	invalid := beifen.Errorf(beifen.ENOTFOUND, "This unsubscribe link is not valid.")
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return nil, "", invalid
	}
	pt, err := s.Master.Server().Open(unsubscribeAAD, raw)
	if err != nil {
		return nil, "", invalid
	}
	id, purpose, _ := strings.Cut(string(pt), ":")
	uid, err := strconv.ParseInt(id, 10, 64)
	if info, ok := beifen.PurposeByName(purpose); err != nil || !ok || info.Required {
		return nil, "", invalid
	}
	u, err := s.Store.Users.FindUserByID(ctx, uid)
	if beifen.ErrorCode(err) == beifen.ENOTFOUND || (err == nil && len(u.WrappedKey) == 0) {
		return nil, "", invalid // erased: nothing is sent to it any more
	} else if err != nil {
		return nil, "", err
	}
	return u, beifen.Purpose(purpose), nil
}

// Unsubscribe withdraws the consent a token names, recorded in the ledger as by e-mail, and
// returns the purpose. A second use changes nothing.
func (s *Service) Unsubscribe(ctx context.Context, token string) (beifen.Purpose, error) {
	u, purpose, err := s.CheckUnsubscribe(ctx, token)
	if err != nil {
		return "", err
	}
	if s.Withdraw == nil || s.OpenProfile == nil {
		return "", beifen.Errorf(beifen.EINTERNAL, "Unsubscribing is not wired.")
	}
	if err := s.OpenProfile(u); err != nil {
		return "", err
	}
	if err := s.Withdraw(beifen.NewContextWithUser(ctx, u), purpose, beifen.ConsentByEmail); err != nil {
		return "", err
	}
	s.Logger.InfoContext(ctx, "opt-out by e-mail link", "user_id", u.ID, "purpose", purpose)
	return purpose, nil
}
