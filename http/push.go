package http

import (
	"context"
	"net/http"

	"github.com/beifen/beifen"
)

// PushRegistry takes the push tokens of the signed-in user's devices (clause 3.1.2e).
type PushRegistry interface {
	RegisterPush(ctx context.Context, session, maker, token string) (*beifen.PushDevice, error)
	PushDevices(ctx context.Context) ([]*beifen.PushDevice, error)
}

// PushRequest is the body of PUT /api/v1/me/devices/push: the phone maker's push service and the
// token it gave the app.
type PushRequest struct {
	Maker string `json:"maker"`
	Token string `json:"token"`
}

// handlePushRegister ties the token to the session or API token the request came with, so it
// goes when that is signed out or revoked.
func (s *Server) handlePushRegister(w http.ResponseWriter, r *http.Request) {
	var req PushRequest
	if err := readJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	d, err := s.Pushes.RegisterPush(r.Context(), requestToken(r), req.Maker, req.Token)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) handlePushList(w http.ResponseWriter, r *http.Request) {
	list, err := s.Pushes.PushDevices(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"devices": list})
}
