package http

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/beifen/beifen"
)

// SignInRequest is the body of the sign-in endpoints.
type SignInRequest struct {
	Phone    string `json:"phone"`
	Code     string `json:"code,omitempty"`
	Password string `json:"password,omitempty"`
	Kind     string `json:"kind,omitempty"` // "api" (default) or "session"
}

// SignInResponse carries the new token.
type SignInResponse struct {
	Token string       `json:"token"`
	User  *beifen.User `json:"user"`
}

func (s *Server) handleAuthCode(w http.ResponseWriter, r *http.Request) {
	var req SignInRequest
	if err := readJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.AuthService.RequestCode(r.Context(), req.Phone); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleAuthSignIn(w http.ResponseWriter, r *http.Request) {
	var req SignInRequest
	if err := readJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	u, tok, err := s.AuthService.SignIn(r.Context(), req.Phone, req.Code, kindOrAPI(req.Kind))
	s.signedIn(w, r, req, u, tok, err)
}

func (s *Server) handleAuthPassword(w http.ResponseWriter, r *http.Request) {
	var req SignInRequest
	if err := readJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	u, tok, err := s.AuthService.SignInWithPassword(r.Context(), req.Phone, req.Password, kindOrAPI(req.Kind))
	s.signedIn(w, r, req, u, tok, err)
}

func (s *Server) signedIn(w http.ResponseWriter, r *http.Request, req SignInRequest, u *beifen.User, tok string, err error) {
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if req.Kind == "session" {
		http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: tok, Path: "/", HttpOnly: true,
			Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode, MaxAge: int((30 * 24 * time.Hour).Seconds())})
	}
	writeJSON(w, http.StatusOK, &SignInResponse{Token: tok, User: u})
}

func kindOrAPI(kind string) string {
	if kind == "" {
		return "api"
	}
	return kind
}

// SessionKeeper ends and lists sessions (clauses 2.1, 2.3).
type SessionKeeper interface {
	SignOut(ctx context.Context, token string) error
	Sessions(ctx context.Context) ([]*beifen.Token, error)
	RevokeSession(ctx context.Context, id int64) error
	// SignIns is the sign-in history (clause 1.2.2c).
	SignIns(ctx context.Context) ([]*beifen.SignIn, error)
}

func (s *Server) handleSignInList(w http.ResponseWriter, r *http.Request) {
	list, err := s.Sessions.SignIns(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"sign_ins": list})
}

// handleAuthSignOut ends the session on the server too, not only in the browser.
func (s *Server) handleAuthSignOut(w http.ResponseWriter, r *http.Request) {
	if s.Sessions != nil {
		if err := s.Sessions.SignOut(r.Context(), requestToken(r)); err != nil {
			s.Error(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true})
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleSessionList(w http.ResponseWriter, r *http.Request) {
	list, err := s.Sessions.Sessions(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"sessions": list})
}

func (s *Server) handleSessionRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.Error(w, r, beifen.Errorf(beifen.ENOTFOUND, "Token not found."))
		return
	}
	if err := s.Sessions.RevokeSession(r.Context(), id); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, beifen.UserFromContext(r.Context()))
}

func (s *Server) handleSetPassword(w http.ResponseWriter, r *http.Request) {
	var req SignInRequest
	if err := readJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.AuthService.SetPassword(r.Context(), req.Password); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// ProfileEditor corrects the signed-in user's profile.
type ProfileEditor interface {
	UpdateProfile(ctx context.Context, p beifen.Profile) (*beifen.User, error)
}

func (s *Server) handleProfileUpdate(w http.ResponseWriter, r *http.Request) {
	var p beifen.Profile
	if err := readJSON(w, r, &p); err != nil {
		s.Error(w, r, err)
		return
	}
	u, err := s.ProfileEditor.UpdateProfile(r.Context(), p)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

// GuardianDesk takes a guardian's consent for a user under 18 (clause 7.1).
type GuardianDesk interface {
	RequestGuardianCode(ctx context.Context, guardian string) error
	ConfirmGuardian(ctx context.Context, guardian, code string) error
	MinorGate(ctx context.Context) error
}

// minorGated are the routes that keep new data: refused for a minor without a guardian's consent.
var minorGated = map[string]bool{
	"POST /api/v1/uploads/check": true, "PUT /api/v1/uploads/{hash}": true,
	"PUT /api/v1/fragments/{hash}": true, "POST /api/v1/snapshots": true,
	"POST /app/upload": true,
}

// collecting are the routes that take in new personal data: refused while the platform is
// closing (clause 6.7). Reading, downloading, correcting and deleting go on.
var collecting = map[string]bool{
	"POST /api/v1/uploads/check": true, "PUT /api/v1/uploads/{hash}": true,
	"PUT /api/v1/fragments/{hash}": true, "POST /api/v1/snapshots": true,
	"POST /api/v1/leads/import": true, "POST /api/v1/calls": true, "POST /api/v1/recordings": true,
	"POST /api/v1/tasks": true, "POST /app/upload": true, "POST /manage/import": true,
	"POST /manage/tasks": true, "POST /staff/t/{task}/lead/{lead}/outcome": true,
	"POST /app/s/{id}/contacts/share": true, "POST /app/file/{hash}/share": true,
	"POST /activities/{id}": true, "PUT /api/v1/me/email": true, "POST /privacy/email": true,
}

// closingGate refuses a collecting route while the platform is closing.
func (s *Server) closingGate(r *http.Request) error {
	if s.Closing == nil || !collecting[r.Pattern] {
		return nil
	}
	c, err := s.Closing(r.Context())
	if err != nil || c == nil {
		return err
	}
	return beifen.Errorf(beifen.EFORBIDDEN, "The service is closing: it takes no new data. Download your data before %s.",
		c.EraseAt.In(beifen.China).Format("2006-01-02"))
}

func (s *Server) handleGuardianRequest(w http.ResponseWriter, r *http.Request) {
	var req SignInRequest
	if err := readJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Guardians.RequestGuardianCode(r.Context(), req.Phone); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleGuardianConfirm(w http.ResponseWriter, r *http.Request) {
	var req SignInRequest
	if err := readJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Guardians.ConfirmGuardian(r.Context(), req.Phone, req.Code); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
