package storetest

import (
	"context"
	"testing"

	"github.com/beifen/beifen"
)

func testUserState(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	s := open(t)
	_, a := MustCreateUser(t, ctx, s)
	_, b := MustCreateUser(t, ctx, s)
	_, err := s.UserState.GetUserState(a, "searches")
	wantError(t, err, beifen.ENOTFOUND, "Not set.")
	for _, v := range []string{"one", "two"} {
		if err := s.UserState.PutUserState(a, "searches", []byte(v)); err != nil {
			t.Fatal(err)
		}
	}
	s.UserState.PutUserState(a, "draft:complaint", []byte("d"))
	s.UserState.PutUserState(b, "searches", []byte("b's"))
	if v, err := s.UserState.GetUserState(a, "searches"); err != nil || string(v) != "two" {
		t.Fatalf("GetUserState=%q, %v", v, err)
	}
	if err := s.UserState.ClearUserState(a); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"searches", "draft:complaint"} {
		_, err := s.UserState.GetUserState(a, name)
		wantError(t, err, beifen.ENOTFOUND, "Not set.")
	}
	if v, err := s.UserState.GetUserState(b, "searches"); err != nil || string(v) != "b's" {
		t.Fatalf("another user's state was cleared: %q %v", v, err)
	}
	wantError(t, s.UserState.PutUserState(ctx, "x", nil), beifen.EUNAUTHORIZED, "You must be signed in.")
}
