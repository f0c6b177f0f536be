package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

func testRights(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	s := open(t)
	u, _ := MustCreateUser(t, ctx, s)
	other, _ := MustCreateUser(t, ctx, s)
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	late := &beifen.RightsRequest{UserID: u.ID, Kind: beifen.RightAccess, Status: beifen.RequestOpen, Sealed: []byte("a"),
		CreatedAt: now, DueAt: now.Add(21 * 24 * time.Hour)}
	soon := &beifen.RightsRequest{UserID: other.ID, Kind: beifen.RightExplain, Status: beifen.RequestOpen, Sealed: []byte("b"),
		CreatedAt: now, DueAt: now.Add(24 * time.Hour)}
	done := &beifen.RightsRequest{UserID: u.ID, Kind: beifen.RightExport, Status: beifen.RequestDone, Sealed: []byte("c"),
		CreatedAt: now, DueAt: now.Add(21 * 24 * time.Hour), ClosedAt: now}
	for _, r := range []*beifen.RightsRequest{late, soon, done} {
		if err := s.Rights.CreateRightsRequest(ctx, r); err != nil || r.ID == 0 {
			t.Fatalf("create: %v", err)
		}
	}
	// Open ones by deadline; per user; due before a time; not yet reminded.
	got, err := s.Rights.FindRightsRequests(ctx, beifen.RightsRequestFilter{Open: true})
	if err != nil || len(got) != 2 || got[0].ID != soon.ID || got[1].ID != late.ID || !got[0].DueAt.Equal(soon.DueAt) || got[0].Kind != beifen.RightExplain {
		t.Fatalf("open requests %+v, %v", got, err)
	}
	mine, err := s.Rights.FindRightsRequests(ctx, beifen.RightsRequestFilter{UserID: &u.ID})
	if err != nil || len(mine) != 2 || mine[0].Status == "" || string(mine[0].Sealed) == "" {
		t.Fatalf("a user's requests %+v, %v", mine, err)
	}
	for _, r := range mine {
		if r.ID == done.ID && !r.ClosedAt.Equal(now) {
			t.Fatalf("closed_at %v", r.ClosedAt)
		}
	}
	cut := now.Add(48 * time.Hour)
	if due, err := s.Rights.FindRightsRequests(ctx, beifen.RightsRequestFilter{Open: true, DueBefore: &cut, NotReminded: true}); err != nil || len(due) != 1 || due[0].ID != soon.ID {
		t.Fatalf("due soon %+v, %v", due, err)
	}
	if err := s.Rights.MarkRightsReminded(ctx, []int64{soon.ID}, now); err != nil {
		t.Fatal(err)
	}
	if due, err := s.Rights.FindRightsRequests(ctx, beifen.RightsRequestFilter{Open: true, DueBefore: &cut, NotReminded: true}); err != nil || len(due) != 0 {
		t.Fatalf("due soon after the reminder %+v, %v", due, err)
	}
	// Closing: once; a closed or unknown request is not found.
	if err := s.Rights.CloseRightsRequest(ctx, soon.ID, beifen.RequestDone, []byte("b+answer"), cut); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{soon.ID, done.ID, 999} {
		if err := s.Rights.CloseRightsRequest(ctx, id, beifen.RequestRefused, []byte("x"), cut); beifen.ErrorCode(err) != beifen.ENOTFOUND {
			t.Fatalf("close %d again: %v", id, err)
		}
	}
	kind := beifen.RightExplain
	got, err = s.Rights.FindRightsRequests(ctx, beifen.RightsRequestFilter{ID: &soon.ID, Kind: &kind})
	if err != nil || len(got) != 1 || got[0].Status != beifen.RequestDone || string(got[0].Sealed) != "b+answer" || !got[0].ClosedAt.Equal(cut) {
		t.Fatalf("closed request %+v, %v", got, err)
	}
	if got, err := s.Rights.FindRightsRequests(ctx, beifen.RightsRequestFilter{Limit: 1, Offset: 1}); err != nil || len(got) != 1 {
		t.Fatalf("paged %+v, %v", got, err)
	}
}
