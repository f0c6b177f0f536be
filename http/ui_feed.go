package http

import (
	"context"
	"net/http"
	"strconv"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/ui"
)

// The feed page: the items, the personalisation switch, "not interested" and its undo, and the
// channels and teammates to follow.

type uiFeedData struct {
	Feed      *beifen.Feed
	Marks     []*beifen.FeedMark
	Channels  []*beifen.FeedSource
	Members   []*beifen.FeedSource
	InTeam    bool
	MayCreate bool // an operator, or a team admin: may create channels
	Item      *beifen.FeedItem
}

func (s *Server) handleUIFeed(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	ctx := r.Context()
	d := &uiFeedData{InTeam: v.User.TeamID != 0, MayCreate: v.Operator || (v.User.TeamID != 0 && v.User.Role == beifen.RoleAdmin)}
	var err error
	if d.Feed, err = s.Feed.Feed(ctx, v.Lang); err != nil {
		return err
	}
	if d.Marks, err = s.Feed.Marks(ctx); err != nil {
		return err
	}
	if d.Channels, err = s.Feed.Channels(ctx); err != nil {
		return err
	}
	if d.Members, err = s.Feed.Members(ctx, v.Lang); err != nil {
		return err
	}
	v.Data = d
	return s.render(w, r, http.StatusOK, "feed", v)
}

// handleUIFeedItem shows one item in full; opening it counts towards a personalised feed.
func (s *Server) handleUIFeedItem(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	it, err := s.Feed.Open(r.Context(), r.PathValue("key"), v.Lang)
	if err != nil {
		return err
	}
	v.Data = &uiFeedData{Item: it}
	return s.render(w, r, http.StatusOK, "feed_item", v)
}

func (s *Server) handleUIFeedNotInterested(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	if _, err := s.Feed.NotInterested(r.Context(), r.PathValue("key"), v.Lang); err != nil {
		return err
	}
	redirectDone(w, r, "/feed", "flash.feed_hidden")
	return nil
}

func (s *Server) handleUIFeedUndo(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	id, err := pathID(r, "id", "Mark not found.")
	if err == nil {
		err = s.Feed.Undo(r.Context(), id)
	}
	if err != nil {
		return err
	}
	redirectDone(w, r, "/feed#marks", "flash.feed_restored")
	return nil
}

// handleUIFeedPersonalise turns personalisation on or off: the same consent as in the privacy
// centre, recorded in the same ledger.
func (s *Server) handleUIFeedPersonalise(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	if err := s.Consents.SetConsent(r.Context(), beifen.PurposePersonalisation, r.FormValue("on") == "1"); err != nil {
		return err
	}
	redirectDone(w, r, "/feed", "flash.saved")
	return nil
}

func (s *Server) handleUIFeedFollow(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	f := &beifen.FeedFollow{}
	f.ChannelID, _ = strconv.ParseInt(r.FormValue("channel_id"), 10, 64)
	f.MemberID, _ = strconv.ParseInt(r.FormValue("member_id"), 10, 64)
	if err := s.Feed.Follow(r.Context(), f); err != nil {
		return err
	}
	redirectDone(w, r, "/feed#following", "flash.feed_followed")
	return nil
}

func (s *Server) handleUIFeedUnfollow(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	id, err := pathID(r, "id", "Follow not found.")
	if err == nil {
		err = s.Feed.Unfollow(r.Context(), id)
	}
	if err != nil {
		return err
	}
	redirectDone(w, r, "/feed#following", "flash.feed_unfollowed")
	return nil
}

func (s *Server) handleUIFeedChannel(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	if _, err := s.Feed.CreateChannel(r.Context(), r.FormValue("name")); err != nil {
		return err
	}
	redirectDone(w, r, "/feed#following", "flash.saved")
	return nil
}

func (s *Server) handleUIFeedPost(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	channel, _ := strconv.ParseInt(r.FormValue("channel_id"), 10, 64)
	if _, err := s.Feed.Post(r.Context(), channel, r.FormValue("text")); err != nil {
		return err
	}
	redirectDone(w, r, "/feed", "flash.feed_posted")
	return nil
}

func (s *Server) handleUIFeedPostDelete(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	id, err := pathID(r, "id", "Post not found.")
	if err == nil {
		err = s.Feed.DeletePost(r.Context(), id)
	}
	if err != nil {
		return err
	}
	redirectDone(w, r, "/feed", "flash.feed_deleted")
	return nil
}

// feedExport is what the data download holds of the feed: the user's follows and "not
// interested" marks.
func (s *Server) feedExport(ctx context.Context) (map[string]any, error) {
	if s.Feed == nil {
		return nil, nil
	}
	follows, err := s.Feed.Follows(ctx)
	if err != nil {
		return nil, err
	}
	marks, err := s.Feed.Marks(ctx)
	if err != nil {
		return nil, err
	}
	return map[string]any{"follows": follows, "not_interested": marks}, nil
}
