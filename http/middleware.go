package http

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/beifen/beifen"
)

// SessionCookie is the name of the browser session cookie.
const SessionCookie = "beifen_session"

// requestToken returns the request's bearer token, else its session cookie, else "".
func requestToken(r *http.Request) string {
	if v := r.Header.Get("Authorization"); strings.HasPrefix(v, "Bearer ") {
		return strings.TrimPrefix(v, "Bearer ")
	}
	if c, err := r.Cookie(SessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// crossSite reports whether a request signed in by cookie changes something from another
// site: its Origin (or Referer) names another host. Browsers send the cookie along with such
// forged requests; bearer tokens they never do.
func crossSite(r *http.Request) bool {
	if r.Header.Get("Authorization") != "" {
		return false
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		origin = r.Header.Get("Referer")
	}
	if origin == "" {
		return false // not a browser: a form post always carries one of them
	}
	u, err := url.Parse(origin)
	return err != nil || u.Host != r.Host
}

// authenticate signs the request in from its bearer token or session cookie, if any.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := requestToken(r)
		if tok != "" && crossSite(r) {
			s.Error(w, r, beifen.Errorf(beifen.EFORBIDDEN, "Cross-site request refused."))
			return
		}
		if tok != "" {
			u, err := s.AuthService.Authenticate(r.Context(), tok)
			if err != nil {
				s.Error(w, r, err)
				return
			}
			r = r.WithContext(beifen.NewContextWithUser(r.Context(), u))
			if info, ok := r.Context().Value(logInfoKey).(*logInfo); ok {
				info.userID = u.ID
			}
		}
		next.ServeHTTP(w, r)
		// The mux sets the pattern on the request it was given: this one.
		if info, ok := r.Context().Value(logInfoKey).(*logInfo); ok {
			info.route = r.Pattern
		}
	})
}

// logInfo carries what inner handlers learn back to the access log.
type logInfo struct {
	userID int64
	route  string
}

type logInfoKeyType struct{}

var logInfoKey logInfoKeyType

// requireAuth refuses requests that are not signed in.
func (s *Server) requireAuth(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if beifen.UserFromContext(r.Context()) == nil {
			s.Error(w, r, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in."))
			return
		}
		if s.Policy != nil && !ungated[r.URL.Path] {
			if err := s.Policy.Gate(r.Context()); err != nil {
				s.Error(w, r, err)
				return
			}
		}
		if err := s.closingGate(r); err != nil {
			s.Error(w, r, err)
			return
		}
		if s.Guardians != nil && minorGated[r.Pattern] {
			if err := s.Guardians.MinorGate(r.Context()); err != nil {
				s.Error(w, r, err)
				return
			}
		}
		if err := s.realNameGate(r); err != nil {
			s.Error(w, r, err)
			return
		}
		h(w, r)
	}
}

// statusWriter remembers the status code for the access log.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(p)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// accessLog logs the route pattern, never the URL: paths and queries may hold personal data.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		info := &logInfo{}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), logInfoKey, info)))
		took := time.Since(start)
		s.latency.add(info.route, took, sw.status)
		s.Logger.InfoContext(r.Context(), "http", "method", r.Method, "route", info.route, "status", sw.status,
			"bytes", sw.bytes, "ms", took.Milliseconds(), "user_id", info.userID)
	})
}

// recoverPanic turns a panic into a 500 and a log line.
func (s *Server) recoverPanic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				s.Error(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// crossOrigin refuses state-changing browser requests sent from another site (CSRF): the
// session cookie is SameSite=Lax, which still lets a sibling subdomain post with it. Phones, the
// CLI and DAV clients send neither Sec-Fetch-Site nor Origin and pass unchanged (see
// http.CrossOriginProtection).
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	p := http.NewCrossOriginProtection()
	// An unsubscribe link's token is its own authority, with no cookie to ride on; webmail may
	// send the one-click POST from its own origin (RFC 8058).
	p.AddInsecureBypassPattern("POST /unsubscribe/{token}")
	p.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Error(w, r, beifen.Errorf(beifen.EFORBIDDEN, "Cross-site request refused."))
	}))
	return p.Handler(next)
}
