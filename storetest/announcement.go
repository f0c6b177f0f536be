package storetest

import (
	"context"
	"testing"

	"github.com/beifen/beifen"
)

func testAnnouncement(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	s := open(t)
	u, _ := MustCreateUser(t, ctx, s)
	wantError(t, s.Announces.CreateAnnouncement(ctx, &beifen.Announcement{UserID: u.ID, Text: "违规"}), beifen.EINVALID,
		"An announcement names the account by its public name.")
	for _, text := range []string{"发布违规广告，封禁 7 天", "冒充客服诈骗，永久封禁"} {
		if err := s.Announces.CreateAnnouncement(ctx, &beifen.Announcement{UserID: u.ID, PublicName: "小王", Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	list, err := s.Announces.FindAnnouncements(ctx, 10)
	if err != nil || len(list) != 2 || list[0].Text != "冒充客服诈骗，永久封禁" || list[0].PublicName != "小王" || list[0].CreatedAt.IsZero() {
		t.Fatalf("FindAnnouncements=%+v, %v", list, err)
	}
}
