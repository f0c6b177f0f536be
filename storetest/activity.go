package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

func testMarketingActivity(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	s := open(t)
	u, uctx := MustCreateUser(t, ctx, s)
	_, octx := MustCreateUser(t, ctx, s)
	ends := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	wantError(t, s.Activities.CreateActivity(ctx, &beifen.Activity{Title: "x", EndsAt: ends}), beifen.EINVALID,
		"An activity needs a title and the partner it shares sign-ups with.")
	a := &beifen.Activity{Title: "双十二扩容", Description: "报名送空间", Partner: "某某电商", EndsAt: ends}
	if err := s.Activities.CreateActivity(ctx, a); err != nil || a.ID == 0 {
		t.Fatalf("CreateActivity: %v", err)
	}
	wantError(t, s.Activities.SignUp(uctx, 999, ends), beifen.ENOTFOUND, "Activity not found.")
	for i := 0; i < 2; i++ {
		if err := s.Activities.SignUp(uctx, a.ID, ends.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if ids, err := s.Activities.SignUps(ctx, a.ID); err != nil || len(ids) != 1 || ids[0] != u.ID {
		t.Fatalf("SignUps=%v, %v", ids, err)
	}
	list, err := s.Activities.FindActivities(uctx)
	if err != nil || len(list) != 1 || !list[0].SignedUp || list[0].Partner != "某某电商" || !list[0].EndsAt.Equal(ends) {
		t.Fatalf("FindActivities=%+v, %v", list, err)
	}
	if list, _ := s.Activities.FindActivities(octx); list[0].SignedUp {
		t.Fatal("another user shows as signed up")
	}
	wantError(t, s.Activities.Withdraw(octx, a.ID), beifen.ENOTFOUND, "You are not signed up for this activity.")
	if err := s.Activities.Withdraw(uctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if ids, _ := s.Activities.SignUps(ctx, a.ID); len(ids) != 0 {
		t.Fatalf("after withdrawal %v", ids)
	}
	s.Activities.SignUp(uctx, a.ID, ends.Add(-time.Hour))
	if err := s.Users.EraseUser(ctx, u.ID, randBytes(32), []byte("x")); err != nil {
		t.Fatal(err)
	}
	if ids, _ := s.Activities.SignUps(ctx, a.ID); len(ids) != 0 {
		t.Fatalf("an erased account stayed signed up: %v", ids)
	}
}
