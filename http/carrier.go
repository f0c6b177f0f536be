package http

import (
	"context"
	"net/http"

	"github.com/beifen/beifen"
)

// CarrierSignIn signs in with a carrier one-click token (clause 1.1.1f).
type CarrierSignIn interface {
	SignInWithCarrier(ctx context.Context, token string, consent bool, kind string) (*beifen.User, string, error)
}

// CarrierRequest is the body of POST /api/v1/auth/carrier. Consent must be given in the request
// itself: nothing stands for it.
type CarrierRequest struct {
	Token   string `json:"token"`
	Consent bool   `json:"consent"`
	Kind    string `json:"kind,omitempty"` // "api" (default) or "session"
}

func (s *Server) handleAuthCarrier(w http.ResponseWriter, r *http.Request) {
	var req CarrierRequest
	if err := readJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	if s.Carrier == nil {
		s.Error(w, r, beifen.Errorf(beifen.EFORBIDDEN, "One-click sign-in is not available on this server: sign in with a texted code or your password."))
		return
	}
	u, tok, err := s.Carrier.SignInWithCarrier(r.Context(), req.Token, req.Consent, kindOrAPI(req.Kind))
	s.signedIn(w, r, SignInRequest{Kind: req.Kind}, u, tok, err)
}
