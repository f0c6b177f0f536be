package main_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// signInSession signs in by SMS code for a browser session and returns its cookie.
func signInSession(t *testing.T, s *Server, phone string) *http.Cookie {
	t.Helper()
	post(t, s.URL+"/api/v1/auth/code", map[string]string{"phone": phone})
	b, _ := json.Marshal(map[string]string{"phone": phone, "code": lastCode(t, s), "kind": "session"})
	resp, err := http.Post(s.URL+"/api/v1/auth/signin", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "beifen_session" {
			return c
		}
	}
	t.Fatalf("no session cookie (status %d)", resp.StatusCode)
	return nil
}

func withCookie(t *testing.T, method, url string, c *http.Cookie, body string, header map[string]string) int {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.AddCookie(c)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestPolicy_2_1_SecureSessionCookies: browser sessions ride on an HttpOnly, SameSite cookie; a
// cross-site request carrying it is refused; the user sees their sessions and can end one.
func TestPolicy_2_1_SecureSessionCookies(t *testing.T) {
	s := MustRunMain(t, "")
	c := signInSession(t, s, "13800138000")
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.MaxAge <= 0 {
		t.Fatalf("cookie %+v: want HttpOnly, SameSite=Lax and an expiry", c)
	}
	if st := withCookie(t, "GET", s.URL+"/api/v1/me", c, "", nil); st != 200 {
		t.Fatalf("the session cookie does not sign in: %d", st)
	}
	forged := map[string]string{"Origin": "https://evil.example", "Content-Type": "application/json"}
	if st := withCookie(t, "PUT", s.URL+"/api/v1/me/profile", c, `{"nickname":"pwned"}`, forged); st != 403 {
		t.Fatalf("a cross-site request with the cookie: %d, want 403", st)
	}
	same := map[string]string{"Origin": s.URL, "Content-Type": "application/json"}
	if st := withCookie(t, "PUT", s.URL+"/api/v1/me/profile", c, `{"nickname":"me"}`, same); st != 200 {
		t.Fatalf("a same-site request: %d", st)
	}
	other := signInSession(t, s, "13800138000")
	req, _ := http.NewRequest("GET", s.URL+"/api/v1/me/sessions", nil)
	req.AddCookie(c)
	resp, _ := http.DefaultClient.Do(req)
	var list struct{ Sessions []struct{ ID int64 } }
	json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if len(list.Sessions) != 2 {
		t.Fatalf("sessions %+v, want 2", list.Sessions)
	}
	// End the other session from this one.
	last := list.Sessions[len(list.Sessions)-1].ID
	if st := withCookie(t, "DELETE", s.URL+"/api/v1/me/sessions/"+itoa(last), c, "", same); st != 204 {
		t.Fatalf("revoke: %d", st)
	}
	if st := withCookie(t, "GET", s.URL+"/api/v1/me", other, "", nil); st != 401 {
		t.Fatalf("a revoked session still works: %d", st)
	}
}

// TestPolicy_2_3_SignOutLeavesNoSession: after signing out, the old cookie (say, kept by a
// browser that did not clear it) signs nobody in.
func TestPolicy_2_3_SignOutLeavesNoSession(t *testing.T) {
	s := MustRunMain(t, "")
	c := signInSession(t, s, "13800138000")
	if st := withCookie(t, "POST", s.URL+"/api/v1/auth/signout", c, "", map[string]string{"Origin": s.URL}); st != 204 {
		t.Fatalf("sign out: %d", st)
	}
	if st := withCookie(t, "GET", s.URL+"/api/v1/me", c, "", nil); st != 401 {
		t.Fatalf("the old cookie after sign-out: %d, want 401", st)
	}
}
