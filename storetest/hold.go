package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

func testHold(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	s := open(t)
	u, _ := MustCreateUser(t, ctx, s)
	other, _ := MustCreateUser(t, ctx, s)
	at := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	h := &beifen.LegalHold{UserID: u.ID, Reason: "(2026)京0105民初123号", PlacedAt: at}
	if err := s.Holds.PlaceHold(ctx, h); err != nil || h.ID == 0 {
		t.Fatalf("PlaceHold: %v %d", err, h.ID)
	}
	wantError(t, s.Holds.PlaceHold(ctx, &beifen.LegalHold{UserID: u.ID, Reason: "again"}), beifen.ECONFLICT, "This account is under a legal hold already.")
	if held, err := s.Holds.IsHeld(ctx, u.ID); err != nil || !held {
		t.Fatalf("IsHeld=%v, %v", held, err)
	}
	if held, err := s.Holds.IsHeld(ctx, other.ID); err != nil || held {
		t.Fatalf("another account held: %v, %v", held, err)
	}
	wantError(t, s.Holds.LiftHold(ctx, other.ID, at), beifen.ENOTFOUND, "This account is not under a legal hold.")
	if err := s.Holds.LiftHold(ctx, u.ID, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if held, _ := s.Holds.IsHeld(ctx, u.ID); held {
		t.Fatal("a lifted hold still holds")
	}
	if active, err := s.Holds.FindHolds(ctx, false); err != nil || len(active) != 0 {
		t.Fatalf("active holds %v %v", active, err)
	}
	all, err := s.Holds.FindHolds(ctx, true)
	if err != nil || len(all) != 1 || all[0].Reason != h.Reason || !all[0].LiftedAt.Equal(at.Add(time.Hour)) || !all[0].PlacedAt.Equal(at) {
		t.Fatalf("all holds %+v %v", all, err)
	}
	if err := s.Holds.PlaceHold(ctx, &beifen.LegalHold{UserID: u.ID, Reason: "a second case"}); err != nil {
		t.Fatalf("a new hold after the first was lifted: %v", err)
	}
}
