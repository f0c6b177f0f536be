package beifen

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// The recommendation feed (clauses 6.1.1, 6.1.2, 3.1.2a): operator announcements, built-in tips,
// and the posts of the channels and team members a user follows. It is in plain newest-first
// order unless the user consents to PurposePersonalisation; only then is it ranked by what they
// follow and open, and by what they marked "not interested".

// Feed item kinds.
const (
	FeedAnnouncement = "announcement" // a moderation announcement (see Announcement)
	FeedTip          = "tip"          // a built-in tip (see Tips)
	FeedChannelPost  = "channel"      // a post in a channel
	FeedMemberPost   = "member"       // a team member's post to their team
)

// FeedItem is one entry of a user's feed. It is assembled for each request, not stored. Its
// Topic is what "similar" means: items of one channel, one member, or one kind share it.
type FeedItem struct {
	Key       string    `json:"key"` // "announcement:3", "tip:backup-contacts", "post:12"
	Kind      string    `json:"kind"`
	Topic     string    `json:"topic"` // "channel:2", "member:7", "kind:tip", "kind:announcement"
	Source    string    `json:"source"`
	Title     string    `json:"title,omitempty"`
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
	Followed  bool      `json:"followed"` // from a channel or member the user follows
	PostID    int64     `json:"post_id,omitempty"`
	Mine      bool      `json:"mine,omitempty"` // the user's own post, which they may delete
}

// Feed is a user's feed as one request sees it.
type Feed struct {
	Personalised bool        `json:"personalised"`
	Items        []*FeedItem `json:"items"`
	Hidden       int         `json:"hidden"` // items marked "not interested"
}

// TopicOfKind is the topic of the items of a kind with no source of their own.
func TopicOfKind(kind string) string { return "kind:" + kind }

// TopicOfChannel is the topic of a channel's posts.
func TopicOfChannel(id int64) string { return "channel:" + strconv.FormatInt(id, 10) }

// TopicOfMember is the topic of a team member's posts.
func TopicOfMember(id int64) string { return "member:" + strconv.FormatInt(id, 10) }

// FeedChannel is a named feed that an operator (for everyone: TeamID 0) or a team admin (for
// the team) posts to.
type FeedChannel struct {
	ID        int64     `json:"id"`
	TeamID    int64     `json:"team_id,omitempty"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// Validate returns EINVALID for a channel without a usable name.
func (c *FeedChannel) Validate() error {
	if n := len([]rune(strings.TrimSpace(c.Name))); n == 0 || n > 40 {
		return Errorf(EINVALID, "A channel needs a name of at most 40 characters.")
	}
	return nil
}

// FeedSource is a channel or a teammate as a user sees them, to follow or unfollow: exactly one
// of ChannelID and MemberID is set. A teammate is shown by name, never by number.
type FeedSource struct {
	ChannelID int64  `json:"channel_id,omitempty"`
	MemberID  int64  `json:"member_id,omitempty"`
	TeamID    int64  `json:"team_id,omitempty"` // a channel's team; 0: the platform's
	Name      string `json:"name"`
	FollowID  int64  `json:"follow_id,omitempty"` // the user's follow of it, if any
	CanPost   bool   `json:"can_post,omitempty"`  // the user runs this channel
}

// FeedPost is a post in a channel (ChannelID set) or a team member's post to their team
// (ChannelID zero).
type FeedPost struct {
	ID        int64     `json:"id"`
	ChannelID int64     `json:"channel_id,omitempty"`
	TeamID    int64     `json:"team_id,omitempty"`
	AuthorID  int64     `json:"author_id"`
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
}

// Validate returns EINVALID for an empty or overlong post.
func (p *FeedPost) Validate() error {
	if n := len([]rune(strings.TrimSpace(p.Text))); n == 0 || n > 1000 {
		return Errorf(EINVALID, "A post needs text of at most 1000 characters.")
	}
	return nil
}

// FeedFollow is a channel or a team member that a user follows: exactly one of ChannelID and
// MemberID is set.
type FeedFollow struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"-"`
	ChannelID int64     `json:"channel_id,omitempty"`
	MemberID  int64     `json:"member_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Validate returns EINVALID unless exactly one target is set.
func (f *FeedFollow) Validate() error {
	if (f.ChannelID == 0) == (f.MemberID == 0) {
		return Errorf(EINVALID, "Follow either a channel or a team member.")
	}
	return nil
}

// FeedMark is a "not interested" mark on one feed item. The item is hidden from then on; while
// the feed is personalised, items of the same topic rank lower.
type FeedMark struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"-"`
	Item      string    `json:"item"`
	Topic     string    `json:"topic"`
	Label     string    `json:"label"` // what the item said, shortened, so the user knows what they undo
	CreatedAt time.Time `json:"created_at"`
}

// FeedService stores channels, posts, and each user's follows, marks and engagement. Follows,
// marks and engagement belong to the context user: another user's read as not found.
type FeedService interface {
	// CreateFeedChannel creates a channel and sets its ID. Returns ECONFLICT if the team (or
	// the platform, TeamID 0) has one of that name.
	CreateFeedChannel(ctx context.Context, c *FeedChannel) error

	// FindFeedChannels returns the channels the context user may see: the platform's and their
	// team's, in ID order.
	FindFeedChannels(ctx context.Context) ([]*FeedChannel, error)

	// FindFeedChannelByID returns ENOTFOUND for a channel the context user may not see.
	FindFeedChannelByID(ctx context.Context, id int64) (*FeedChannel, error)

	// CreateFeedPost stores a post by the context user and sets its ID, author and time. A
	// member post (no channel) goes to the author's team.
	CreateFeedPost(ctx context.Context, p *FeedPost) error

	// FindFeedPosts returns the newest posts (at most limit) of the channels and team members
	// the context user follows, and their own posts to their team, newest first.
	FindFeedPosts(ctx context.Context, limit int) ([]*FeedPost, error)

	// DeleteFeedPost deletes a post of the context user. Returns ENOTFOUND for another's.
	DeleteFeedPost(ctx context.Context, id int64) error

	// FindFeedMembers returns the IDs of the other members of the context user's team (none
	// outside a team), erased accounts left out.
	FindFeedMembers(ctx context.Context) ([]int64, error)

	// CreateFeedFollow makes the context user follow a channel they may see or a member of
	// their own team, and sets the follow's ID; following again returns the existing follow.
	// Returns ENOTFOUND for any other channel or user.
	CreateFeedFollow(ctx context.Context, f *FeedFollow) error

	// FindFeedFollows returns the context user's follows, oldest first.
	FindFeedFollows(ctx context.Context) ([]*FeedFollow, error)

	// DeleteFeedFollow ends a follow of the context user. Returns ENOTFOUND for another's.
	DeleteFeedFollow(ctx context.Context, id int64) error

	// CreateFeedMark marks an item "not interested" for the context user and sets the mark's
	// ID; marking again returns the existing mark.
	CreateFeedMark(ctx context.Context, m *FeedMark) error

	// FindFeedMarks returns the context user's marks, newest first.
	FindFeedMarks(ctx context.Context) ([]*FeedMark, error)

	// DeleteFeedMark undoes a mark of the context user. Returns ENOTFOUND for another's.
	DeleteFeedMark(ctx context.Context, id int64) error

	// AddFeedEngagement counts that the context user opened an item of topic.
	AddFeedEngagement(ctx context.Context, topic string) error

	// FindFeedEngagement returns how often the context user opened items of each topic.
	FindFeedEngagement(ctx context.Context) (map[string]int, error)

	// DeleteFeedEngagement forgets every count of the context user.
	DeleteFeedEngagement(ctx context.Context) error
}

// Tip is a built-in tip, in both languages.
type Tip struct {
	Slug      string
	Title     [2]string // zh-CN, en
	Text      [2]string
	CreatedAt time.Time
}

// Tips are the built-in tips of the feed.
var Tips = []Tip{
	{"phone-contacts", [2]string{"用手机自带功能备份通讯录", "Back up contacts with your phone's own apps"},
		[2]string{"在通讯录应用中选择“导入/导出”→“导出到存储设备”，得到 .vcf 文件，再上传到“我的备份”。",
			"In the Contacts app choose Import/Export → Export to storage to get a .vcf file, then upload it under My backup."},
		time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)},
	{"phone-sms", [2]string{"导出短信和通话记录", "Export messages and call logs"},
		[2]string{"许多手机的“备份与恢复”可将短信和通话记录导出为 XML 文件；上传后即可在网页中浏览。",
			"Many phones' Backup & restore can export messages and call logs as XML files; upload them to browse them here."},
		time.Date(2026, 1, 4, 0, 0, 0, 0, time.UTC)},
	{"privacy-centre", [2]string{"随时掌控您的数据", "Your data, your call"},
		[2]string{"在隐私中心可以导出全部数据、撤回同意或注销账户。",
			"In the privacy centre you can download all your data, withdraw consent or close your account."},
		time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC)},
}
