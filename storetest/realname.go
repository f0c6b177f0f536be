package storetest

import (
	"context"
	"testing"

	"github.com/beifen/beifen"
)

func testRealName(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	s := open(t)
	a, actx := MustCreateUser(t, ctx, s)
	_, bctx := MustCreateUser(t, ctx, s)
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := s.RealNames.FindRealName(actx)
		wantError(t, err, beifen.ENOTFOUND, "Real name not verified.")
		wantError(t, s.RealNames.DeleteRealName(actx), beifen.ENOTFOUND, "Real name not verified.")
	})
	t.Run("OK", func(t *testing.T) {
		for _, sealed := range []string{"first", "second"} {
			if err := s.RealNames.PutRealName(actx, &beifen.RealName{Sealed: []byte(sealed), Provider: "某某核验"}); err != nil {
				t.Fatal(err)
			}
		}
		r, err := s.RealNames.FindRealName(actx)
		if err != nil {
			t.Fatal(err)
		}
		if r.UserID != a.ID || string(r.Sealed) != "second" || r.Provider != "某某核验" || r.VerifiedAt.IsZero() {
			t.Fatalf("FindRealName=%+v, want the second verification of user %d", r, a.ID)
		}
	})
	t.Run("Tenancy", func(t *testing.T) {
		_, err := s.RealNames.FindRealName(bctx)
		wantError(t, err, beifen.ENOTFOUND, "Real name not verified.")
		wantError(t, s.RealNames.DeleteRealName(bctx), beifen.ENOTFOUND, "Real name not verified.")
		if _, err := s.RealNames.FindRealName(actx); err != nil {
			t.Fatalf("another user's delete touched the verification: %v", err)
		}
		_, err = s.RealNames.FindRealName(ctx)
		wantError(t, err, beifen.EUNAUTHORIZED, "You must be signed in.")
	})
	t.Run("Delete", func(t *testing.T) {
		if err := s.RealNames.DeleteRealName(actx); err != nil {
			t.Fatal(err)
		}
		_, err := s.RealNames.FindRealName(actx)
		wantError(t, err, beifen.ENOTFOUND, "Real name not verified.")
	})
	t.Run("GoesWithTheAccount", func(t *testing.T) {
		if err := s.RealNames.PutRealName(actx, &beifen.RealName{Sealed: []byte("x"), Provider: "p"}); err != nil {
			t.Fatal(err)
		}
		if err := s.Users.EraseUser(ctx, a.ID, randBytes(32), []byte("anon")); err != nil {
			t.Fatal(err)
		}
		_, err := s.RealNames.FindRealName(actx)
		wantError(t, err, beifen.ENOTFOUND, "Real name not verified.")
	})
}
