package feed

import (
	"context"
	"strings"

	"github.com/beifen/beifen"
)

// follows indexes the signed-in user's follows by channel and by member.
func (s *Service) follows(ctx context.Context) (channels, members map[int64]int64, err error) {
	list, err := s.Store.Feeds.FindFeedFollows(ctx)
	if err != nil {
		return nil, nil, err
	}
	channels, members = map[int64]int64{}, map[int64]int64{}
	for _, f := range list {
		if f.ChannelID != 0 {
			channels[f.ChannelID] = f.ID
		} else {
			members[f.MemberID] = f.ID
		}
	}
	return channels, members, nil
}

// Channels returns the channels the signed-in user may see and follow.
func (s *Service) Channels(ctx context.Context) ([]*beifen.FeedSource, error) {
	u, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	list, err := s.Store.Feeds.FindFeedChannels(ctx)
	if err != nil {
		return nil, err
	}
	followed, _, err := s.follows(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*beifen.FeedSource, 0, len(list))
	for _, c := range list {
		out = append(out, &beifen.FeedSource{ChannelID: c.ID, TeamID: c.TeamID, Name: c.Name, FollowID: followed[c.ID], CanPost: s.mayRun(u, c.TeamID)})
	}
	return out, nil
}

// Members returns the signed-in user's teammates (none outside a team).
func (s *Service) Members(ctx context.Context, lang string) ([]*beifen.FeedSource, error) {
	ids, err := s.Store.Feeds.FindFeedMembers(ctx)
	if err != nil {
		return nil, err
	}
	_, followed, err := s.follows(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*beifen.FeedSource, 0, len(ids))
	for _, id := range ids {
		out = append(out, &beifen.FeedSource{MemberID: id, Name: s.memberName(ctx, id, lang), FollowID: followed[id]})
	}
	return out, nil
}

// mayRun reports whether u may create and post to channels of team (0: the platform's): an
// operator for the platform, an admin for their own team.
func (s *Service) mayRun(u *beifen.User, team int64) bool {
	if team == 0 {
		return s.IsOperator != nil && s.IsOperator(u)
	}
	return u.TeamID == team && u.Role == beifen.RoleAdmin
}

// CreateChannel creates a channel: an operator's is the platform's, a team admin's their
// team's. Returns EFORBIDDEN for anyone else.
func (s *Service) CreateChannel(ctx context.Context, name string) (*beifen.FeedChannel, error) {
	u, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	c := &beifen.FeedChannel{Name: strings.TrimSpace(name), TeamID: u.TeamID}
	if !s.mayRun(u, c.TeamID) {
		return nil, beifen.Errorf(beifen.EFORBIDDEN, "Only an operator or a team admin may create channels.")
	}
	if err := s.Store.Feeds.CreateFeedChannel(ctx, c); err != nil {
		return nil, err
	}
	s.Logger.InfoContext(ctx, "feed channel created", "user_id", u.ID, "channel_id", c.ID, "team_id", c.TeamID)
	return c, nil
}

// Post posts text to a channel the signed-in user runs, or (channelID 0) to their team as
// themselves. Returns ENOTFOUND for a channel they may not see, EFORBIDDEN for one they do not
// run.
func (s *Service) Post(ctx context.Context, channelID int64, text string) (*beifen.FeedPost, error) {
	u, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if channelID != 0 {
		c, err := s.Store.Feeds.FindFeedChannelByID(ctx, channelID)
		if err != nil {
			return nil, err
		}
		if !s.mayRun(u, c.TeamID) {
			return nil, beifen.Errorf(beifen.EFORBIDDEN, "Only the channel's operator or team admin may post to it.")
		}
	}
	p := &beifen.FeedPost{ChannelID: channelID, Text: strings.TrimSpace(text)}
	if err := s.Store.Feeds.CreateFeedPost(ctx, p); err != nil {
		return nil, err
	}
	s.Logger.InfoContext(ctx, "feed post created", "user_id", u.ID, "post_id", p.ID, "channel_id", p.ChannelID)
	return p, nil
}

// DeletePost deletes a post of the signed-in user. Returns ENOTFOUND for another's.
func (s *Service) DeletePost(ctx context.Context, id int64) error {
	if err := s.Store.Feeds.DeleteFeedPost(ctx, id); err != nil {
		return err
	}
	s.Logger.InfoContext(ctx, "feed post deleted", "user_id", beifen.UserIDFromContext(ctx), "post_id", id)
	return nil
}
