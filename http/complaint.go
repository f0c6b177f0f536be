package http

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"strconv"

	"github.com/beifen/beifen"
)

// ComplaintDesk takes complaints and feedback with photos (clauses 6.5, 9 camera).
type ComplaintDesk interface {
	File(ctx context.Context, subject, body string, photos [][]byte) (*beifen.Complaint, error)
	Mine(ctx context.Context) ([]*beifen.Complaint, error)
	Photo(ctx context.Context, id int64, n int) (io.ReadCloser, error)
}

// ComplaintRequest is a new ticket; photos are base64.
type ComplaintRequest struct {
	Subject string   `json:"subject"`
	Body    string   `json:"body"`
	Photos  []string `json:"photos,omitempty"`
}

func (s *Server) handleComplaintFile(w http.ResponseWriter, r *http.Request) {
	var req ComplaintRequest
	if err := readJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	var photos [][]byte
	for _, p := range req.Photos {
		b, err := base64.StdEncoding.DecodeString(p)
		if err != nil {
			s.Error(w, r, beifen.Errorf(beifen.EINVALID, "Photos must be base64."))
			return
		}
		photos = append(photos, b)
	}
	c, err := s.Complaints.File(r.Context(), req.Subject, req.Body, photos)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, c)
}

func (s *Server) handleComplaintList(w http.ResponseWriter, r *http.Request) {
	list, err := s.Complaints.Mine(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"complaints": list})
}

func (s *Server) handleComplaintPhoto(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	n, nerr := strconv.Atoi(r.PathValue("n"))
	if err != nil || nerr != nil {
		s.Error(w, r, beifen.Errorf(beifen.ENOTFOUND, "Photo not found."))
		return
	}
	rc, err := s.Complaints.Photo(r.Context(), id, n)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	defer rc.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Cache-Control", "private, no-store")
	io.Copy(w, rc)
}
