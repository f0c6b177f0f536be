package auth

import (
	"context"
	"fmt"

	"github.com/beifen/beifen"
)

// Push tokens (clause 3.1.2e): a signed-in device registers the token its maker's push service
// gave the app; it is kept sealed, tied to the session it came from, and goes with it.

var pushAAD = []byte("beifen push token")

// RegisterPush stores the push token of the device signed in with session (the request's own
// session or API token), replacing what it registered before. Returns EFORBIDDEN when push is
// off: no token is taken for nothing.
func (s *Service) RegisterPush(ctx context.Context, session, maker, token string) (*beifen.PushDevice, error) {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return nil, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	if s.PushParty == "" {
		return nil, beifen.Errorf(beifen.EFORBIDDEN, "Push notifications are not configured on this server.")
	}
	d := &beifen.PushDevice{Maker: maker, Token: token}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	t, err := s.Store.Tokens.FindTokenByHash(ctx, tokenHash(session))
	if beifen.ErrorCode(err) == beifen.ENOTFOUND || (err == nil && t.UserID != u.ID) {
		return nil, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	} else if err != nil {
		return nil, err
	}
	key := s.Master.Server()
	d.SessionID, d.TokenHash, d.Sealed = t.ID, key.Ident([]byte("push:"+token)), key.Seal(pushAAD, []byte(token))
	if err := s.Store.Pushes.PutPushDevice(ctx, d); err != nil {
		return nil, err
	}
	s.Logger.InfoContext(ctx, "push device registered", "user_id", u.ID, "device_id", d.ID, "maker", maker)
	return d, nil
}

// PushDevices returns the signed-in user's registered devices.
func (s *Service) PushDevices(ctx context.Context) ([]*beifen.PushDevice, error) {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return nil, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	return s.Store.Pushes.FindPushDevices(ctx, u.ID)
}

// PushTo sends title and body to every registered device of u whose session is live, each
// logged first as a transfer to the push service, and returns how many were sent. A device the
// service refuses is skipped: the other channels still carry the message.
func (s *Service) PushTo(ctx context.Context, u *beifen.User, title, body string) (int, error) {
	if s.PushParty == "" || s.Push == nil {
		return 0, nil
	}
	devices, err := s.Store.Pushes.FindPushDevices(ctx, u.ID)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, d := range devices {
		token, err := s.Master.Server().Open(pushAAD, d.Sealed)
		if err != nil {
			return sent, fmt.Errorf("open push token of device %d: %w", d.ID, err)
		}
		d.Token = string(token)
		if err := s.Store.Transfers.LogTransfer(ctx, &beifen.Transfer{Party: s.PushParty, PhoneHash: u.PhoneHash}); err != nil {
			return sent, err
		}
		if err := s.Push.SendPush(ctx, d.Maker, d.Token, title, body); err != nil {
			s.Logger.WarnContext(ctx, "push not sent", "user_id", u.ID, "device_id", d.ID, "err", err)
			continue
		}
		sent++
	}
	return sent, nil
}
