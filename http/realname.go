package http

import (
	"context"
	"net/http"

	"github.com/beifen/beifen"
)

// RealNameDesk verifies the signed-in user's real name and gates the features that require one
// (clause 1.1.2).
type RealNameDesk interface {
	VerifyRealName(ctx context.Context, id beifen.RealNameIdentity) (*beifen.RealNameStatus, error)
	RealNameStatus(ctx context.Context) (*beifen.RealNameStatus, error)
	WithdrawRealName(ctx context.Context) error
	RealNameGate(ctx context.Context, f beifen.RealNameFeature) error
}

// realNameGated maps the routes of each feature that may require real-name verification; the
// operator decides which do. Every other route works for an unverified user.
var realNameGated = map[string]beifen.RealNameFeature{
	"POST /app/s/{id}/contacts/share": beifen.FeatureShare,
	"POST /app/file/{hash}/share":     beifen.FeatureShare,
}

// realNameGate refuses a route of a feature that requires a verified real name the user lacks.
func (s *Server) realNameGate(r *http.Request) error {
	f, ok := realNameGated[r.Pattern]
	if !ok || s.RealNames == nil {
		return nil
	}
	return s.RealNames.RealNameGate(r.Context(), f)
}

func (s *Server) handleRealNameStatus(w http.ResponseWriter, r *http.Request) {
	st, err := s.RealNames.RealNameStatus(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

func (s *Server) handleRealNameVerify(w http.ResponseWriter, r *http.Request) {
	var id beifen.RealNameIdentity
	if err := readJSON(w, r, &id); err != nil {
		s.Error(w, r, err)
		return
	}
	st, err := s.RealNames.VerifyRealName(r.Context(), id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, st)
}

func (s *Server) handleRealNameWithdraw(w http.ResponseWriter, r *http.Request) {
	if err := s.RealNames.WithdrawRealName(r.Context()); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// GuardianConsentKeeper takes a guardian's consent for a child under 14 (clause 7.1), confirmed
// by the code texted to the guardian (POST /api/v1/me/guardian).
type GuardianConsentKeeper interface {
	SetGuardianConsent(ctx context.Context, guardian, code string, purpose beifen.Purpose, granted bool) error
}

// GuardianConsentRequest is a guardian's decision on one purpose.
type GuardianConsentRequest struct {
	Phone   string `json:"phone"` // the guardian's
	Code    string `json:"code"`
	Granted bool   `json:"granted"`
}

func (s *Server) handleGuardianConsent(w http.ResponseWriter, r *http.Request) {
	var req GuardianConsentRequest
	if err := readJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	g, ok := s.Consents.(GuardianConsentKeeper)
	if !ok {
		s.Error(w, r, beifen.Errorf(beifen.ENOTFOUND, "Guardian consent is not available on this server."))
		return
	}
	if err := g.SetGuardianConsent(r.Context(), req.Phone, req.Code, beifen.Purpose(r.PathValue("purpose")), req.Granted); err != nil {
		s.Error(w, r, err)
		return
	}
	s.handleConsentList(w, r)
}
