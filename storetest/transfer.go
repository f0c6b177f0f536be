package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

func testTransfer(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	s := open(t)
	u, _ := MustCreateUser(t, ctx, s)
	other := randBytes(32)
	at := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	for i, tr := range []*beifen.Transfer{
		{Party: "sms", PhoneHash: u.PhoneHash, At: at},
		{Party: "sms", PhoneHash: u.PhoneHash, At: at.Add(time.Minute)},
		{Party: "sms", PhoneHash: other, At: at},
	} {
		if err := s.Transfers.LogTransfer(ctx, tr); err != nil {
			t.Fatal(i, err)
		}
	}
	list, err := s.Transfers.FindTransfers(ctx, u.PhoneHash, 10)
	if err != nil || len(list) != 2 || !list[0].At.Equal(at.Add(time.Minute)) || list[0].Party != "sms" {
		t.Fatalf("FindTransfers=%+v, %v", list, err)
	}
	if n, err := s.Transfers.CountTransfers(ctx, at); err != nil || n["sms"] != 3 {
		t.Fatalf("CountTransfers=%v, %v", n, err)
	}
	if err := s.Users.EraseUser(ctx, u.ID, randBytes(32), []byte("x")); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.Transfers.FindTransfers(ctx, u.PhoneHash, 10); len(list) != 0 {
		t.Fatalf("an erased account's transfers stayed: %+v", list)
	}
	if list, _ := s.Transfers.FindTransfers(ctx, other, 10); len(list) != 1 {
		t.Fatal("another number's transfers went")
	}
}
