package http

import (
	"context"
	"net/http"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/ui"
)

// FeedKeeper is the recommendation feed (clauses 6.1.1, 6.1.2, 3.1.2a) of the signed-in user.
type FeedKeeper interface {
	Feed(ctx context.Context, lang string) (*beifen.Feed, error)
	Open(ctx context.Context, key, lang string) (*beifen.FeedItem, error)
	NotInterested(ctx context.Context, key, lang string) (*beifen.FeedMark, error)
	Marks(ctx context.Context) ([]*beifen.FeedMark, error)
	Undo(ctx context.Context, id int64) error
	Channels(ctx context.Context) ([]*beifen.FeedSource, error)
	Members(ctx context.Context, lang string) ([]*beifen.FeedSource, error)
	Follows(ctx context.Context) ([]*beifen.FeedFollow, error)
	Follow(ctx context.Context, f *beifen.FeedFollow) error
	Unfollow(ctx context.Context, id int64) error
	CreateChannel(ctx context.Context, name string) (*beifen.FeedChannel, error)
	Post(ctx context.Context, channelID int64, text string) (*beifen.FeedPost, error)
	DeletePost(ctx context.Context, id int64) error
}

// feedLang is the language of feed texts: ?lang= when it names one, else the browser's.
func feedLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == ui.Chinese || l == ui.English {
		return l
	}
	return requestLang(r)
}

// writeResult answers a service call: its error, or v with status.
func (s *Server) writeResult(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if v == nil {
		w.WriteHeader(status)
		return
	}
	writeJSON(w, status, v)
}

func (s *Server) handleFeed(w http.ResponseWriter, r *http.Request) {
	f, err := s.Feed.Feed(r.Context(), feedLang(r))
	s.writeResult(w, r, http.StatusOK, f, err)
}

func (s *Server) handleFeedOpen(w http.ResponseWriter, r *http.Request) {
	it, err := s.Feed.Open(r.Context(), r.PathValue("key"), feedLang(r))
	s.writeResult(w, r, http.StatusOK, it, err)
}

func (s *Server) handleFeedNotInterested(w http.ResponseWriter, r *http.Request) {
	m, err := s.Feed.NotInterested(r.Context(), r.PathValue("key"), feedLang(r))
	s.writeResult(w, r, http.StatusCreated, m, err)
}

func (s *Server) handleFeedMarks(w http.ResponseWriter, r *http.Request) {
	list, err := s.Feed.Marks(r.Context())
	s.writeResult(w, r, http.StatusOK, list, err)
}

func (s *Server) handleFeedUndo(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", "Mark not found.")
	if err == nil {
		err = s.Feed.Undo(r.Context(), id)
	}
	s.writeResult(w, r, http.StatusNoContent, nil, err)
}

// FeedSourcesResponse lists what the user may follow.
type FeedSourcesResponse struct {
	Channels []*beifen.FeedSource `json:"channels"`
	Members  []*beifen.FeedSource `json:"members"`
}

func (s *Server) handleFeedSources(w http.ResponseWriter, r *http.Request) {
	resp := &FeedSourcesResponse{}
	var err error
	if resp.Channels, err = s.Feed.Channels(r.Context()); err == nil {
		resp.Members, err = s.Feed.Members(r.Context(), feedLang(r))
	}
	s.writeResult(w, r, http.StatusOK, resp, err)
}

func (s *Server) handleFeedFollows(w http.ResponseWriter, r *http.Request) {
	list, err := s.Feed.Follows(r.Context())
	s.writeResult(w, r, http.StatusOK, list, err)
}

func (s *Server) handleFeedFollow(w http.ResponseWriter, r *http.Request) {
	f := &beifen.FeedFollow{}
	err := readJSON(w, r, f)
	if err == nil {
		err = s.Feed.Follow(r.Context(), f)
	}
	s.writeResult(w, r, http.StatusCreated, f, err)
}

func (s *Server) handleFeedUnfollow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", "Follow not found.")
	if err == nil {
		err = s.Feed.Unfollow(r.Context(), id)
	}
	s.writeResult(w, r, http.StatusNoContent, nil, err)
}

// FeedChannelRequest names a new channel.
type FeedChannelRequest struct {
	Name string `json:"name"`
}

func (s *Server) handleFeedChannelCreate(w http.ResponseWriter, r *http.Request) {
	var req FeedChannelRequest
	if err := readJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	c, err := s.Feed.CreateChannel(r.Context(), req.Name)
	s.writeResult(w, r, http.StatusCreated, c, err)
}

// FeedPostRequest is the text of a new post.
type FeedPostRequest struct {
	Text string `json:"text"`
}

func (s *Server) handleFeedPost(w http.ResponseWriter, r *http.Request) {
	var channel int64
	var err error
	if r.PathValue("id") != "" {
		if channel, err = pathID(r, "id", "Channel not found."); err != nil {
			s.Error(w, r, err)
			return
		}
	}
	var req FeedPostRequest
	if err := readJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	p, err := s.Feed.Post(r.Context(), channel, req.Text)
	s.writeResult(w, r, http.StatusCreated, p, err)
}

func (s *Server) handleFeedPostDelete(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", "Post not found.")
	if err == nil {
		err = s.Feed.DeletePost(r.Context(), id)
	}
	s.writeResult(w, r, http.StatusNoContent, nil, err)
}
