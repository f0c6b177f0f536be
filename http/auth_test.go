package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/beifen/beifen"
	beifenhttp "github.com/beifen/beifen/http"
)

// signedInRoutes are the routes that require a signed-in user.
var signedInRoutes = []struct{ method, path string }{
	{"POST", "/api/v1/auth/signout"},
	{"GET", "/api/v1/me"},
	{"PUT", "/api/v1/me/password"},
	{"PUT", "/api/v1/me/devices/push"},
	{"GET", "/api/v1/me/devices/push"},
	{"POST", "/api/v1/uploads/check"},
	{"GET", "/api/v1/uploads/" + hashA + "?size=5"},
	{"PUT", "/api/v1/uploads/" + hashA + "?size=5&part=0"},
	{"POST", "/api/v1/snapshots"},
	{"GET", "/api/v1/snapshots"},
	{"GET", "/api/v1/snapshots/1"},
	{"GET", "/api/v1/snapshots/latest"},
	{"GET", "/api/v1/snapshots/1/diff/2"},
	{"GET", "/api/v1/snapshots/1/contacts.vcf"},
	{"GET", "/api/v1/snapshots/1/sms.xml"},
	{"GET", "/api/v1/snapshots/1/calls.xml"},
	{"GET", "/api/v1/snapshots/1/files"},
	{"GET", "/api/v1/files/" + hashA},
	{"HEAD", "/api/v1/files/" + hashA},
	{"PUT", "/api/v1/fragments/" + hashA + "?size=5&line=1"},
	{"POST", "/api/v1/leads/import"},
	{"GET", "/api/v1/leads/imports/abc/rejected.csv"},
	{"GET", "/api/v1/leads"},
	{"GET", "/api/v1/customers.vcf"},
	{"GET", "/api/v1/leads/1/timeline"},
	{"POST", "/api/v1/calls"},
	{"POST", "/api/v1/recordings"},
	{"GET", "/api/v1/recordings"},
	{"GET", "/api/v1/recordings/1/audio"},
	{"POST", "/api/v1/recordings/1/link"},
	{"PUT", "/api/v1/recordings/1/review"},
	{"GET", "/api/v1/recordings/1/accesses"},
	{"POST", "/api/v1/tasks"},
	{"POST", "/api/v1/tasks/1/next"},
	{"POST", "/api/v1/tasks/1/leads/1/outcome"},
	{"GET", "/api/v1/tasks/1/report"},
	{"GET", "/api/v1/tasks/1/report.csv"},
	{"GET", "/api/v1/tasks/1/report.xlsx"},
	{"PUT", "/api/v1/sms/templates/connected"},
	{"POST", "/api/v1/sms/replies"},
	{"GET", "/api/v1/audit"},
	{"GET", "/api/v1/audit/verify"},
	{"POST", "/api/v1/me/deletion"},
	{"DELETE", "/api/v1/me/deletion"},
	{"GET", "/api/v1/me/policy"},
	{"POST", "/api/v1/me/policy"},
	{"POST", "/api/v1/complaints"},
	{"PUT", "/api/v1/me/profile"},
	{"GET", "/api/v1/me/sessions"},
	{"POST", "/api/v1/me/guardian"},
	{"POST", "/api/v1/me/guardian/confirm"},
	{"DELETE", "/api/v1/me/sessions/1"},
	{"GET", "/api/v1/complaints"},
	{"GET", "/api/v1/complaints/1/photos/0"},
}

// The backup mock has no functions set: a request that got past the check would panic into a 500.
func TestRequireAuth_NoToken(t *testing.T) {
	s := MustOpenServer(t)
	for _, rt := range signedInRoutes {
		t.Run(rt.method+" "+rt.path, func(t *testing.T) {
			resp, body := s.Do(t, Request{Method: rt.method, Path: rt.path, Body: strings.NewReader(`{}`)})
			if rt.method == "HEAD" {
				if resp.StatusCode != http.StatusUnauthorized {
					t.Fatalf("StatusCode=%d, want 401", resp.StatusCode)
				}
				return
			}
			AssertError(t, resp, body, http.StatusUnauthorized, beifen.EUNAUTHORIZED, "You must be signed in.")
		})
	}
}

func TestAuthenticate_BadToken(t *testing.T) {
	tests := []struct {
		name   string
		header http.Header
	}{
		{"Bearer", http.Header{"Authorization": {"Bearer nope"}}},
		{"Cookie", http.Header{"Cookie": {beifenhttp.SessionCookie + "=nope"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustOpenServer(t)
			resp, body := s.Do(t, Request{Method: "GET", Path: "/api/v1/me", Header: tt.header})
			AssertError(t, resp, body, http.StatusUnauthorized, beifen.EUNAUTHORIZED, "Invalid token.")
			if log := s.WaitLog(t, "msg=http"); strings.Contains(log, "level=ERROR") {
				t.Errorf("a 401 is logged as an error:\n%s", log)
			}
		})
	}
}

func TestAuthenticate_OK(t *testing.T) {
	tests := []struct {
		name   string
		header http.Header
	}{
		{"Bearer", http.Header{"Authorization": {"Bearer " + Token}}},
		{"Cookie", http.Header{"Cookie": {beifenhttp.SessionCookie + "=" + Token}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustOpenServer(t)
			resp, body := s.Do(t, Request{Method: "GET", Path: "/api/v1/me", Header: tt.header})
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("StatusCode=%d, want 200 (body %s)", resp.StatusCode, body)
			}
			var u beifen.User
			if err := json.Unmarshal(body, &u); err != nil {
				t.Fatal(err)
			}
			if u.ID != Alice.ID || u.Phone != Alice.Phone {
				t.Fatalf("user=%+v, want %+v", u, Alice)
			}
			s.WaitLog(t, "user_id=42")
		})
	}
}

func TestSignIn(t *testing.T) {
	tests := []struct {
		name     string
		path     string
		kind     string // in the request
		wantKind string // given to the service
		cookie   bool
	}{
		{"Code", "/api/v1/auth/signin", "", "api", false},
		{"CodeAPI", "/api/v1/auth/signin", "api", "api", false},
		{"CodeSession", "/api/v1/auth/signin", "session", "session", true},
		{"Password", "/api/v1/auth/password", "", "api", false},
		{"PasswordSession", "/api/v1/auth/password", "session", "session", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustOpenServer(t)
			signIn := func(ctx context.Context, phone, secret, kind string) (*beifen.User, string, error) {
				if phone != Alice.Phone || secret != "123456" || kind != tt.wantKind {
					t.Errorf("signIn(%q, %q, %q), want (%q, %q, %q)", phone, secret, kind, Alice.Phone, "123456", tt.wantKind)
				}
				return Alice, "tok-new", nil
			}
			s.AuthService.SignInFn = signIn
			s.AuthService.SignInWithPasswordFn = signIn
			req := beifenhttp.SignInRequest{Phone: Alice.Phone, Code: "123456", Password: "123456", Kind: tt.kind}
			resp, body := s.Do(t, Request{Method: "POST", Path: tt.path, Body: jsonBody(t, req)})
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("StatusCode=%d, want 200 (body %s)", resp.StatusCode, body)
			}
			var got beifenhttp.SignInResponse
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			if got.Token != "tok-new" || got.User == nil || got.User.ID != Alice.ID {
				t.Fatalf("response=%s, want token tok-new for user 42", body)
			}
			c := findCookie(resp, beifenhttp.SessionCookie)
			if (c != nil) != tt.cookie {
				t.Fatalf("session cookie=%v, want %v", c, tt.cookie)
			}
			if c != nil && (c.Value != "tok-new" || !c.HttpOnly || c.Path != "/" || c.SameSite != http.SameSiteLaxMode || c.MaxAge <= 0) {
				t.Fatalf("cookie=%+v, want HttpOnly, Lax, Path=/, a MaxAge, value tok-new", c)
			}
		})
	}
}

func TestSignIn_Client(t *testing.T) {
	s := MustOpenServer(t)
	s.AuthService.SignInFn = func(ctx context.Context, phone, code, kind string) (*beifen.User, string, error) {
		if phone != Alice.Phone || code != "123456" || kind != "api" {
			return nil, "", beifen.Errorf(beifen.EUNAUTHORIZED, "Wrong or expired code.")
		}
		return Alice, "tok-new", nil
	}
	s.AuthService.SignInWithPasswordFn = func(ctx context.Context, phone, password, kind string) (*beifen.User, string, error) {
		return nil, "", beifen.Errorf(beifen.ETOOMANY, "Try again in 15 minutes.")
	}
	var phone string
	s.AuthService.RequestCodeFn = func(ctx context.Context, p string) error {
		phone = p
		return nil
	}
	ctx, c := context.Background(), s.Client("")

	if err := c.RequestCode(ctx, Alice.Phone); err != nil || phone != Alice.Phone {
		t.Fatalf("RequestCode: err=%v, phone=%q, want nil, %q", err, phone, Alice.Phone)
	}
	u, tok, err := c.SignIn(ctx, Alice.Phone, "123456", "api")
	if err != nil || tok != "tok-new" || u.ID != Alice.ID || !u.CreatedAt.Equal(Alice.CreatedAt) {
		t.Fatalf("SignIn=%+v, %q, %v, want user 42, tok-new", u, tok, err)
	}
	_, _, err = c.SignIn(ctx, Alice.Phone, "000000", "api")
	AssertAppError(t, err, beifen.EUNAUTHORIZED, "Wrong or expired code.")
	_, _, err = c.SignInWithPassword(ctx, Alice.Phone, "pw", "api")
	AssertAppError(t, err, beifen.ETOOMANY, "Try again in 15 minutes.")
}

func TestSignOut(t *testing.T) {
	s := MustOpenServer(t)
	resp, body := s.Do(t, Request{Method: "POST", Path: "/api/v1/auth/signout",
		Header: http.Header{"Cookie": {beifenhttp.SessionCookie + "=" + Token}}})
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("StatusCode=%d, want 204 (body %s)", resp.StatusCode, body)
	}
	c := findCookie(resp, beifenhttp.SessionCookie)
	if c == nil || c.Value != "" || c.MaxAge >= 0 || c.Path != "/" {
		t.Fatalf("cookie=%+v, want an empty one that expires now", c)
	}
}

func TestSetPassword(t *testing.T) {
	s := MustOpenServer(t)
	var got string
	s.AuthService.SetPasswordFn = func(ctx context.Context, password string) error {
		if id := beifen.UserIDFromContext(ctx); id != Alice.ID {
			t.Errorf("user=%d, want %d", id, Alice.ID)
		}
		got = password
		return nil
	}
	resp, body := s.Do(t, Request{Method: "PUT", Path: "/api/v1/me/password", Token: Token,
		Body: strings.NewReader(`{"password":"correct horse"}`)})
	if resp.StatusCode != http.StatusNoContent || got != "correct horse" {
		t.Fatalf("StatusCode=%d, password=%q, want 204, %q (body %s)", resp.StatusCode, got, "correct horse", body)
	}
}

func findCookie(resp *http.Response, name string) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// A state-changing request that a browser sends from another site is refused before it reaches
// the handler, cookie or not; the same request from the site itself, or from a client that is
// not a browser (no Sec-Fetch-Site, no Origin), goes through.
func TestCrossSiteRequestRefused(t *testing.T) {
	cookie := beifenhttp.SessionCookie + "=" + Token
	tests := []struct {
		name   string
		header http.Header
		ok     bool
	}{
		{"CrossSite", http.Header{"Cookie": {cookie}, "Sec-Fetch-Site": {"cross-site"}}, false},
		{"SameSiteSubdomain", http.Header{"Cookie": {cookie}, "Sec-Fetch-Site": {"same-site"}}, false},
		{"OtherOrigin", http.Header{"Cookie": {cookie}, "Origin": {"https://evil.example"}}, false},
		{"SameOrigin", http.Header{"Cookie": {cookie}, "Sec-Fetch-Site": {"same-origin"}}, true},
		{"NotABrowser", http.Header{"Authorization": {"Bearer " + Token}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustOpenServer(t)
			called := false
			s.AuthService.SetPasswordFn = func(ctx context.Context, password string) error {
				called = true
				return nil
			}
			resp, body := s.Do(t, Request{Method: "PUT", Path: "/api/v1/me/password", Header: tt.header,
				Body: strings.NewReader(`{"password":"correct horse"}`)})
			if tt.ok {
				if resp.StatusCode != http.StatusNoContent || !called {
					t.Fatalf("StatusCode=%d, called=%v, want 204 and the password set (body %s)", resp.StatusCode, called, body)
				}
				return
			}
			AssertError(t, resp, body, http.StatusForbidden, beifen.EFORBIDDEN, "Cross-site request refused.")
			if called {
				t.Error("the handler ran")
			}
		})
	}
}
