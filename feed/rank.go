package feed

import (
	"sort"

	"github.com/beifen/beifen"
)

// Ranking weights of a personalised feed: an item from something the user follows gains
// followWeight, each time they opened an item of its topic gains one (up to maxOpens), and each
// "not interested" mark on its topic costs markWeight.
const (
	followWeight = 2
	maxOpens     = 10
	markWeight   = 3
)

// Newest sorts items newest first: the plain order, with no personalisation.
func Newest(items []*beifen.FeedItem) {
	sort.SliceStable(items, func(i, j int) bool { return newer(items[i], items[j]) })
}

func newer(a, b *beifen.FeedItem) bool {
	if !a.CreatedAt.Equal(b.CreatedAt) {
		return a.CreatedAt.After(b.CreatedAt)
	}
	return a.Key < b.Key
}

// Rank sorts items for a user who consents to personalisation: by Score, then newest first.
// opens counts the items the user opened per topic; marks counts their "not interested" marks
// per topic.
func Rank(items []*beifen.FeedItem, opens, marks map[string]int) {
	sort.SliceStable(items, func(i, j int) bool {
		si, sj := Score(items[i], opens, marks), Score(items[j], opens, marks)
		if si != sj {
			return si > sj
		}
		return newer(items[i], items[j])
	})
}

// Score is an item's rank in a personalised feed: higher comes first.
func Score(it *beifen.FeedItem, opens, marks map[string]int) int {
	score := min(opens[it.Topic], maxOpens) - markWeight*marks[it.Topic]
	if it.Followed {
		score += followWeight
	}
	return score
}
