// Package feed is the recommendation feed (clauses 6.1.1, 6.1.2, 3.1.2a): operator
// announcements, built-in tips, and the posts of the channels and team members a user follows,
// with "not interested" marks the user can see and undo.
//
// The feed is in plain newest-first order unless the user consents to
// beifen.PurposePersonalisation. Consent is read on every request, so a withdrawal takes effect
// on the next one, and withdrawing also erases the engagement counts kept for it (Withdrawn).
//
// Personalisation uses only what the user does in the feed itself: whom they follow, which
// topics they open, what they mark "not interested". It never reads backup content (contacts,
// messages, calls, recordings, files): the service uses only the feed, announcement, consent
// and user stores, and a test runs it with every backup store disconnected.
package feed

import (
	"context"
	"log/slog"
	"strconv"
	"strings"

	"github.com/beifen/beifen"
)

// Service builds feeds and keeps follows and marks over the store.
type Service struct {
	Store  beifen.Store
	Logger *slog.Logger

	// Profile fills a user's name from their sealed profile, to name team members.
	Profile func(u *beifen.User) error
	// IsOperator reports whether u runs the platform: operators post to the platform's channels.
	IsOperator func(u *beifen.User) bool
}

// NewService returns a Service.
func NewService(store beifen.Store, logger *slog.Logger) *Service {
	return &Service{Store: store, Logger: logger}
}

// How many of each source a feed draws on.
const (
	maxAnnouncements = 20
	maxPosts         = 100
)

func signedIn(ctx context.Context) (*beifen.User, error) {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return nil, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	return u, nil
}

// Personalised reports whether the signed-in user consents to a personalised feed now.
func (s *Service) Personalised(ctx context.Context) (bool, error) {
	u, err := signedIn(ctx)
	if err != nil {
		return false, err
	}
	ledger, err := s.Store.Policies.FindConsents(ctx, u.ID)
	if err != nil {
		return false, err
	}
	return beifen.ConsentsInForce(ledger)[beifen.PurposePersonalisation], nil
}

// Feed returns the signed-in user's feed in lang ("zh-CN" or "en"): without the items they
// marked "not interested", newest first, or ranked when they consent to personalisation.
func (s *Service) Feed(ctx context.Context, lang string) (*beifen.Feed, error) {
	items, err := s.items(ctx, lang)
	if err != nil {
		return nil, err
	}
	marks, err := s.Store.Feeds.FindFeedMarks(ctx)
	if err != nil {
		return nil, err
	}
	f := &beifen.Feed{Items: []*beifen.FeedItem{}}
	if f.Personalised, err = s.Personalised(ctx); err != nil {
		return nil, err
	}
	hidden, disliked := map[string]bool{}, map[string]int{}
	for _, m := range marks {
		hidden[m.Item] = true
		disliked[m.Topic]++
	}
	for _, it := range items {
		if hidden[it.Key] {
			f.Hidden++
			continue
		}
		f.Items = append(f.Items, it)
	}
	if !f.Personalised {
		Newest(f.Items)
		return f, nil
	}
	opens, err := s.Store.Feeds.FindFeedEngagement(ctx)
	if err != nil {
		return nil, err
	}
	Rank(f.Items, opens, disliked)
	return f, nil
}

// items gathers every item the user may see, marked or not, in no particular order.
func (s *Service) items(ctx context.Context, lang string) ([]*beifen.FeedItem, error) {
	if _, err := signedIn(ctx); err != nil {
		return nil, err
	}
	items := tipItems(lang)
	anns, err := s.Store.Announces.FindAnnouncements(ctx, maxAnnouncements)
	if err != nil {
		return nil, err
	}
	for _, a := range anns {
		items = append(items, &beifen.FeedItem{Key: "announcement:" + strconv.FormatInt(a.ID, 10), Kind: beifen.FeedAnnouncement,
			Topic: beifen.TopicOfKind(beifen.FeedAnnouncement), Title: a.PublicName, Text: a.Text, CreatedAt: a.CreatedAt})
	}
	posts, err := s.postItems(ctx, lang)
	if err != nil {
		return nil, err
	}
	return append(items, posts...), nil
}

func tipItems(lang string) []*beifen.FeedItem {
	i := 0
	if lang == "en" {
		i = 1
	}
	out := make([]*beifen.FeedItem, 0, len(beifen.Tips))
	for _, t := range beifen.Tips {
		out = append(out, &beifen.FeedItem{Key: "tip:" + t.Slug, Kind: beifen.FeedTip, Topic: beifen.TopicOfKind(beifen.FeedTip),
			Title: t.Title[i], Text: t.Text[i], CreatedAt: t.CreatedAt})
	}
	return out
}

// postItems returns the posts of what the user follows, and their own to their team, each
// named by its channel or author.
func (s *Service) postItems(ctx context.Context, lang string) ([]*beifen.FeedItem, error) {
	posts, err := s.Store.Feeds.FindFeedPosts(ctx, maxPosts)
	if err != nil {
		return nil, err
	}
	channels, err := s.Store.Feeds.FindFeedChannels(ctx)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, c := range channels {
		names[c.ID] = c.Name
	}
	me := beifen.UserIDFromContext(ctx)
	authors := map[int64]string{} // one look-up and decryption per author, not per post
	out := make([]*beifen.FeedItem, 0, len(posts))
	for _, p := range posts {
		it := &beifen.FeedItem{Key: "post:" + strconv.FormatInt(p.ID, 10), Kind: beifen.FeedChannelPost, PostID: p.ID, Mine: p.AuthorID == me,
			Topic: beifen.TopicOfChannel(p.ChannelID), Source: names[p.ChannelID], Text: p.Text, CreatedAt: p.CreatedAt, Followed: true}
		if p.ChannelID == 0 {
			name, ok := authors[p.AuthorID]
			if !ok {
				name = s.memberName(ctx, p.AuthorID, lang)
				authors[p.AuthorID] = name
			}
			it.Kind, it.Topic, it.Source = beifen.FeedMemberPost, beifen.TopicOfMember(p.AuthorID), name
			it.Followed = p.AuthorID != me // or the user's own
		}
		out = append(out, it)
	}
	return out, nil
}

// memberName is how the feed names a teammate: their nickname, else their name, else their
// member number. Never their phone number.
func (s *Service) memberName(ctx context.Context, id int64, lang string) string {
	fallback := "成员 #" + strconv.FormatInt(id, 10)
	if lang == "en" {
		fallback = "Member #" + strconv.FormatInt(id, 10)
	}
	u, err := s.Store.Users.FindUserByID(ctx, id)
	if err != nil || s.Profile == nil || s.Profile(u) != nil {
		return fallback
	}
	if n := strings.TrimSpace(u.Profile.Nickname); n != "" {
		return n
	}
	if u.Name != "" {
		return u.Name
	}
	return fallback
}

// find returns the item with key among everything the user may see, marked or not. Returns
// ENOTFOUND for any other key: another team's post reads as missing.
func (s *Service) find(ctx context.Context, key, lang string) (*beifen.FeedItem, error) {
	items, err := s.items(ctx, lang)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if it.Key == key {
			return it, nil
		}
	}
	return nil, beifen.Errorf(beifen.ENOTFOUND, "Feed item not found.")
}
