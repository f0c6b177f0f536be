package http

import (
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/ui"
)

type uiPolicyData struct {
	Current, Upcoming *beifen.PolicyDocument
	HTML              template.HTML
	All               []*beifen.PolicyDocument
}

func (s *Server) handleUIPolicy(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	d := &uiPolicyData{}
	cur, next, err := s.Policy.Current(r.Context(), v.Lang)
	if err != nil && beifen.ErrorCode(err) != beifen.ENOTFOUND {
		return err
	}
	d.Current, d.Upcoming = cur, next
	if cur != nil {
		d.HTML = ui.Markdown(cur.Body)
	}
	if d.All, err = s.Policy.Documents(r.Context(), v.Lang); err != nil {
		return err
	}
	v.Data = d
	return s.render(w, r, http.StatusOK, "policy", v)
}

type uiSignInData struct {
	Phone    string
	Masked   string
	CodeSent bool
	Next     string
}

func (s *Server) handleUISignIn(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	v.Data = &uiSignInData{}
	return s.render(w, r, http.StatusOK, "signin", v)
}

func (s *Server) handleUISendCode(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	phone := strings.TrimSpace(r.FormValue("phone"))
	d := &uiSignInData{Phone: phone}
	v.Data = d
	if err := s.AuthService.RequestCode(r.Context(), phone); err != nil {
		if code := beifen.ErrorCode(err); code == beifen.EINTERNAL {
			return err
		}
		v.Error = errorText(v, err)
		// A code already sent within the last minute can still be typed in.
		d.CodeSent = beifen.ErrorCode(err) == beifen.ETOOMANY
		d.Masked = ui.MaskPhone(phone)
		return s.render(w, r, ErrorStatusCode(beifen.ErrorCode(err)), "signin", v)
	}
	d.CodeSent, d.Masked = true, ui.MaskPhone(phone)
	return s.render(w, r, http.StatusOK, "signin", v)
}

func (s *Server) handleUISignInPost(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	phone := strings.TrimSpace(r.FormValue("phone"))
	u, tok, err := s.AuthService.SignIn(r.Context(), phone, strings.TrimSpace(r.FormValue("code")), "session")
	return s.uiSignedIn(w, r, v, phone, u, tok, err)
}

func (s *Server) handleUISignInPassword(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	phone := strings.TrimSpace(r.FormValue("phone"))
	u, tok, err := s.AuthService.SignInWithPassword(r.Context(), phone, r.FormValue("password"), "session")
	return s.uiSignedIn(w, r, v, phone, u, tok, err)
}

// uiSignedIn sets the session cookie and goes on: to the welcome page until the policy is
// accepted, else where the visitor was going.
func (s *Server) uiSignedIn(w http.ResponseWriter, r *http.Request, v *ui.View, phone string, u *beifen.User, tok string, err error) error {
	if err != nil {
		if beifen.ErrorCode(err) == beifen.EINTERNAL {
			return err
		}
		v.Error = errorText(v, err)
		v.Data = &uiSignInData{Phone: phone, Masked: ui.MaskPhone(phone), CodeSent: r.FormValue("code") != ""}
		return s.render(w, r, ErrorStatusCode(beifen.ErrorCode(err)), "signin", v)
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: tok, Path: "/", HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode, MaxAge: int((30 * 24 * time.Hour).Seconds())})
	if s.Policy != nil {
		if welcome, err := s.Policy.MustWelcome(beifen.NewContextWithUser(r.Context(), u)); err != nil {
			return err
		} else if welcome {
			http.Redirect(w, r, "/welcome", http.StatusSeeOther)
			return nil
		}
	}
	http.Redirect(w, r, "/app", http.StatusSeeOther)
	return nil
}

func (s *Server) handleUISignOut(w http.ResponseWriter, r *http.Request) {
	if s.Sessions != nil && beifen.UserFromContext(r.Context()) != nil {
		if err := s.Sessions.SignOut(r.Context(), requestToken(r)); err != nil {
			s.Logger.WarnContext(r.Context(), "sign out", "err", err)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true})
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

type uiWelcomeData struct {
	Policy     *beifen.PolicyDocument
	PolicyHTML template.HTML
	Consents   []beifen.ConsentState
}

func (s *Server) handleUIWelcome(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	d := &uiWelcomeData{}
	cur, _, err := s.Policy.Current(r.Context(), v.Lang)
	if err != nil && beifen.ErrorCode(err) != beifen.ENOTFOUND {
		return err
	}
	if cur != nil {
		d.Policy, d.PolicyHTML = cur, ui.Markdown(cur.Body)
	}
	if d.Consents, _, err = s.Consents.Consents(r.Context()); err != nil {
		return err
	}
	v.Data = d
	return s.render(w, r, http.StatusOK, "welcome", v)
}

func (s *Server) handleUIWelcomePost(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	if version := r.FormValue("version"); version != "" {
		if err := s.Policy.Accept(r.Context(), version); err != nil {
			return err
		}
	}
	if err := s.saveConsents(r); err != nil {
		return err
	}
	http.Redirect(w, r, "/app", http.StatusSeeOther)
	return nil
}

// saveConsents sets every optional purpose as the form's ticked boxes say.
func (s *Server) saveConsents(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return beifen.Errorf(beifen.EINVALID, "Unreadable form.")
	}
	ticked := map[string]bool{}
	for _, p := range r.Form["purpose"] {
		ticked[p] = true
	}
	for _, info := range beifen.Purposes {
		if info.Required {
			continue
		}
		if err := s.Consents.SetConsent(r.Context(), info.Purpose, ticked[string(info.Purpose)]); err != nil {
			return err
		}
	}
	return nil
}
