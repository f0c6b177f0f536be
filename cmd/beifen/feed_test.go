package main_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/beifen/beifen"
	main "github.com/beifen/beifen/cmd/beifen"
)

// mustRunFeed starts a server with an operator, on PostgreSQL when BEIFEN_TEST_POSTGRES_DSN is
// set and on the embedded SQLite otherwise.
func mustRunFeed(tb testing.TB) (*Server, *uiClient) {
	tb.Helper()
	s := MustRunMainConfig(tb, "", func(c *main.Config) {
		c.Operators = []string{"13600136000"}
		if dsn := os.Getenv("BEIFEN_TEST_POSTGRES_DSN"); dsn != "" {
			c.DB = withSchema(tb, dsn)
		}
	})
	return s, s.mustUIUser(tb, "13600136000")
}

// mustUIMember adds a member to team and returns a page client signed in as them.
func (s *Server) mustUIMember(tb testing.TB, phone, name string, team int64, role beifen.Role) (*uiClient, int64) {
	tb.Helper()
	u, tok, err := s.Auth.CreateMember(context.Background(), phone, name, team, role)
	if err != nil {
		tb.Fatal(err)
	}
	c := &uiClient{tb: tb, base: s.URL, token: tok, lang: "zh-CN,zh;q=0.9"}
	if resp := c.post("/welcome", url.Values{"version": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		tb.Fatalf("accept policy: %d", resp.StatusCode)
	}
	return c, u.ID
}

func (s *Server) mustFeedTeam(tb testing.TB, name string) int64 {
	tb.Helper()
	t := &beifen.Team{Name: name, TimeZone: "Asia/Shanghai"}
	if err := s.CRM.CreateTeam(context.Background(), t); err != nil {
		tb.Fatal(err)
	}
	return t.ID
}

// api sends a JSON request and returns the status and body.
func (c *uiClient) api(method, path, payload string) (int, string) {
	c.tb.Helper()
	req, _ := http.NewRequest(method, c.base+path, strings.NewReader(payload))
	req.Header.Set("Content-Type", "application/json")
	resp := c.do(req)
	return resp.StatusCode, body(resp)
}

// mustAPI is api that fails the test unless the status is want, and decodes the body into v.
func (c *uiClient) mustAPI(want int, method, path, payload string, v any) {
	c.tb.Helper()
	code, page := c.api(method, path, payload)
	if code != want {
		c.tb.Fatalf("%s %s: %d %s, want %d", method, path, code, page, want)
	}
	if v != nil {
		if err := json.Unmarshal([]byte(page), v); err != nil {
			c.tb.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

func (c *uiClient) feed() *beifen.Feed {
	c.tb.Helper()
	f := &beifen.Feed{}
	c.mustAPI(200, "GET", "/api/v1/feed?lang=zh-CN", "", f)
	return f
}

func feedKeys(f *beifen.Feed) []string {
	var out []string
	for _, it := range f.Items {
		out = append(out, it.Key)
	}
	return out
}

// wantNewestFirst fails unless the feed is in plain newest-first order.
func wantNewestFirst(tb testing.TB, f *beifen.Feed) {
	tb.Helper()
	if f.Personalised {
		tb.Fatal("the feed says it is personalised")
	}
	for i := 1; i < len(f.Items); i++ {
		if f.Items[i].CreatedAt.After(f.Items[i-1].CreatedAt) {
			tb.Fatalf("not newest first at %d: %v", i, feedKeys(f))
		}
	}
}

// channelWithPost makes the operator create a platform channel and post text to it, and
// returns the channel's ID and the post's feed key.
func channelWithPost(tb testing.TB, op *uiClient, name, text string) (int64, string) {
	tb.Helper()
	var c beifen.FeedChannel
	op.mustAPI(201, "POST", "/api/v1/feed/channels", `{"name":"`+name+`"}`, &c)
	var p beifen.FeedPost
	op.mustAPI(201, "POST", "/api/v1/feed/channels/"+strconv.FormatInt(c.ID, 10)+"/posts", `{"text":"`+text+`"}`, &p)
	return c.ID, "post:" + strconv.FormatInt(p.ID, 10)
}

func (c *uiClient) follow(field string, id int64) int64 {
	c.tb.Helper()
	var f beifen.FeedFollow
	c.mustAPI(201, "POST", "/api/v1/feed/follows", `{"`+field+`":`+strconv.FormatInt(id, 10)+`}`, &f)
	return f.ID
}

// TestPolicy_3_1_2a_PersonalisationOffUntilTurnedOn: personalisation is a consent purpose of its
// own, unticked for a new user; until they turn it on the feed is plain newest-first however
// much they open, and nothing they open is counted. Once on, what they follow and open ranks
// first; a withdrawal in the privacy centre returns the next request to plain order and erases
// what was counted, so turning it on again starts afresh.
func TestPolicy_3_1_2a_PersonalisationOffUntilTurnedOn(t *testing.T) {
	s, op := mustRunFeed(t)
	u := s.mustUIUser(t, "13800138031")
	req, _ := http.NewRequest("GET", s.URL+"/api/v1/me/consents", nil)
	if page := body(u.do(req)); !strings.Contains(page, `"purpose":"personalisation","required":false,"basis":"consent","granted":false`) {
		t.Fatalf("personalisation is not an optional purpose, off by default: %s", page)
	}
	if page := body(u.get("/privacy")); !regexp.MustCompile(`value="personalisation">`).MatchString(page) {
		t.Fatal("the privacy centre does not offer personalisation unticked")
	}
	channel, post := channelWithPost(t, op, "产品动态", "新版本支持备份通话录音")
	if _, err := s.Announce(context.Background(), mustUser(t, s, "+8613600136000").ID, "发布违规广告，封禁 7 天"); err != nil {
		t.Fatal(err)
	}
	u.follow("channel_id", channel)
	plain := u.feed()
	wantNewestFirst(t, plain)
	if len(plain.Items) != len(beifen.Tips)+2 || plain.Items[0].Kind != beifen.FeedAnnouncement || plain.Items[1].Key != post {
		t.Fatalf("plain feed %v", feedKeys(plain))
	}

	// Opening the oldest tip again and again while personalisation is off changes nothing and
	// counts nothing.
	for range 3 {
		u.mustAPI(200, "POST", "/api/v1/feed/items/tip:privacy-centre/open", "", nil)
	}
	if page := body(u.get("/feed/item/tip:privacy-centre")); !strings.Contains(page, "随时掌控您的数据") {
		t.Fatal("the tip's page does not show it")
	}
	if got := u.feed(); strings.Join(feedKeys(got), " ") != strings.Join(feedKeys(plain), " ") {
		t.Fatalf("engagement changed an unpersonalised feed: %v", feedKeys(got))
	}
	uctx := beifen.NewContextWithUser(context.Background(), mustUser(t, s, "+8613800138031"))
	if opens, err := s.Store.Feeds.FindFeedEngagement(uctx); err != nil || len(opens) != 0 {
		t.Fatalf("opens counted without consent: %v %v", opens, err)
	}

	// Turned on from the feed page: the followed channel's post comes first, then, once tips
	// are opened more, the tips.
	if resp := u.post("/feed/personalise", url.Values{"on": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("turn on: %d", resp.StatusCode)
	}
	on := u.feed()
	if !on.Personalised || on.Items[0].Key != post || !on.Items[0].Followed {
		t.Fatalf("personalised feed %v: the followed post is not first", feedKeys(on))
	}
	for range 3 {
		u.get("/feed/item/tip:phone-sms")
	}
	on = u.feed()
	if on.Items[0].Kind != beifen.FeedTip || on.Items[len(on.Items)-1].Kind != beifen.FeedAnnouncement {
		t.Fatalf("opened tips do not rank first: %v", feedKeys(on))
	}
	if page := body(u.get("/feed")); !strings.Contains(page, `data-personalised="1"`) || !strings.Contains(page, "关闭个性化推荐") {
		t.Fatal("the feed page does not show personalisation on")
	}

	// Withdrawn in the privacy centre: the very next request is plain again, the counts are gone.
	u.setConsent("personalisation", false)
	wantNewestFirst(t, u.feed())
	if opens, _ := s.Store.Feeds.FindFeedEngagement(uctx); len(opens) != 0 {
		t.Fatalf("opens kept after withdrawal: %v", opens)
	}
	u.setConsent("personalisation", true)
	if again := u.feed(); again.Items[0].Key != post {
		t.Fatalf("after consenting again the old opens still count: %v", feedKeys(again))
	}
	if strings.Contains(s.Log.String(), "新版本") || strings.Contains(s.Log.String(), "13800138031") {
		t.Fatal("the log holds feed text or a phone number")
	}
}

// TestPolicy_6_1_1_NotInterestedHidesAndCanBeUndone: "not interested" hides an item at once; the
// user sees their marks and can undo them (nobody else can); while the feed is personalised,
// the rest of that channel sinks below the others, and while it is not, order stays by date.
func TestPolicy_6_1_1_NotInterestedHidesAndCanBeUndone(t *testing.T) {
	s, op := mustRunFeed(t)
	u, other := s.mustUIUser(t, "13800138032"), s.mustUIUser(t, "13800138033")
	promo, firstPromo := channelWithPost(t, op, "促销活动", "双十一扩容五折")
	news, newsPost := channelWithPost(t, op, "产品动态", "新版本支持备份通话录音")
	var p beifen.FeedPost
	op.mustAPI(201, "POST", "/api/v1/feed/channels/"+strconv.FormatInt(promo, 10)+"/posts", `{"text":"会员买一送一"}`, &p)
	latestPromo := "post:" + strconv.FormatInt(p.ID, 10)
	u.follow("channel_id", promo)
	u.follow("channel_id", news)

	// With personalisation off, a mark hides the item and nothing else moves.
	if resp := u.post("/feed/items/"+firstPromo+"/not-interested", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("not interested: %d", resp.StatusCode)
	}
	f := u.feed()
	wantNewestFirst(t, f)
	if f.Hidden != 1 || f.Items[0].Key != latestPromo || f.Items[1].Key != newsPost || strings.Contains(strings.Join(feedKeys(f), " "), firstPromo+" ") {
		t.Fatalf("feed after the mark: %v hidden=%d", feedKeys(f), f.Hidden)
	}

	// Personalised: the channel the user is not interested in sinks below the other one.
	u.setConsent("personalisation", true)
	f = u.feed()
	if f.Items[0].Key != newsPost || f.Items[len(f.Items)-1].Key != latestPromo {
		t.Fatalf("personalised feed after the mark: %v", feedKeys(f))
	}

	// The marks are the user's own: listed, on the page, undoable by them alone.
	var marks []*beifen.FeedMark
	u.mustAPI(200, "GET", "/api/v1/feed/marks", "", &marks)
	if len(marks) != 1 || marks[0].Item != firstPromo || marks[0].Label != "双十一扩容五折" {
		t.Fatalf("marks %+v", marks)
	}
	if page := body(u.get("/feed")); !strings.Contains(page, `action="/feed/marks/`+strconv.FormatInt(marks[0].ID, 10)+`/undo"`) {
		t.Fatal("the feed page does not offer to undo the mark")
	}
	other.mustAPI(200, "GET", "/api/v1/feed/marks", "", &marks)
	if len(marks) != 0 {
		t.Fatalf("another user sees %d marks", len(marks))
	}
	u.mustAPI(200, "GET", "/api/v1/feed/marks", "", &marks)
	id := strconv.FormatInt(marks[0].ID, 10)
	if code, _ := other.api("DELETE", "/api/v1/feed/marks/"+id, ""); code != http.StatusNotFound {
		t.Fatalf("another user undoing the mark: %d", code)
	}
	if resp := u.post("/feed/marks/"+id+"/undo", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("undo: %d", resp.StatusCode)
	}
	u.setConsent("personalisation", false)
	f = u.feed()
	if f.Hidden != 0 || len(f.Items) != len(beifen.Tips)+3 {
		t.Fatalf("after undo: %v hidden=%d", feedKeys(f), f.Hidden)
	}
	if export := body(u.get("/privacy/export.zip")); !strings.Contains(export, "feed.json") {
		t.Fatal("the data download leaves out the feed")
	}
	// An item the user cannot see cannot be marked either.
	if code, _ := u.api("POST", "/api/v1/feed/items/post:99999/not-interested", ""); code != http.StatusNotFound {
		t.Fatalf("marking an unknown item: %d", code)
	}
}

// TestPolicy_6_1_2_FollowAndUnfollowChannelsAndTeammates: a member follows a channel of their
// team and a teammate and sees their posts, named but never numbered; unfollowing takes the
// posts away; another team's members and channels read as not found, and so does someone
// else's follow.
func TestPolicy_6_1_2_FollowAndUnfollowChannelsAndTeammates(t *testing.T) {
	s, _ := mustRunFeed(t)
	east, west := s.mustFeedTeam(t, "华东销售部"), s.mustFeedTeam(t, "华西销售部")
	boss, _ := s.mustUIMember(t, "13700000010", "王经理", east, beifen.RoleAdmin)
	fang, fangID := s.mustUIMember(t, "13700000011", "王芳", east, beifen.RoleStaff)
	li, _ := s.mustUIMember(t, "13700000012", "李雷", east, beifen.RoleStaff)
	outsider, _ := s.mustUIMember(t, "13700000020", "赵六", west, beifen.RoleAdmin)

	if code, _ := fang.api("POST", "/api/v1/feed/channels", `{"name":"闲聊"}`); code != http.StatusForbidden {
		t.Fatalf("a staff member created a channel: %d", code)
	}
	var ch beifen.FeedChannel
	boss.mustAPI(201, "POST", "/api/v1/feed/channels", `{"name":"销售技巧"}`, &ch)
	boss.mustAPI(201, "POST", "/api/v1/feed/channels/"+strconv.FormatInt(ch.ID, 10)+"/posts", `{"text":"开场白三要素"}`, nil)
	if resp := fang.post("/feed/posts", url.Values{"channel_id": {"0"}, "text": {"今天签了两单"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a member's post: %d", resp.StatusCode)
	}

	if f := li.feed(); len(f.Items) != len(beifen.Tips) {
		t.Fatalf("posts before following anything: %v", feedKeys(f))
	}
	own := fang.feed().Items[0]
	if own.Text != "今天签了两单" || own.Followed || !own.Mine {
		t.Fatalf("the author does not see her own post: %+v", own)
	}
	sources := body(li.get("/api/v1/feed/sources"))
	if !strings.Contains(sources, `"name":"王芳"`) || !strings.Contains(sources, `"name":"销售技巧"`) || strings.Contains(sources, "赵六") ||
		strings.Contains(sources, "13700000011") || strings.Contains(sources, "+86") {
		t.Fatalf("sources %s", sources)
	}
	if resp := li.post("/feed/follow", url.Values{"member_id": {strconv.FormatInt(fangID, 10)}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("follow from the page: %d", resp.StatusCode)
	}
	li.follow("channel_id", ch.ID)
	f := li.feed()
	if len(f.Items) != len(beifen.Tips)+2 || f.Items[0].Text != "今天签了两单" || f.Items[0].Source != "王芳" || !f.Items[0].Followed ||
		f.Items[1].Source != "销售技巧" {
		t.Fatalf("followed feed %+v", f.Items[:2])
	}
	if page := body(li.get("/feed")); !strings.Contains(page, "今天签了两单") || !strings.Contains(page, "取消关注") {
		t.Fatal("the feed page does not show the followed post")
	}

	// Another team: the member and the channel are not found, and its feed shows neither.
	if code, _ := outsider.api("POST", "/api/v1/feed/follows", `{"member_id":`+strconv.FormatInt(fangID, 10)+`}`); code != http.StatusNotFound {
		t.Fatalf("another team following a member: %d", code)
	}
	if code, _ := outsider.api("POST", "/api/v1/feed/follows", `{"channel_id":`+strconv.FormatInt(ch.ID, 10)+`}`); code != http.StatusNotFound {
		t.Fatalf("another team following a team channel: %d", code)
	}
	if code, _ := outsider.api("POST", "/api/v1/feed/channels/"+strconv.FormatInt(ch.ID, 10)+"/posts", `{"text":"x"}`); code != http.StatusNotFound {
		t.Fatalf("another team posting to a team channel: %d", code)
	}
	if f := outsider.feed(); len(f.Items) != len(beifen.Tips) {
		t.Fatalf("another team's feed %v", feedKeys(f))
	}

	// Unfollowing: the teammate's post leaves the feed; nobody else may end the follow.
	var follows []*beifen.FeedFollow
	li.mustAPI(200, "GET", "/api/v1/feed/follows", "", &follows)
	if len(follows) != 2 || follows[0].MemberID != fangID {
		t.Fatalf("follows %+v", follows)
	}
	id := strconv.FormatInt(follows[0].ID, 10)
	if code, _ := boss.api("DELETE", "/api/v1/feed/follows/"+id, ""); code != http.StatusNotFound {
		t.Fatalf("someone else unfollowing: %d", code)
	}
	li.mustAPI(http.StatusNoContent, "DELETE", "/api/v1/feed/follows/"+id, "", nil)
	if f := li.feed(); len(f.Items) != len(beifen.Tips)+1 || f.Items[0].Text != "开场白三要素" {
		t.Fatalf("feed after unfollowing %v", feedKeys(f))
	}

	// A post is its author's to delete, and nobody else's.
	li.follow("member_id", fangID)
	post := strconv.FormatInt(own.PostID, 10)
	if code, _ := boss.api("DELETE", "/api/v1/feed/posts/"+post, ""); code != http.StatusNotFound {
		t.Fatalf("someone else deleting a post: %d", code)
	}
	if resp := fang.post("/feed/posts/"+post+"/delete", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete own post: %d", resp.StatusCode)
	}
	if f := li.feed(); len(f.Items) != len(beifen.Tips)+1 {
		t.Fatalf("a deleted post is still in a follower's feed: %v", feedKeys(f))
	}
}
