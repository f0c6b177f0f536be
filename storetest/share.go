package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

func testShare(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	s := open(t)
	u, uctx := MustCreateUser(t, ctx, s)
	_, octx := MustCreateUser(t, ctx, s)
	exp := time.Now().Add(7 * 24 * time.Hour).UTC().Truncate(time.Second)
	a := &beifen.Share{TokenHash: randBytes(32), Kind: "file", Sealed: []byte("ref-a"), ExpiresAt: exp}
	b := &beifen.Share{TokenHash: randBytes(32), Kind: "contact", Sealed: []byte("ref-b"), ExpiresAt: exp}
	for _, sh := range []*beifen.Share{a, b} {
		if err := s.Shares.CreateShare(uctx, sh); err != nil {
			t.Fatal(err)
		}
	}
	if a.ID == 0 || b.ID <= a.ID || a.UserID != u.ID {
		t.Fatalf("ids %d %d user %d", a.ID, b.ID, a.UserID)
	}
	wantError(t, s.Shares.CreateShare(ctx, &beifen.Share{TokenHash: randBytes(32), Kind: "file", Sealed: []byte("x"), ExpiresAt: exp}),
		beifen.EUNAUTHORIZED, "You must be signed in.")
	got, err := s.Shares.FindShareByToken(ctx, a.TokenHash)
	if err != nil || got.ID != a.ID || got.UserID != u.ID || string(got.Sealed) != "ref-a" || !got.ExpiresAt.Equal(exp) || !got.Live(time.Now()) {
		t.Fatalf("FindShareByToken=%+v, %v", got, err)
	}
	_, err = s.Shares.FindShareByToken(ctx, randBytes(32))
	wantError(t, err, beifen.ENOTFOUND, "Share link not found.")
	at := time.Now().UTC().Truncate(time.Second)
	for i := 0; i < 2; i++ {
		if err := s.Shares.LogShareAccess(ctx, a.ID, at.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if times, err := s.Shares.ShareAccesses(uctx, a.ID); err != nil || len(times) != 2 || !times[0].Equal(at) {
		t.Fatalf("ShareAccesses=%v, %v", times, err)
	}
	if times, err := s.Shares.ShareAccesses(octx, a.ID); err != nil || len(times) != 0 {
		t.Fatalf("another user read the access log: %v, %v", times, err)
	}
	wantError(t, s.Shares.RevokeShare(octx, a.ID, at), beifen.ENOTFOUND, "Share link not found.")
	if err := s.Shares.RevokeShare(uctx, a.ID, at); err != nil {
		t.Fatal(err)
	}
	if err := s.Shares.RevokeShare(uctx, a.ID, at.Add(time.Hour)); err != nil { // the first revocation stands
		t.Fatal(err)
	}
	list, err := s.Shares.FindShares(uctx)
	if err != nil || len(list) != 2 || list[0].ID != b.ID || list[1].Accesses != 2 || !list[1].RevokedAt.Equal(at) || list[1].Live(time.Now()) {
		t.Fatalf("FindShares=%+v, %v", list, err)
	}
	if other, err := s.Shares.FindShares(octx); err != nil || len(other) != 0 {
		t.Fatalf("another user's shares: %v %v", other, err)
	}
	if err := s.Users.EraseUser(ctx, u.ID, randBytes(32), []byte("x")); err != nil {
		t.Fatal(err)
	}
	_, err = s.Shares.FindShareByToken(ctx, b.TokenHash)
	wantError(t, err, beifen.ENOTFOUND, "Share link not found.")
}
