package auth

import (
	"context"

	"github.com/beifen/beifen"
)

// Sign-in history and the new-network check (clause 1.2.2c): every sign-in is kept with its
// device family and a keyed hash of its network; a password alone does not open an account from
// a network it never signed in from: the owner signs in with a texted code instead, which proves
// they hold the phone.

// networkHash is the keyed hash of a network prefix: comparable, not readable.
func (s *Service) networkHash(prefix string) []byte {
	if prefix == "" {
		return nil
	}
	return s.Master.Server().Ident([]byte("network:" + prefix))
}

// newNetwork reports whether u has signed in before, but never from the request's network.
func (s *Service) newNetwork(ctx context.Context, u *beifen.User) (bool, error) {
	net := s.networkHash(beifen.ClientFromContext(ctx).Prefix)
	if net == nil {
		return false, nil
	}
	prior, err := s.Store.SignIns.FindSignIns(ctx, u.ID, 1)
	if err != nil || len(prior) == 0 {
		return false, err
	}
	known, err := s.Store.SignIns.KnownNetwork(ctx, u.ID, net)
	return !known, err
}

// recordSignIn keeps a successful sign-in in the account's history.
func (s *Service) recordSignIn(ctx context.Context, u *beifen.User, method string) error {
	c := beifen.ClientFromContext(ctx)
	in := &beifen.SignIn{UserID: u.ID, At: s.Now().UTC(), Method: method, Device: c.Device, Network: s.networkHash(c.Prefix)}
	if in.Device == "" {
		in.Device = "unknown"
	}
	if in.Network != nil {
		known, err := s.Store.SignIns.KnownNetwork(ctx, u.ID, in.Network)
		if err != nil {
			return err
		}
		in.NewNetwork = !known
	}
	if err := s.Store.SignIns.AddSignIn(ctx, in); err != nil {
		return err
	}
	s.Logger.InfoContext(ctx, "signed in", "user_id", u.ID, "method", method, "new_network", in.NewNetwork)
	return nil
}

// SignIns returns the signed-in user's last 50 sign-ins, newest first.
func (s *Service) SignIns(ctx context.Context) ([]*beifen.SignIn, error) {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return nil, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	return s.Store.SignIns.FindSignIns(ctx, u.ID, 50)
}
