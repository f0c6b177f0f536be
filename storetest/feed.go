package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/beifen/beifen"
)

func testFeed(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	s := open(t)
	team, adminCtx := MustCreateMember(t, ctx, s, nil, beifen.RoleAdmin)
	_, staffCtx := MustCreateMember(t, ctx, s, team, beifen.RoleStaff)
	_, otherCtx := MustCreateMember(t, ctx, s, nil, beifen.RoleAdmin)
	solo, soloCtx := MustCreateUser(t, ctx, s)
	admin, staff := beifen.UserFromContext(adminCtx), beifen.UserFromContext(staffCtx)
	for _, u := range []*beifen.User{admin, staff} { // live accounts have a data key; erased ones do not
		key := randBytes(60)
		if _, err := s.Users.UpdateUser(ctx, u.ID, beifen.UserUpdate{WrappedKey: &key}); err != nil {
			t.Fatal(err)
		}
	}

	global := &beifen.FeedChannel{Name: "产品公告"}
	teamCh := &beifen.FeedChannel{TeamID: team.ID, Name: "销售技巧"}
	for _, c := range []*beifen.FeedChannel{global, teamCh} {
		if err := s.Feeds.CreateFeedChannel(ctx, c); err != nil || c.ID == 0 {
			t.Fatalf("CreateFeedChannel=%v", err)
		}
	}
	t.Run("ChannelConflict", func(t *testing.T) {
		wantError(t, s.Feeds.CreateFeedChannel(ctx, &beifen.FeedChannel{TeamID: team.ID, Name: "销售技巧"}), beifen.ECONFLICT,
			"There is a channel of that name already.")
		wantError(t, s.Feeds.CreateFeedChannel(ctx, &beifen.FeedChannel{Name: " "}), beifen.EINVALID,
			"A channel needs a name of at most 40 characters.")
	})
	t.Run("ChannelsScopedToTeam", func(t *testing.T) {
		if list, err := s.Feeds.FindFeedChannels(staffCtx); err != nil || len(list) != 2 {
			t.Fatalf("member sees %d channels, %v; want 2", len(list), err)
		}
		if list, err := s.Feeds.FindFeedChannels(otherCtx); err != nil || len(list) != 1 || list[0].ID != global.ID {
			t.Fatalf("another team sees %+v, %v; want only the platform's", list, err)
		}
		_, err := s.Feeds.FindFeedChannelByID(otherCtx, teamCh.ID)
		wantError(t, err, beifen.ENOTFOUND, "Channel not found.")
	})

	// Posts: one in each channel, and one by the staff member to the team.
	for _, p := range []struct {
		ctx context.Context
		p   *beifen.FeedPost
	}{{adminCtx, &beifen.FeedPost{ChannelID: global.ID, Text: "新版本上线"}},
		{adminCtx, &beifen.FeedPost{ChannelID: teamCh.ID, Text: "开场白三要素"}},
		{staffCtx, &beifen.FeedPost{Text: "今天签了两单"}}} {
		if err := s.Feeds.CreateFeedPost(p.ctx, p.p); err != nil || p.p.ID == 0 {
			t.Fatalf("CreateFeedPost=%v", err)
		}
	}
	t.Run("PostRules", func(t *testing.T) {
		wantError(t, s.Feeds.CreateFeedPost(soloCtx, &beifen.FeedPost{Text: "hi"}), beifen.EFORBIDDEN, "You are not a member of a team.")
		wantError(t, s.Feeds.CreateFeedPost(otherCtx, &beifen.FeedPost{ChannelID: teamCh.ID, Text: "hi"}), beifen.ENOTFOUND, "Channel not found.")
		wantError(t, s.Feeds.CreateFeedPost(adminCtx, &beifen.FeedPost{Text: ""}), beifen.EINVALID, "")
	})

	t.Run("FollowsShowPosts", func(t *testing.T) {
		if posts, err := s.Feeds.FindFeedPosts(adminCtx, 10); err != nil || len(posts) != 0 {
			t.Fatalf("posts before following: %d, %v", len(posts), err)
		}
		member := &beifen.FeedFollow{MemberID: staff.ID}
		for _, f := range []*beifen.FeedFollow{{ChannelID: global.ID}, {ChannelID: teamCh.ID}, member} {
			if err := s.Feeds.CreateFeedFollow(adminCtx, f); err != nil || f.ID == 0 {
				t.Fatalf("CreateFeedFollow=%v", err)
			}
		}
		again := &beifen.FeedFollow{MemberID: staff.ID}
		if err := s.Feeds.CreateFeedFollow(adminCtx, again); err != nil || again.ID != member.ID {
			t.Fatalf("following again: ID=%d, %v; want %d", again.ID, err, member.ID)
		}
		posts, err := s.Feeds.FindFeedPosts(adminCtx, 10)
		if err != nil || len(posts) != 3 || posts[0].Text != "今天签了两单" || posts[0].AuthorID != staff.ID || posts[2].ChannelID != global.ID {
			t.Fatalf("FindFeedPosts=%+v, %v", posts, err)
		}
		if follows, err := s.Feeds.FindFeedFollows(adminCtx); err != nil || len(follows) != 3 || follows[2].MemberID != staff.ID {
			t.Fatalf("FindFeedFollows=%+v, %v", follows, err)
		}
		if err := s.Feeds.DeleteFeedFollow(adminCtx, member.ID); err != nil {
			t.Fatal(err)
		}
		if posts, _ := s.Feeds.FindFeedPosts(adminCtx, 10); len(posts) != 2 {
			t.Fatalf("%d posts after unfollowing the member, want 2", len(posts))
		}
	})
	t.Run("OwnPostsShow", func(t *testing.T) {
		posts, err := s.Feeds.FindFeedPosts(staffCtx, 10)
		if err != nil || len(posts) != 1 || posts[0].AuthorID != staff.ID {
			t.Fatalf("the author's own feed: %+v, %v", posts, err)
		}
	})
	t.Run("DeletePost", func(t *testing.T) {
		p := &beifen.FeedPost{Text: "发错了"}
		if err := s.Feeds.CreateFeedPost(staffCtx, p); err != nil {
			t.Fatal(err)
		}
		wantError(t, s.Feeds.DeleteFeedPost(adminCtx, p.ID), beifen.ENOTFOUND, "Post not found.")
		// A colleague's "not interested" mark carries a label cut from the post: it goes too.
		mark := &beifen.FeedMark{Item: fmt.Sprintf("post:%d", p.ID), Topic: "member:1", Label: "发错了"}
		if err := s.Feeds.CreateFeedMark(adminCtx, mark); err != nil {
			t.Fatal(err)
		}
		if err := s.Feeds.DeleteFeedPost(staffCtx, p.ID); err != nil {
			t.Fatal(err)
		}
		if list, _ := s.Feeds.FindFeedMarks(adminCtx); len(list) != 0 {
			t.Fatalf("marks on a deleted post are kept: %+v", list)
		}
		wantError(t, s.Feeds.DeleteFeedPost(staffCtx, p.ID), beifen.ENOTFOUND, "Post not found.")
	})
	t.Run("FollowTenancy", func(t *testing.T) {
		wantError(t, s.Feeds.CreateFeedFollow(otherCtx, &beifen.FeedFollow{MemberID: staff.ID}), beifen.ENOTFOUND, "Team member not found.")
		wantError(t, s.Feeds.CreateFeedFollow(soloCtx, &beifen.FeedFollow{MemberID: admin.ID}), beifen.ENOTFOUND, "Team member not found.")
		wantError(t, s.Feeds.CreateFeedFollow(otherCtx, &beifen.FeedFollow{ChannelID: teamCh.ID}), beifen.ENOTFOUND, "Channel not found.")
		wantError(t, s.Feeds.CreateFeedFollow(adminCtx, &beifen.FeedFollow{}), beifen.EINVALID, "Follow either a channel or a team member.")
		follows, _ := s.Feeds.FindFeedFollows(adminCtx)
		wantError(t, s.Feeds.DeleteFeedFollow(otherCtx, follows[0].ID), beifen.ENOTFOUND, "Follow not found.")
		if mine, _ := s.Feeds.FindFeedFollows(otherCtx); len(mine) != 0 {
			t.Fatalf("another user sees %d follows", len(mine))
		}
		if ids, err := s.Feeds.FindFeedMembers(adminCtx); err != nil || len(ids) != 1 || ids[0] != staff.ID {
			t.Fatalf("FindFeedMembers=%v, %v", ids, err)
		}
		if ids, err := s.Feeds.FindFeedMembers(soloCtx); err != nil || len(ids) != 0 {
			t.Fatalf("a personal account's members %v, %v", ids, err)
		}
	})
	t.Run("Marks", func(t *testing.T) {
		m := &beifen.FeedMark{Item: "tip:phone-sms", Topic: "kind:tip", Label: "导出短信"}
		if err := s.Feeds.CreateFeedMark(soloCtx, m); err != nil || m.ID == 0 || m.CreatedAt.IsZero() {
			t.Fatalf("CreateFeedMark=%+v, %v", m, err)
		}
		again := &beifen.FeedMark{Item: "tip:phone-sms", Topic: "kind:tip", Label: "x"}
		if err := s.Feeds.CreateFeedMark(soloCtx, again); err != nil || again.ID != m.ID || again.Label != "导出短信" {
			t.Fatalf("marking again=%+v, %v", again, err)
		}
		if list, err := s.Feeds.FindFeedMarks(soloCtx); err != nil || len(list) != 1 || list[0].Item != "tip:phone-sms" || list[0].UserID != solo.ID {
			t.Fatalf("FindFeedMarks=%+v, %v", list, err)
		}
		if list, _ := s.Feeds.FindFeedMarks(adminCtx); len(list) != 0 {
			t.Fatalf("another user sees %d marks", len(list))
		}
		wantError(t, s.Feeds.DeleteFeedMark(adminCtx, m.ID), beifen.ENOTFOUND, "Mark not found.")
		if err := s.Feeds.DeleteFeedMark(soloCtx, m.ID); err != nil {
			t.Fatal(err)
		}
		wantError(t, s.Feeds.DeleteFeedMark(soloCtx, m.ID), beifen.ENOTFOUND, "Mark not found.")
	})
	t.Run("Engagement", func(t *testing.T) {
		for _, topic := range []string{"kind:tip", "kind:tip", "channel:1"} {
			if err := s.Feeds.AddFeedEngagement(soloCtx, topic); err != nil {
				t.Fatal(err)
			}
		}
		if m, err := s.Feeds.FindFeedEngagement(soloCtx); err != nil || m["kind:tip"] != 2 || m["channel:1"] != 1 {
			t.Fatalf("FindFeedEngagement=%v, %v", m, err)
		}
		if m, _ := s.Feeds.FindFeedEngagement(adminCtx); len(m) != 0 {
			t.Fatalf("another user's engagement %v", m)
		}
		if err := s.Feeds.DeleteFeedEngagement(soloCtx); err != nil {
			t.Fatal(err)
		}
		if m, _ := s.Feeds.FindFeedEngagement(soloCtx); len(m) != 0 {
			t.Fatalf("engagement after deletion %v", m)
		}
	})
	t.Run("Erase", func(t *testing.T) {
		if err := s.Feeds.CreateFeedFollow(adminCtx, &beifen.FeedFollow{MemberID: staff.ID}); err != nil {
			t.Fatal(err)
		}
		posts, _ := s.Feeds.FindFeedPosts(adminCtx, 10)
		if len(posts) != 3 {
			t.Fatalf("%d posts, want 3", len(posts))
		}
		for _, p := range posts {
			if p.AuthorID == staff.ID {
				if err := s.Feeds.CreateFeedMark(adminCtx, &beifen.FeedMark{Item: fmt.Sprintf("post:%d", p.ID), Topic: "member:x", Label: p.Text}); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := s.Users.EraseUser(ctx, staff.ID, randBytes(32), []byte("gone")); err != nil {
			t.Fatal(err)
		}
		if posts, _ := s.Feeds.FindFeedPosts(adminCtx, 10); len(posts) != 2 {
			t.Fatalf("%d posts after the author was erased, want the 2 channel posts", len(posts))
		}
		if ids, _ := s.Feeds.FindFeedMembers(adminCtx); len(ids) != 0 {
			t.Fatalf("an erased member is still listed: %v", ids)
		}
		if follows, _ := s.Feeds.FindFeedFollows(adminCtx); len(follows) != 2 {
			t.Fatalf("%d follows after the member was erased, want 2", len(follows))
		}
		for _, m := range mustMarks(t, s, adminCtx) {
			if strings.HasPrefix(m.Item, "post:") {
				t.Fatalf("a mark on the erased member's post is kept: %+v", m)
			}
		}
	})
}

func mustMarks(t *testing.T, s Services, ctx context.Context) []*beifen.FeedMark {
	t.Helper()
	list, err := s.Feeds.FindFeedMarks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return list
}
