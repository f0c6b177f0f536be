package main_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	main "github.com/beifen/beifen/cmd/beifen"
)

// carrierAPI is a one-click token exchange the test runs: each token it knows stands for a
// number; any other token is refused. It remembers the tokens it was sent.
type carrierAPI struct {
	mu     sync.Mutex
	phones map[string]string
	got    []string
}

func (c *carrierAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer carrier-secret" {
		http.Error(w, "no", http.StatusUnauthorized)
		return
	}
	var req struct{ Token string }
	json.NewDecoder(r.Body).Decode(&req)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.got = append(c.got, req.Token)
	phone, ok := c.phones[req.Token]
	if !ok {
		http.Error(w, `{"error":"token invalid or used"}`, http.StatusUnprocessableEntity)
		return
	}
	json.NewEncoder(w).Encode(map[string]string{"phone": phone})
}

func (c *carrierAPI) calls() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.got)
}

// oneClick posts a one-click sign-in and returns the status and the decoded answer.
func oneClick(t *testing.T, s *Server, body string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(s.URL+"/api/v1/auth/carrier", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// TestPolicy_1_1_1f_CarrierOneClickNeedsConsent: one-click sign-in is off by default (a clear
// error, nothing on the sign-in page); configured, it signs in or up only with consent: true in
// the request, through the same rules as a texted code (locked numbers stay locked, no new
// account while closing, the history says "carrier"); the exchange is a registered third party
// and every exchange a logged transfer; the log has neither the number nor the token; the code
// and the password keep working.
func TestPolicy_1_1_1f_CarrierOneClickNeedsConsent(t *testing.T) {
	t.Run("OffByDefault", func(t *testing.T) {
		s := MustRunMain(t, "")
		st, out := oneClick(t, s, `{"token":"tok-1","consent":true}`)
		if st != http.StatusForbidden || !strings.Contains(out["error"].(string), "One-click sign-in is not available") {
			t.Fatalf("one-click while off: %d %v, want 403 and a clear error", st, out)
		}
		page := body((&uiClient{tb: t, base: s.URL, lang: "zh-CN"}).get("/signin"))
		if strings.Contains(page, "一键") || strings.Contains(page, "carrier") {
			t.Fatal("the sign-in page offers one-click sign-in while it is off")
		}
		mustCodeSignIn(t, s, "13900139001")
	})

	api := &carrierAPI{phones: map[string]string{"tok-1": "13800138001", "tok-2": "+86 138 0013 8002", "tok-3": "13800138003"}}
	svc := httptest.NewServer(api)
	t.Cleanup(svc.Close)
	s := MustRunMainConfig(t, "", func(c *main.Config) {
		c.CarrierURL, c.CarrierToken, c.CarrierProvider = svc.URL, "carrier-secret", "某某一键登录"
	})
	ctx := context.Background()

	t.Run("ConsentRequired", func(t *testing.T) {
		for _, b := range []string{`{"token":"tok-1"}`, `{"token":"tok-1","consent":false}`} {
			st, out := oneClick(t, s, b)
			if st != http.StatusBadRequest || !strings.Contains(out["error"].(string), "explicit consent") {
				t.Fatalf("%s: %d %v, want 400 asking for consent", b, st, out)
			}
		}
		if api.calls() != 0 {
			t.Fatal("a token went to the carrier without consent")
		}
		if page := body((&uiClient{tb: t, base: s.URL, lang: "zh-CN"}).get("/signin")); strings.Contains(page, "checked") {
			t.Fatal("something is pre-ticked on the sign-in page")
		}
	})
	t.Run("SignsUpAndIn", func(t *testing.T) {
		for i := 0; i < 2; i++ {
			st, out := oneClick(t, s, `{"token":"tok-1","consent":true}`)
			user, _ := out["user"].(map[string]any)
			if st != 200 || out["token"] == "" || user["phone"] != "+8613800138001" {
				t.Fatalf("one-click sign-in %d: %d %v", i, st, out)
			}
		}
		u, err := s.Store.Users.FindUserByPhoneHash(ctx, s.Auth.PhoneHash("+8613800138001"))
		if err != nil {
			t.Fatal(err)
		}
		ins, _ := s.Store.SignIns.FindSignIns(ctx, u.ID, 10)
		if len(ins) != 2 || ins[0].Method != "carrier" {
			t.Fatalf("sign-in history %+v, want two carrier sign-ins", ins)
		}
		list, _ := s.Store.Transfers.FindTransfers(ctx, s.Auth.PhoneHash("+8613800138001"), 10)
		if len(list) != 2 || list[0].Party != "carrier" {
			t.Fatalf("transfers %+v, want the two exchanges logged", list)
		}
		resp, _ := http.Get(s.URL + "/api/v1/third-parties")
		if b := body(resp); !strings.Contains(b, `"id":"carrier"`) || !strings.Contains(b, "某某一键登录") {
			t.Fatalf("third parties %s, want the carrier service", b)
		}
	})
	t.Run("RefusedToken", func(t *testing.T) {
		st, out := oneClick(t, s, `{"token":"forged","consent":true}`)
		if st != http.StatusUnauthorized || !strings.Contains(out["error"].(string), "texted code") {
			t.Fatalf("a refused token: %d %v, want 401 pointing to the code", st, out)
		}
	})
	t.Run("LockedNumberStaysLocked", func(t *testing.T) {
		post(t, s.URL+"/api/v1/auth/code", map[string]string{"phone": "13800138002"})
		for i := 0; i < 5; i++ {
			post(t, s.URL+"/api/v1/auth/signin", map[string]string{"phone": "13800138002", "code": "000000"})
		}
		if st, out := oneClick(t, s, `{"token":"tok-2","consent":true}`); st != http.StatusTooManyRequests {
			t.Fatalf("one-click for a locked number: %d %v, want 429", st, out)
		}
	})
	t.Run("NoNewAccountWhileClosing", func(t *testing.T) {
		closed := s.Auth.Closed
		s.Auth.Closed = func(context.Context) bool { return true }
		defer func() { s.Auth.Closed = closed }()
		if st, out := oneClick(t, s, `{"token":"tok-3","consent":true}`); st != http.StatusForbidden || !strings.Contains(out["error"].(string), "closing") {
			t.Fatalf("one-click sign-up while closing: %d %v, want 403", st, out)
		}
	})
	t.Run("OtherWaysStillWork", func(t *testing.T) {
		tok := mustCodeSignIn(t, s, "13900139002")
		if _, st := apiDo(t, "PUT", s.URL+"/api/v1/me/password", tok, strings.NewReader(`{"password":"correct horse"}`), nil); st != 204 {
			t.Fatalf("set password: %d", st)
		}
		if st, out := post(t, s.URL+"/api/v1/auth/password", map[string]string{"phone": "13900139002", "password": "correct horse"}); st != 200 {
			t.Fatalf("password sign-in: %d %v", st, out)
		}
	})
	for _, secret := range []string{"13800138001", "138****8001", "tok-1", "tok-2"} {
		if strings.Contains(s.Log.String(), secret) {
			t.Errorf("the log holds %q", secret)
		}
	}
}

// mustCodeSignIn signs in with a texted code and returns the API token.
func mustCodeSignIn(t *testing.T, s *Server, phone string) string {
	t.Helper()
	if st, out := post(t, s.URL+"/api/v1/auth/code", map[string]string{"phone": phone}); st != 204 {
		t.Fatalf("request code: %d %v", st, out)
	}
	st, out := post(t, s.URL+"/api/v1/auth/signin", map[string]string{"phone": phone, "code": lastCode(t, s)})
	if st != 200 {
		t.Fatalf("code sign-in: %d %v", st, out)
	}
	return out["token"].(string)
}
