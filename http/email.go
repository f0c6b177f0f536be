package http

import (
	"context"
	"net/http"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/ui"
)

// EmailDesk keeps the signed-in user's e-mail address, verified by a code e-mailed to it
// (clause 1.1.3).
type EmailDesk interface {
	EmailStatus(ctx context.Context) (*beifen.EmailStatus, error)
	SetEmail(ctx context.Context, addr string) (*beifen.EmailStatus, error)
	ConfirmEmail(ctx context.Context, code string) (*beifen.EmailStatus, error)
	RemoveEmail(ctx context.Context) error
}

// Unsubscriber withdraws a consent by the token of a marketing e-mail's unsubscribe link,
// without signing in.
type Unsubscriber interface {
	CheckUnsubscribe(ctx context.Context, token string) (*beifen.User, beifen.Purpose, error)
	Unsubscribe(ctx context.Context, token string) (beifen.Purpose, error)
}

// EmailRequest sets an address (PUT /api/v1/me/email) or confirms it with its code
// (POST /api/v1/me/email/confirm).
type EmailRequest struct {
	Email string `json:"email,omitempty"`
	Code  string `json:"code,omitempty"`
}

// emails returns the e-mail desk, or ENOTFOUND when the server sends no e-mail.
func (s *Server) emails() (EmailDesk, error) {
	if s.Emails == nil {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "This server sends no e-mail.")
	}
	return s.Emails, nil
}

func (s *Server) handleEmailStatus(w http.ResponseWriter, r *http.Request) {
	s.emailCall(w, r, http.StatusOK, false, func(desk EmailDesk, _ *EmailRequest) (*beifen.EmailStatus, error) {
		return desk.EmailStatus(r.Context())
	})
}

func (s *Server) handleEmailSet(w http.ResponseWriter, r *http.Request) {
	s.emailCall(w, r, http.StatusAccepted, true, func(desk EmailDesk, req *EmailRequest) (*beifen.EmailStatus, error) {
		return desk.SetEmail(r.Context(), req.Email)
	})
}

func (s *Server) handleEmailConfirm(w http.ResponseWriter, r *http.Request) {
	s.emailCall(w, r, http.StatusOK, true, func(desk EmailDesk, req *EmailRequest) (*beifen.EmailStatus, error) {
		return desk.ConfirmEmail(r.Context(), req.Code)
	})
}

// emailCall runs one call of the e-mail desk (reading the request body first when withBody) and
// answers with the status it returns.
func (s *Server) emailCall(w http.ResponseWriter, r *http.Request, code int, withBody bool, call func(EmailDesk, *EmailRequest) (*beifen.EmailStatus, error)) {
	var req EmailRequest
	desk, err := s.emails()
	if err == nil && withBody {
		err = readJSON(w, r, &req)
	}
	var st *beifen.EmailStatus
	if err == nil {
		st, err = call(desk, &req)
	}
	s.writeResult(w, r, code, st, err)
}

func (s *Server) handleEmailRemove(w http.ResponseWriter, r *http.Request) {
	desk, err := s.emails()
	if err == nil {
		err = desk.RemoveEmail(r.Context())
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleUIEmailSet(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	desk, err := s.emails()
	if err != nil {
		return err
	}
	if _, err := desk.SetEmail(r.Context(), r.FormValue("email")); err != nil {
		return err
	}
	redirectDone(w, r, "/privacy#email", "flash.email_code_sent")
	return nil
}

func (s *Server) handleUIEmailConfirm(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	desk, err := s.emails()
	if err != nil {
		return err
	}
	if _, err := desk.ConfirmEmail(r.Context(), r.FormValue("code")); err != nil {
		return err
	}
	redirectDone(w, r, "/privacy#email", "flash.email_verified")
	return nil
}

func (s *Server) handleUIEmailRemove(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	desk, err := s.emails()
	if err != nil {
		return err
	}
	if err := desk.RemoveEmail(r.Context()); err != nil {
		return err
	}
	redirectDone(w, r, "/privacy#email", "flash.email_removed")
	return nil
}

type uiUnsubscribeData struct {
	Purpose beifen.Purpose
	Done    bool
}

// handleUIUnsubscribe shows what an unsubscribe link would withdraw and asks to confirm: a GET
// changes nothing, as mail scanners open links unasked (RFC 8058).
func (s *Server) handleUIUnsubscribe(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	if s.Unsubscriber == nil {
		return beifen.Errorf(beifen.ENOTFOUND, "This unsubscribe link is not valid.")
	}
	_, p, err := s.Unsubscriber.CheckUnsubscribe(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	v.Data = &uiUnsubscribeData{Purpose: p}
	return s.render(w, r, http.StatusOK, "unsubscribe", v)
}

// handleUIUnsubscribePost withdraws the consent: the page's button, or a mail client's one-click
// POST (List-Unsubscribe=One-Click, RFC 8058), which carries no cookie and follows no redirect.
func (s *Server) handleUIUnsubscribePost(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	if s.Unsubscriber == nil {
		return beifen.Errorf(beifen.ENOTFOUND, "This unsubscribe link is not valid.")
	}
	p, err := s.Unsubscriber.Unsubscribe(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	v.Data = &uiUnsubscribeData{Purpose: p, Done: true}
	return s.render(w, r, http.StatusOK, "unsubscribe", v)
}
