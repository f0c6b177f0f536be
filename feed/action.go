package feed

import (
	"context"

	"github.com/beifen/beifen"
)

// Open returns one item of the signed-in user's feed and, only while they consent to
// personalisation, counts the open towards its topic. Returns ENOTFOUND for an item they may
// not see.
func (s *Service) Open(ctx context.Context, key, lang string) (*beifen.FeedItem, error) {
	it, err := s.find(ctx, key, lang)
	if err != nil {
		return nil, err
	}
	on, err := s.Personalised(ctx)
	if err != nil || !on {
		return it, err
	}
	return it, s.Store.Feeds.AddFeedEngagement(ctx, it.Topic)
}

// NotInterested hides an item from the signed-in user's feed and remembers its topic, so that
// a personalised feed ranks similar items lower.
func (s *Service) NotInterested(ctx context.Context, key, lang string) (*beifen.FeedMark, error) {
	it, err := s.find(ctx, key, lang)
	if err != nil {
		return nil, err
	}
	label := it.Title
	if label == "" {
		label = it.Text
	}
	if r := []rune(label); len(r) > 60 {
		label = string(r[:60]) + "…"
	}
	m := &beifen.FeedMark{Item: it.Key, Topic: it.Topic, Label: label}
	if err := s.Store.Feeds.CreateFeedMark(ctx, m); err != nil {
		return nil, err
	}
	s.Logger.InfoContext(ctx, "feed item marked not interested", "user_id", m.UserID, "mark_id", m.ID)
	return m, nil
}

// Marks returns the signed-in user's "not interested" marks, newest first.
func (s *Service) Marks(ctx context.Context) ([]*beifen.FeedMark, error) {
	return s.Store.Feeds.FindFeedMarks(ctx)
}

// Undo removes a mark of the signed-in user. Returns ENOTFOUND for another's.
func (s *Service) Undo(ctx context.Context, id int64) error {
	return s.Store.Feeds.DeleteFeedMark(ctx, id)
}

// Withdrawn is told when the signed-in user withdraws a consent: withdrawing personalisation
// erases the engagement counts kept only for it. (Follows and marks are the user's own
// choices, kept until they undo them.)
func (s *Service) Withdrawn(ctx context.Context, p beifen.Purpose) error {
	if p != beifen.PurposePersonalisation {
		return nil
	}
	if err := s.Store.Feeds.DeleteFeedEngagement(ctx); err != nil {
		return err
	}
	s.Logger.InfoContext(ctx, "feed engagement erased on withdrawal", "user_id", beifen.UserIDFromContext(ctx))
	return nil
}

// Follow makes the signed-in user follow a channel or a member of their team. Returns
// ENOTFOUND for a channel they may not see or a user outside their team.
func (s *Service) Follow(ctx context.Context, f *beifen.FeedFollow) error {
	return s.Store.Feeds.CreateFeedFollow(ctx, f)
}

// Unfollow ends a follow of the signed-in user. Returns ENOTFOUND for another's.
func (s *Service) Unfollow(ctx context.Context, id int64) error {
	return s.Store.Feeds.DeleteFeedFollow(ctx, id)
}

// Follows returns the signed-in user's follows, oldest first.
func (s *Service) Follows(ctx context.Context) ([]*beifen.FeedFollow, error) {
	return s.Store.Feeds.FindFeedFollows(ctx)
}
