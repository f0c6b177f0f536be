package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// post sends a JSON body and returns the status and decoded body.
func post(tb testing.TB, url string, body any) (int, map[string]any) {
	tb.Helper()
	b, _ := json.Marshal(body)
	resp, err := http.Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

var codeRE = regexp.MustCompile(`code=(\d{6})`)

// lastCode returns the last sign-in code the console SMS provider logged.
func lastCode(tb testing.TB, s *Server) string {
	tb.Helper()
	m := codeRE.FindAllStringSubmatch(s.Log.String(), -1)
	if len(m) == 0 {
		tb.Fatal("no code in the server log")
	}
	return m[len(m)-1][1]
}

// clock is a settable time for the sign-in limits.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

// TestPolicy_1_1_1a_PhoneSignIn: sign-up and sign-in by mobile number and SMS code, with the
// limits: 6 digits, valid 10 minutes, no resend within 60 s, 5 wrong tries lock the number for
// 15 minutes; an optional argon2id password.
func TestPolicy_1_1_1a_PhoneSignIn(t *testing.T) {
	s := MustRunMain(t, "")
	clk := &clock{t: time.Now()}
	s.Auth.Now = clk.Now
	phone := "+86 139 0000 1111"

	t.Run("SignUpWithCode", func(t *testing.T) {
		if st, body := post(t, s.URL+"/api/v1/auth/code", map[string]string{"phone": phone}); st != 204 {
			t.Fatalf("request code: %d %v", st, body)
		}
		log := s.Log.String()
		if strings.Contains(log, "13900001111") || !strings.Contains(log, "139****1111") {
			t.Fatalf("the log must show only a masked number: %s", log)
		}
		st, body := post(t, s.URL+"/api/v1/auth/code", map[string]string{"phone": phone})
		if st != 429 || !strings.Contains(body["error"].(string), "wait") {
			t.Fatalf("resend within 60 s: %d %v, want 429", st, body)
		}
		st, body = post(t, s.URL+"/api/v1/auth/signin", map[string]string{"phone": "13900001111", "code": lastCode(t, s)})
		if st != 200 || body["token"] == "" || body["user"].(map[string]any)["phone"] != "+8613900001111" {
			t.Fatalf("sign in: %d %v", st, body)
		}
		req, _ := http.NewRequest("GET", s.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+body["token"].(string))
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("token does not work: %v %v", resp, err)
		}
		resp.Body.Close()
		if st, _ := post(t, s.URL+"/api/v1/auth/signin", map[string]string{"phone": phone, "code": lastCode(t, s)}); st != 401 {
			t.Fatalf("a used code signed in again: %d", st)
		}
	})
	t.Run("CodeExpires", func(t *testing.T) {
		clk.t = clk.t.Add(2 * time.Minute)
		post(t, s.URL+"/api/v1/auth/code", map[string]string{"phone": phone})
		code := lastCode(t, s)
		clk.t = clk.t.Add(10*time.Minute + time.Second)
		if st, body := post(t, s.URL+"/api/v1/auth/signin", map[string]string{"phone": phone, "code": code}); st != 401 {
			t.Fatalf("expired code: %d %v, want 401", st, body)
		}
	})
	t.Run("FiveWrongTriesLock", func(t *testing.T) {
		clk.t = clk.t.Add(2 * time.Minute)
		post(t, s.URL+"/api/v1/auth/code", map[string]string{"phone": phone})
		code := lastCode(t, s)
		wrong := fmt.Sprintf("%06d", (mustAtoi(code)+1)%1000000)
		for i := 1; i <= 5; i++ {
			st, body := post(t, s.URL+"/api/v1/auth/signin", map[string]string{"phone": phone, "code": wrong})
			if want := map[bool]int{true: 429, false: 401}[i == 5]; st != want {
				t.Fatalf("wrong try %d: %d %v, want %d", i, st, body, want)
			}
		}
		if st, _ := post(t, s.URL+"/api/v1/auth/signin", map[string]string{"phone": phone, "code": code}); st != 429 {
			t.Fatalf("right code while locked: %d, want 429", st)
		}
		clk.t = clk.t.Add(14 * time.Minute)
		if st, _ := post(t, s.URL+"/api/v1/auth/code", map[string]string{"phone": phone}); st != 429 {
			t.Fatalf("new code while locked: %d, want 429", st)
		}
		clk.t = clk.t.Add(2 * time.Minute)
		if st, _ := post(t, s.URL+"/api/v1/auth/code", map[string]string{"phone": phone}); st != 204 {
			t.Fatalf("new code after the lock: %d, want 204", st)
		}
		if st, _ := post(t, s.URL+"/api/v1/auth/signin", map[string]string{"phone": phone, "code": lastCode(t, s)}); st != 200 {
			t.Fatalf("sign in after the lock: %d", st)
		}
	})
	t.Run("Password", func(t *testing.T) {
		u, tok, err := s.Auth.SignInWithPassword(context.Background(), phone, "nope", "api")
		if err == nil || u != nil || tok != "" {
			t.Fatal("signed in with a password never set")
		}
		_, tok, _ = s.Auth.CreateUser(context.Background(), "13700001234", "")
		req, _ := http.NewRequest("PUT", s.URL+"/api/v1/me/password", strings.NewReader(`{"password":"correct horse"}`))
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 204 {
			t.Fatalf("set password: %v %v", resp, err)
		}
		if st, _ := post(t, s.URL+"/api/v1/auth/password", map[string]string{"phone": "13700001234", "password": "wrong horse"}); st != 401 {
			t.Fatalf("wrong password: %d", st)
		}
		if st, body := post(t, s.URL+"/api/v1/auth/password", map[string]string{"phone": "13700001234", "password": "correct horse"}); st != 200 {
			t.Fatalf("password sign-in: %d %v", st, body)
		}
	})
	t.Run("BadNumber", func(t *testing.T) {
		if st, body := post(t, s.URL+"/api/v1/auth/code", map[string]string{"phone": "12345"}); st != 400 || body["error"] != "Not a valid phone number." {
			t.Fatalf("bad number: %d %v", st, body)
		}
	})
}

func mustAtoi(s string) int {
	n := 0
	fmt.Sscan(s, &n)
	return n
}
