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

// newSignIn describes a sign-in of u from the request's device and network, noting whether the
// account never signed in from that network before.
func (s *Service) newSignIn(ctx context.Context, u *beifen.User, method string) (*beifen.SignIn, error) {
	c := beifen.ClientFromContext(ctx)
	in := &beifen.SignIn{UserID: u.ID, At: s.Now().UTC(), Method: method, Device: c.Device, Network: s.networkHash(c.Prefix)}
	if in.Device == "" {
		in.Device = "unknown"
	}
	if in.Network != nil {
		known, err := s.Store.SignIns.KnownNetwork(ctx, u.ID, in.Network)
		if err != nil {
			return nil, err
		}
		in.NewNetwork = !known
	}
	return in, nil
}

// fromStrangeNetwork reports whether a sign-in comes from a network new to an account that has
// signed in before (from elsewhere): a password alone is not enough then.
func (s *Service) fromStrangeNetwork(ctx context.Context, in *beifen.SignIn) (bool, error) {
	if !in.NewNetwork {
		return false, nil
	}
	prior, err := s.Store.SignIns.FindSignIns(ctx, in.UserID, 1)
	return len(prior) > 0, err
}

// keepSignIn adds a successful sign-in to the account's history.
func (s *Service) keepSignIn(ctx context.Context, in *beifen.SignIn) error {
	if err := s.Store.SignIns.AddSignIn(ctx, in); err != nil {
		return err
	}
	s.Logger.InfoContext(ctx, "signed in", "user_id", in.UserID, "method", in.Method, "new_network", in.NewNetwork)
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
