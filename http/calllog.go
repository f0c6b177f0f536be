package http

import (
	"context"
	"io"
	"net/http"
	"net/url"

	"github.com/beifen/beifen"
)

// CallLogger takes staff phones' call logs and shows customers' timelines.
type CallLogger interface {
	UploadCalls(ctx context.Context, name string, r io.Reader) (*beifen.CallUpload, error)
	Timeline(ctx context.Context, leadID int64) (*beifen.Timeline, error)
}

func (s *Server) handleCallUpload(w http.ResponseWriter, r *http.Request) {
	name, _ := url.PathUnescape(r.Header.Get(NameHeader))
	res, err := s.CallLogger.UploadCalls(r.Context(), name, http.MaxBytesReader(w, r.Body, MaxLeadFile))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) handleTimeline(w http.ResponseWriter, r *http.Request) {
	id, err := taskPathID(r, "id")
	if err != nil {
		s.Error(w, r, beifen.Errorf(beifen.ENOTFOUND, "Lead not found."))
		return
	}
	tl, err := s.CallLogger.Timeline(r.Context(), id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, tl)
}
