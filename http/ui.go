package http

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/ui"
)

// The web UI: server-rendered pages over the same services as the REST API. Pages answer
// errors as pages (a sign-in redirect, a translated message), never as JSON.

// LangCookie remembers the language the user switched to.
const LangCookie = "beifen_lang"

// uiCSP allows nothing from any other host: every script, style, picture and sound is beifen's
// own. Contact photos are inline data: URLs.
const uiCSP = "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; script-src 'self'; " +
	"style-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"

// Uploader is what the web upload needs beyond the BackupService: a snapshot of the newest one
// with files added.
type Uploader interface {
	AddToBackup(ctx context.Context, files []*beifen.File) (*beifen.Snapshot, error)
}

// uiHandler is a page handler; it returns an error to show instead.
type uiHandler func(w http.ResponseWriter, r *http.Request, v *ui.View) error

// page wraps a handler with the page headers, the view and error pages. Unless public, it
// sends a visitor who is not signed in to the sign-in page and a user who must accept a new
// policy to the welcome page.
func (s *Server) page(title string, public bool, h uiHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", uiCSP)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "same-origin")
		w.Header().Set("Cache-Control", "private, no-store")
		v := s.view(r, title)
		if !public {
			if v.User == nil {
				http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			if s.Policy != nil && r.URL.Path != "/welcome" {
				if welcome, err := s.Policy.MustWelcome(r.Context()); err != nil {
					s.uiError(w, r, v, err)
					return
				} else if welcome {
					http.Redirect(w, r, "/welcome", http.StatusSeeOther)
					return
				}
			}
		}
		if err := s.closingGate(r); err != nil {
			if strings.Contains(r.Header.Get("Accept"), "application/json") {
				s.Error(w, r, err)
			} else {
				s.uiError(w, r, v, err)
			}
			return
		}
		if !public && s.Guardians != nil && minorGated[r.Pattern] {
			if err := s.Guardians.MinorGate(r.Context()); err != nil {
				s.uiError(w, r, v, err)
				return
			}
		}
		if err := s.realNameGate(r); err != nil {
			s.uiError(w, r, v, err)
			return
		}
		if err := h(w, r, v); err != nil {
			s.uiError(w, r, v, err)
		}
	}
}

// requestLang is the language the browser asked for: its cookie's, else its Accept-Language.
func requestLang(r *http.Request) string {
	lang := ""
	if c, err := r.Cookie(LangCookie); err == nil {
		lang = c.Value
	}
	return ui.PickLang(lang, r.Header.Get("Accept-Language"))
}

func (s *Server) view(r *http.Request, title string) *ui.View {
	v := &ui.View{
		Lang:  requestLang(r),
		Title: title,
		Path:  r.URL.RequestURI(),
		User:  beifen.UserFromContext(r.Context()),
	}
	v.Operator = s.Ops != nil && v.User != nil && s.Ops.IsOperator(v.User)
	if s.Closing != nil {
		if c, err := s.Closing(r.Context()); err == nil && c != nil {
			v.ClosingOn = c.EraseAt
		}
	}
	if key := r.URL.Query().Get("done"); (strings.HasPrefix(key, "flash.") || strings.HasPrefix(key, "staff.")) && ui.HasKey(key) {
		v.Flash = v.T(key)
	}
	return v
}

// render writes a page; a template error becomes an internal error page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, v *ui.View) error {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	var buf strings.Builder
	if err := s.ui().Render(&buf, name, v); err != nil {
		return err
	}
	w.WriteHeader(status)
	_, err := w.Write([]byte(buf.String()))
	return err
}

// ui returns the page renderer, parsed once.
func (s *Server) ui() *ui.Renderer {
	s.uiOnce.Do(func() {
		var err error
		if s.renderer, err = ui.NewRenderer(); err != nil {
			panic(err) // the templates are embedded: a parse error is a build bug, caught by the tests
		}
	})
	return s.renderer
}

// uiError answers an error with a page in the user's language.
func (s *Server) uiError(w http.ResponseWriter, r *http.Request, v *ui.View, err error) {
	code, msg := beifen.ErrorCode(err), beifen.ErrorMessage(err)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		code, msg = beifen.ETOOLARGE, ""
	}
	if code == beifen.EUNAUTHORIZED {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	}
	if code == beifen.EINTERNAL {
		s.Logger.ErrorContext(r.Context(), "internal error", "method", r.Method, "route", r.Pattern,
			"user_id", beifen.UserIDFromContext(r.Context()), "err", err)
		msg = ""
	}
	v.Title = "error." + code
	if code == beifen.EINVALID || code == beifen.ECONFLICT {
		v.Error = v.T(v.Title) + msg
	} else {
		v.Error = v.T(v.Title)
	}
	s.render(w, r, ErrorStatusCode(code), "error", v)
}

// errorText is an application error as a page shows it: what kind of error, in the page's
// language, then the service's own words.
func errorText(v *ui.View, err error) string {
	return v.T("error."+beifen.ErrorCode(err)) + " " + beifen.ErrorMessage(err)
}

// redirectDone sends the browser to target with a flash message key.
func redirectDone(w http.ResponseWriter, r *http.Request, target, key string) {
	u, _ := url.Parse(target)
	q := u.Query()
	q.Set("done", key)
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}

// localPath keeps a redirect target on this site.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/app"
	}
	return p
}

func formInt(r *http.Request, name string) int {
	n, _ := strconv.Atoi(r.FormValue(name))
	return n
}

func (s *Server) uiRoutes(mux *http.ServeMux) {
	static := http.FileServerFS(ui.Static())
	mux.Handle("GET /static/", http.StripPrefix("/static/", static))
	mux.HandleFunc("GET /sw.js", func(w http.ResponseWriter, r *http.Request) {
		r.URL.Path = "/sw.js"
		static.ServeHTTP(w, r)
	})
	mux.HandleFunc("GET /{$}", s.handleUIRoot)
	mux.HandleFunc("GET /lang", s.handleUILang)
	mux.HandleFunc("GET /policy", s.page("nav.policy", true, s.handleUIPolicy))
	mux.HandleFunc("GET /signin", s.page("signin.title", true, s.handleUISignIn))
	mux.HandleFunc("POST /signin/code", s.page("signin.title", true, s.handleUISendCode))
	mux.HandleFunc("POST /signin", s.page("signin.title", true, s.handleUISignInPost))
	mux.HandleFunc("POST /signin/password", s.page("signin.title", true, s.handleUISignInPassword))
	mux.HandleFunc("POST /signout", s.handleUISignOut)
	mux.HandleFunc("GET /welcome", s.page("welcome.title", false, s.handleUIWelcome))
	mux.HandleFunc("POST /welcome", s.page("welcome.title", false, s.handleUIWelcomePost))

	mux.HandleFunc("GET /app", s.page("app.title", false, s.handleUIApp))
	mux.HandleFunc("POST /app/upload", s.page("app.title", false, s.handleUIUpload))
	mux.HandleFunc("GET /app/upload/progress", s.page("app.title", false, s.handleUIUploadProgress))
	mux.HandleFunc("GET /app/diff", s.page("diff.compare", false, s.handleUIDiff))
	mux.HandleFunc("GET /app/s/{id}", s.page("tab.restore", false, s.handleUISnapshot))
	mux.HandleFunc("GET /app/s/{id}/messages", s.page("tab.messages", false, s.handleUIConversations))
	mux.HandleFunc("GET /app/s/{id}/messages/{addr}", s.page("tab.messages", false, s.handleUIThread))
	mux.HandleFunc("GET /app/s/{id}/contacts", s.page("tab.contacts", false, s.handleUIContacts))
	mux.HandleFunc("GET /app/s/{id}/calls", s.page("tab.calls", false, s.handleUICalls))
	mux.HandleFunc("GET /app/s/{id}/files", s.page("tab.files", false, s.handleUIFiles))
	mux.HandleFunc("GET /app/s/{id}/restore.zip", s.page("tab.restore", false, s.handleUIRestoreZip))
	mux.HandleFunc("GET /app/file/{hash}", s.page("tab.files", false, s.handleUIFile))
	mux.HandleFunc("GET /app/blob/{hash}", s.page("tab.files", false, s.handleUIFile))
	mux.HandleFunc("GET /app/thumb/{hash}", s.page("tab.files", false, s.handleUIThumb))
	mux.HandleFunc("POST /app/s/{id}/contacts/share", s.page("share.title", false, s.handleUIShareContact))
	mux.HandleFunc("POST /app/file/{hash}/share", s.page("share.title", false, s.handleUIShareFile))
	mux.HandleFunc("POST /privacy/shares/{id}/revoke", s.page("share.title", false, s.handleUIShareRevoke))
	mux.HandleFunc("GET /s/{token}", s.page("share.title", true, s.handleUIShared))

	mux.HandleFunc("GET /privacy", s.page("privacy.title", false, s.handleUIPrivacy))
	mux.HandleFunc("POST /privacy/profile", s.page("profile.title", false, s.handleUIProfile))
	mux.HandleFunc("POST /privacy/remembered/clear", s.page("privacy.title", false, s.handleUIForget))
	mux.HandleFunc("POST /privacy/consents", s.page("privacy.title", false, s.handleUIConsents))
	mux.HandleFunc("POST /privacy/requests", s.page("privacy.title", false, s.handleUIRequestAsk))
	mux.HandleFunc("POST /app/items/delete", s.page("item.delete", false, s.handleUIItemDelete))
	mux.HandleFunc("POST /privacy/realname", s.page("realname.title", false, s.handleUIRealName))
	mux.HandleFunc("POST /privacy/realname/withdraw", s.page("realname.title", false, s.handleUIRealNameWithdraw))
	mux.HandleFunc("POST /privacy/email", s.page("email.title", false, s.handleUIEmailSet))
	mux.HandleFunc("POST /privacy/email/confirm", s.page("email.title", false, s.handleUIEmailConfirm))
	mux.HandleFunc("POST /privacy/email/remove", s.page("email.title", false, s.handleUIEmailRemove))
	mux.HandleFunc("GET /unsubscribe/{token}", s.page("unsubscribe.title", true, s.handleUIUnsubscribe))
	mux.HandleFunc("POST /unsubscribe/{token}", s.page("unsubscribe.title", true, s.handleUIUnsubscribePost))
	mux.HandleFunc("GET /privacy/export.zip", s.page("export.title", false, s.handleUIExport))
	mux.HandleFunc("POST /privacy/deletion/code", s.page("delete.title", false, s.handleUIDeletionCode))
	mux.HandleFunc("POST /privacy/deletion", s.page("delete.title", false, s.handleUIDeletion))
	mux.HandleFunc("POST /privacy/deletion/cancel", s.page("delete.title", false, s.handleUIDeletionCancel))
	mux.HandleFunc("POST /privacy/sessions/{id}/revoke", s.page("sessions.title", false, s.handleUIRevoke))
	mux.HandleFunc("GET /privacy/complaints", s.page("complaints.title", true, s.handleUIComplaints))
	mux.HandleFunc("POST /privacy/complaints", s.page("complaints.title", false, s.handleUIComplaintPost))
	mux.HandleFunc("GET /privacy/third-parties", s.page("nav.thirdparties", true, s.handleUIThirdParties))
	mux.HandleFunc("GET /privacy/retention", s.page("retention.title", true, s.handleUIRetention))

	mux.HandleFunc("GET /staff", s.page("staff.title", false, s.handleUIStaff))
	mux.HandleFunc("GET /staff/t/{task}", s.page("staff.title", false, s.handleUIStaffTask))
	mux.HandleFunc("POST /staff/t/{task}/next", s.page("staff.title", false, s.handleUIStaffNext))
	mux.HandleFunc("GET /staff/t/{task}/lead/{lead}", s.page("staff.title", false, s.handleUIStaffLead))
	mux.HandleFunc("POST /staff/t/{task}/lead/{lead}/outcome", s.page("staff.title", false, s.handleUIStaffOutcome))

	mux.HandleFunc("GET /ops", s.page("ops.title", false, s.handleUIOps))
	mux.HandleFunc("POST /ops/complaints/{id}/answer", s.page("ops.title", false, s.handleUIOpsAnswer))
	mux.HandleFunc("POST /ops/requests/{id}/answer", s.page("ops.title", false, s.handleUIOpsRequestAnswer))
	mux.HandleFunc("POST /ops/incidents", s.page("ops.title", false, s.handleUIIncidentCreate))
	mux.HandleFunc("POST /ops/notices", s.page("ops.title", false, s.handleUINoticeSend))
	mux.HandleFunc("POST /ops/announcements", s.page("ops.title", false, s.handleUIAnnounce))
	mux.HandleFunc("POST /ops/activities", s.page("ops.title", false, s.handleUIActivityCreate))
	mux.HandleFunc("GET /ops/activities/{id}/signups.csv", s.page("ops.title", false, s.handleUIActivityExport))
	mux.HandleFunc("GET /ops/research.csv", s.page("ops.title", false, s.handleUIResearchExport))
	mux.HandleFunc("GET /activities", s.page("activity.title", false, s.handleUIActivities))
	mux.HandleFunc("POST /activities/{id}", s.page("activity.title", false, s.handleUIActivitySignUp))
	mux.HandleFunc("GET /announcements", s.page("announce.title", true, s.handleUIAnnouncements))
	mux.HandleFunc("GET /feed", s.page("feed.title", false, s.handleUIFeed))
	mux.HandleFunc("GET /feed/item/{key}", s.page("feed.title", false, s.handleUIFeedItem))
	mux.HandleFunc("POST /feed/items/{key}/not-interested", s.page("feed.title", false, s.handleUIFeedNotInterested))
	mux.HandleFunc("POST /feed/marks/{id}/undo", s.page("feed.title", false, s.handleUIFeedUndo))
	mux.HandleFunc("POST /feed/personalise", s.page("feed.title", false, s.handleUIFeedPersonalise))
	mux.HandleFunc("POST /feed/follow", s.page("feed.title", false, s.handleUIFeedFollow))
	mux.HandleFunc("POST /feed/follows/{id}/unfollow", s.page("feed.title", false, s.handleUIFeedUnfollow))
	mux.HandleFunc("POST /feed/channels", s.page("feed.title", false, s.handleUIFeedChannel))
	mux.HandleFunc("POST /feed/posts", s.page("feed.title", false, s.handleUIFeedPost))
	mux.HandleFunc("POST /feed/posts/{id}/delete", s.page("feed.title", false, s.handleUIFeedPostDelete))
	mux.HandleFunc("POST /ops/incidents/{id}/notify", s.page("ops.title", false, s.handleUIIncidentNotify))
	mux.HandleFunc("GET /ops/incidents/{id}/report.json", s.page("ops.title", false, s.handleUIIncidentReport))
	mux.HandleFunc("GET /manage", s.page("manage.title", false, s.handleUIManage))
	mux.HandleFunc("POST /manage/import", s.page("manage.import", false, s.handleUIImport))
	mux.HandleFunc("POST /manage/plan", s.page("manage.plan", false, s.handleUIPlan))
	mux.HandleFunc("POST /manage/tasks", s.page("manage.new_task", false, s.handleUITaskCreate))
	mux.HandleFunc("GET /manage/leads", s.page("manage.all_leads", false, s.handleUILeads))
	mux.HandleFunc("GET /manage/leads/{id}", s.page("timeline.title", false, s.handleUITimeline))
	mux.HandleFunc("GET /manage/recordings/{id}", s.page("review.rubric", false, s.handleUIReview))
	mux.HandleFunc("POST /manage/recordings/{id}/review", s.page("review.rubric", false, s.handleUIReviewPost))
}

func (s *Server) handleUIRoot(w http.ResponseWriter, r *http.Request) {
	if beifen.UserFromContext(r.Context()) == nil {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/app", http.StatusSeeOther)
}

func (s *Server) handleUILang(w http.ResponseWriter, r *http.Request) {
	to := r.URL.Query().Get("to")
	if to != ui.Chinese && to != ui.English {
		to = ui.English
	}
	http.SetCookie(w, &http.Cookie{Name: LangCookie, Value: to, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, localPath(r.URL.Query().Get("back")), http.StatusSeeOther)
}
