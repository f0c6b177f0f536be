package http

import (
	"context"
	"net/http"
	"strings"

	"github.com/beifen/beifen"
)

// PolicyKeeper serves the privacy policy and records acceptances (clauses 6.6, 8a, 8b).
type PolicyKeeper interface {
	Documents(ctx context.Context, lang string) ([]*beifen.PolicyDocument, error)
	Current(ctx context.Context, lang string) (current, upcoming *beifen.PolicyDocument, err error)
	Accept(ctx context.Context, version string) error
	// Accepted returns the versions the signed-in user accepted.
	Accepted(ctx context.Context) ([]string, error)
	// MustWelcome reports whether the signed-in user must see the policy first: they never
	// accepted one, or Gate would refuse them.
	MustWelcome(ctx context.Context) (bool, error)
	// Gate returns an error while the signed-in user must accept a new version first.
	Gate(ctx context.Context) error
}

// CurrentPolicyResponse is the policy in effect and the next one, if published.
type CurrentPolicyResponse struct {
	Current  *beifen.PolicyDocument `json:"current,omitempty"`
	Upcoming *beifen.PolicyDocument `json:"upcoming,omitempty"`
}

// AcceptRequest accepts a version explicitly.
type AcceptRequest struct {
	Version string `json:"version"`
}

// lang reads the wanted language: ?lang=, else Accept-Language, else zh-CN.
func lang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "zh-CN" {
		return l
	}
	if strings.HasPrefix(r.Header.Get("Accept-Language"), "en") {
		return "en"
	}
	return "zh-CN"
}

func (s *Server) handlePolicyList(w http.ResponseWriter, r *http.Request) {
	docs, err := s.Policy.Documents(r.Context(), lang(r))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"policies": docs})
}

func (s *Server) handlePolicyCurrent(w http.ResponseWriter, r *http.Request) {
	cur, next, err := s.Policy.Current(r.Context(), lang(r))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, &CurrentPolicyResponse{Current: cur, Upcoming: next})
}

func (s *Server) handlePolicyStatus(w http.ResponseWriter, r *http.Request) {
	st, err := s.PolicyStatus(r.Context(), lang(r))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

func (s *Server) handlePolicyAccept(w http.ResponseWriter, r *http.Request) {
	var req AcceptRequest
	if err := readJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Policy.Accept(r.Context(), req.Version); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// ungated lists what a signed-in user may still do while a new policy waits for acceptance:
// read and accept it, see their account, sign out, and close the account.
var ungated = map[string]bool{
	"/api/v1/me": true, "/api/v1/me/policy": true, "/api/v1/auth/signout": true, "/api/v1/me/deletion": true,
}

// ConsentKeeper keeps the signed-in user's consent per purpose (clauses 1.8, 6.2).
type ConsentKeeper interface {
	Consents(ctx context.Context) ([]beifen.ConsentState, []*beifen.Consent, error)
	SetConsent(ctx context.Context, purpose beifen.Purpose, granted bool) error
}

// ConsentsResponse is every purpose's state and the ledger behind it.
type ConsentsResponse struct {
	Purposes []beifen.ConsentState `json:"purposes"`
	Ledger   []*beifen.Consent     `json:"ledger"`
}

// ConsentRequest grants or withdraws one purpose.
type ConsentRequest struct {
	Granted bool `json:"granted"`
}

func (s *Server) handleConsentList(w http.ResponseWriter, r *http.Request) {
	states, ledger, err := s.Consents.Consents(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, &ConsentsResponse{Purposes: states, Ledger: ledger})
}

func (s *Server) handleConsentSet(w http.ResponseWriter, r *http.Request) {
	var req ConsentRequest
	if err := readJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Consents.SetConsent(r.Context(), beifen.Purpose(r.PathValue("purpose")), req.Granted); err != nil {
		s.Error(w, r, err)
		return
	}
	s.handleConsentList(w, r)
}
