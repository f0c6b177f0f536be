package feed_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/feed"
	"github.com/beifen/beifen/sqlite"
)

func item(key, topic string, day int, followed bool) *beifen.FeedItem {
	return &beifen.FeedItem{Key: key, Topic: topic, Followed: followed, CreatedAt: time.Date(2026, 11, day, 0, 0, 0, 0, time.UTC)}
}

func keys(items []*beifen.FeedItem) string {
	var out []string
	for _, it := range items {
		out = append(out, it.Key)
	}
	return strings.Join(out, " ")
}

func TestRank(t *testing.T) {
	tests := []struct {
		name         string
		opens, marks map[string]int
		want         string
	}{
		{"no signals: followed first, then newest", nil, nil, "post c ann tip"},
		{"opened topics rise", map[string]int{"kind:tip": 3}, nil, "tip post c ann"},
		{"a mark on a topic sinks it", nil, map[string]int{"channel:1": 1}, "c ann tip post"},
		{"opens are capped", map[string]int{"kind:tip": 50, "kind:announcement": 9}, nil, "tip ann post c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items := []*beifen.FeedItem{item("tip", "kind:tip", 1, false), item("ann", "kind:announcement", 20, false),
				item("post", "channel:1", 10, true), item("c", "channel:2", 25, false)}
			feed.Rank(items, tt.opens, tt.marks)
			if got := keys(items); got != tt.want {
				t.Fatalf("Rank=%q, want %q", got, tt.want)
			}
		})
	}
	items := []*beifen.FeedItem{item("tip", "kind:tip", 1, false), item("post", "channel:1", 10, true), item("ann", "kind:announcement", 20, false)}
	if feed.Newest(items); keys(items) != "ann post tip" {
		t.Fatalf("Newest=%q", keys(items))
	}
}

// TestFeed_NeverReadsBackupContent: a personalised feed, with opens, follows and marks, is built
// with every store of backup content disconnected; any read of one would panic.
func TestFeed_NeverReadsBackupContent(t *testing.T) {
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	store := sqlite.NewStore(db)
	ctx := context.Background()
	u := &beifen.User{PhoneHash: []byte("h"), Sealed: []byte("s"), WrappedKey: []byte("k")}
	if err := store.Users.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	ctx = beifen.NewContextWithUser(ctx, u)
	if err := store.Policies.AddConsent(ctx, &beifen.Consent{UserID: u.ID, Purpose: beifen.PurposePersonalisation, Granted: true, At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	// Contacts, messages and calls are records; files are blobs and sources; recordings and
	// phone calls are the team's.
	store.Records, store.Snapshots, store.Sources, store.Blobs, store.Recs, store.Calls, store.Leads = nil, nil, nil, nil, nil, nil, nil
	s := feed.NewService(store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if _, err := s.Open(ctx, "tip:phone-sms", "zh-CN"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.NotInterested(ctx, "tip:privacy-centre", "en"); err != nil {
		t.Fatal(err)
	}
	f, err := s.Feed(ctx, "zh-CN")
	if err != nil || !f.Personalised || f.Hidden != 1 || len(f.Items) != len(beifen.Tips)-1 {
		t.Fatalf("Feed=%+v, %v", f, err)
	}
	if _, err := s.Open(ctx, "post:999", "zh-CN"); beifen.ErrorCode(err) != beifen.ENOTFOUND {
		t.Fatalf("opening an unknown item: %v", err)
	}
}
