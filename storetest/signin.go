package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

func testSignIn(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	s := open(t)
	u, _ := MustCreateUser(t, ctx, s)
	other, _ := MustCreateUser(t, ctx, s)
	at := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	home, cafe := []byte("net-home"), []byte("net-cafe")
	for i, in := range []*beifen.SignIn{
		{UserID: u.ID, At: at, Method: "code", Device: "Chrome on Android", Network: home, NewNetwork: true},
		{UserID: u.ID, At: at.Add(time.Hour), Method: "password", Device: "Safari on iPhone", Network: home},
		{UserID: other.ID, At: at, Method: "code", Device: "x", Network: cafe},
	} {
		if err := s.SignIns.AddSignIn(ctx, in); err != nil {
			t.Fatal(i, err)
		}
	}
	list, err := s.SignIns.FindSignIns(ctx, u.ID, 10)
	if err != nil || len(list) != 2 || list[0].Method != "password" || !list[0].At.Equal(at.Add(time.Hour)) || list[1].Device != "Chrome on Android" || !list[1].NewNetwork || list[0].NewNetwork {
		t.Fatalf("FindSignIns=%+v, %v", list, err)
	}
	if known, err := s.SignIns.KnownNetwork(ctx, u.ID, home); err != nil || !known {
		t.Fatalf("home network unknown: %v", err)
	}
	if known, err := s.SignIns.KnownNetwork(ctx, u.ID, cafe); err != nil || known {
		t.Fatalf("another account's network counted: %v", err)
	}
	if err := s.Users.EraseUser(ctx, u.ID, randBytes(32), []byte("x")); err != nil {
		t.Fatal(err)
	}
	if n, err := s.SignIns.DeleteSignInsBefore(ctx, at.Add(time.Minute)); err != nil || n != 1 {
		t.Fatalf("DeleteSignInsBefore=%d, %v (want the other account's one)", n, err)
	}
	if list, err := s.SignIns.FindSignIns(ctx, u.ID, 10); err != nil || len(list) != 0 {
		t.Fatalf("an erased account kept its sign-in history: %v %v", list, err)
	}
}
