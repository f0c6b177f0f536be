package http

import (
	"context"
	"net/http"
	"time"
)

// AccountDeleter takes requests to erase the signed-in account (clause 6.4).
type AccountDeleter interface {
	RequestDeletion(ctx context.Context, code string) (time.Time, error)
	CancelDeletion(ctx context.Context) error
}

// DeletionRequest re-verifies the owner with a fresh SMS code.
type DeletionRequest struct {
	Code string `json:"code"`
}

// DeletionResponse says when the deletion takes effect.
type DeletionResponse struct {
	EraseAfter time.Time `json:"erase_after"`
}

func (s *Server) handleDeletionRequest(w http.ResponseWriter, r *http.Request) {
	var req DeletionRequest
	if err := readJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	at, err := s.AccountDeleter.RequestDeletion(r.Context(), req.Code)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, &DeletionResponse{EraseAfter: at})
}

func (s *Server) handleDeletionCancel(w http.ResponseWriter, r *http.Request) {
	if err := s.AccountDeleter.CancelDeletion(r.Context()); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
