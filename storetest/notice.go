package storetest

import (
	"context"
	"testing"

	"github.com/beifen/beifen"
)

func testNotice(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	s := open(t)
	a, _ := MustCreateUser(t, ctx, s)
	b, _ := MustCreateUser(t, ctx, s)
	wantError(t, s.Notices.CreateNotices(ctx, []*beifen.Notice{{UserID: a.ID, Kind: "ad", Title: "x", Body: "y"}}),
		beifen.EINVALID, "A notice is a service notice or a marketing message.")
	list := []*beifen.Notice{
		{UserID: a.ID, Kind: "service", Title: "维护通知", Body: "今晚 23:00 维护"},
		{UserID: b.ID, Kind: "service", Title: "维护通知", Body: "今晚 23:00 维护"},
		{UserID: a.ID, Kind: "marketing", Title: "会员活动", Body: "新用户送 10G 空间 回复TD退订"},
	}
	if err := s.Notices.CreateNotices(ctx, list); err != nil {
		t.Fatal(err)
	}
	got, err := s.Notices.FindNotices(ctx, a.ID, 10)
	if err != nil || len(got) != 2 || got[0].Kind != "marketing" || got[1].Title != "维护通知" || got[0].CreatedAt.IsZero() || got[0].ID != list[2].ID {
		t.Fatalf("FindNotices=%+v, %v", got, err)
	}
	if got, _ := s.Notices.FindNotices(ctx, b.ID, 10); len(got) != 1 {
		t.Fatalf("b's notices %+v", got)
	}
	if err := s.Users.EraseUser(ctx, a.ID, randBytes(32), []byte("x")); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Notices.FindNotices(ctx, a.ID, 10); len(got) != 0 {
		t.Fatalf("an erased account kept its notices: %+v", got)
	}
}
