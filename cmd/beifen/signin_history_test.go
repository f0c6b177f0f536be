package main_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	main "github.com/beifen/beifen/cmd/beifen"
)

// TestPolicy_1_2_2c_SignInChecks: every sign-in is kept (when, how, the device family, whether
// the network was new); the owner sees the history and their devices and can sign one out; a
// password alone does not open the account from a network it never used (a texted code does);
// wrong passwords lock the number like wrong codes.
func TestPolicy_1_2_2c_SignInChecks(t *testing.T) {
	s := MustRunMainConfig(t, "", func(c *main.Config) { c.TrustProxy = true })
	texts := &smsRecorder{}
	s.Auth.SMS = texts
	var skew time.Duration // codes are a minute apart
	s.Auth.Now = func() time.Time { return time.Now().Add(skew) }
	phone := "13800138091"
	from := func(network string) map[string]string {
		return map[string]string{"X-Forwarded-For": network, "User-Agent": "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"}
	}
	signIn := func(path, body, network string) (int, string) {
		t.Helper()
		b, st := apiDo(t, "POST", s.URL+path, "", strings.NewReader(body), from(network))
		return st, string(b)
	}
	code := func(network string) string {
		t.Helper()
		skew += time.Minute + time.Second
		apiDo(t, "POST", s.URL+"/api/v1/auth/code", "", strings.NewReader(`{"phone":"`+phone+`"}`), from(network))
		list := texts.texts()
		last := list[len(list)-1]
		return textCode(t, last)
	}
	// Sign up at home with a code, set a password.
	st, b := signIn("/api/v1/auth/signin", `{"phone":"`+phone+`","code":"`+code("203.0.113.7")+`"}`, "203.0.113.7")
	if st != 200 {
		t.Fatalf("sign up: %d %s", st, b)
	}
	var resp struct{ Token string }
	json.Unmarshal([]byte(b), &resp)
	if _, st := apiDo(t, "PUT", s.URL+"/api/v1/me/password", resp.Token, strings.NewReader(`{"password":"长城长城长城长城"}`), nil); st != 204 {
		t.Fatalf("set password: %d", st)
	}
	// The password works from the same network (another address in the /24)...
	if st, b := signIn("/api/v1/auth/password", `{"phone":"`+phone+`","password":"长城长城长城长城"}`, "203.0.113.99"); st != 200 {
		t.Fatalf("password at home: %d %s", st, b)
	}
	// ...but not from a network the account never used: that takes a code.
	st, b = signIn("/api/v1/auth/password", `{"phone":"`+phone+`","password":"长城长城长城长城"}`, "198.51.100.20")
	if st != http.StatusForbidden || !strings.Contains(b, "sign in with a code texted to your phone") {
		t.Fatalf("password from a new network: %d %s", st, b)
	}
	if st, b := signIn("/api/v1/auth/signin", `{"phone":"`+phone+`","code":"`+code("198.51.100.20")+`"}`, "198.51.100.20"); st != 200 {
		t.Fatalf("code from the new network: %d %s", st, b)
	}
	if st, b := signIn("/api/v1/auth/password", `{"phone":"`+phone+`","password":"长城长城长城长城"}`, "198.51.100.21"); st != 200 {
		t.Fatalf("password from the network now known: %d %s", st, b)
	}
	// The owner sees the history: four sign-ins, newest first, one from a new network.
	hist, st := apiDo(t, "GET", s.URL+"/api/v1/me/signins", resp.Token, nil, nil)
	var got struct {
		SignIns []struct {
			Method     string
			Device     string
			NewNetwork bool `json:"new_network"`
		} `json:"sign_ins"`
	}
	json.Unmarshal(hist, &got)
	if st != 200 || len(got.SignIns) != 4 || got.SignIns[0].Method != "password" || got.SignIns[1].Method != "code" ||
		!got.SignIns[1].NewNetwork || got.SignIns[0].NewNetwork || got.SignIns[3].Device != "Chrome on Android" {
		t.Fatalf("history %d %s", st, hist)
	}
	if strings.Contains(string(hist), "203.0.113") || strings.Contains(string(hist), "198.51") {
		t.Fatal("the history shows addresses")
	}
	if strings.Contains(s.Log.String(), "203.0.113") {
		t.Fatal("the log holds an address")
	}
	// Devices: each sign-in left a session the owner can end.
	sessions, _ := apiDo(t, "GET", s.URL+"/api/v1/me/sessions", resp.Token, nil, nil)
	if n := strings.Count(string(sessions), `"kind"`); n != 4 {
		t.Fatalf("%d sessions, want 4: %s", n, sessions)
	}
	// Wrong passwords lock the number.
	for i := 0; i < 5; i++ {
		signIn("/api/v1/auth/password", `{"phone":"`+phone+`","password":"wrong-password"}`, "203.0.113.7")
	}
	if st, b := signIn("/api/v1/auth/password", `{"phone":"`+phone+`","password":"长城长城长城长城"}`, "203.0.113.7"); st != http.StatusTooManyRequests {
		t.Fatalf("after five wrong passwords: %d %s", st, b)
	}
}

// TestPolicy_6_4_DeletionNeedsAKnownDevice: besides a fresh texted code, an account can only be
// deleted from a device it has used before: someone who took over the number and signed in on
// their own phone a moment ago is refused, while the owner's phone it signed up on, or any
// device a day after its first sign-in, may. The request is recorded, and cancelled with the
// deletion.
func TestPolicy_6_4_DeletionNeedsAKnownDevice(t *testing.T) {
	s := MustRunMainConfig(t, "", func(c *main.Config) { c.TrustProxy = true })
	texts := &smsRecorder{}
	s.Auth.SMS, s.Support.SMS = texts, texts
	var skew time.Duration
	s.Auth.Now = func() time.Time { return time.Now().Add(skew) }
	phone := "13800138095"
	ownerPhone := map[string]string{"X-Forwarded-For": "203.0.113.7", "User-Agent": "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"}
	stranger := map[string]string{"X-Forwarded-For": "198.51.100.20", "User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1"}
	code := func(from map[string]string) string {
		t.Helper()
		skew += time.Minute + time.Second
		apiDo(t, "POST", s.URL+"/api/v1/auth/code", "", strings.NewReader(`{"phone":"`+phone+`"}`), from)
		list := texts.texts()
		last := list[len(list)-1]
		return textCode(t, last)
	}
	signIn := func(from map[string]string) string {
		t.Helper()
		b, st := apiDo(t, "POST", s.URL+"/api/v1/auth/signin", "", strings.NewReader(`{"phone":"`+phone+`","code":"`+code(from)+`"}`), from)
		var resp struct{ Token string }
		if json.Unmarshal(b, &resp); st != 200 || resp.Token == "" {
			t.Fatalf("sign in: %d %s", st, b)
		}
		return resp.Token
	}
	deleteFrom := func(tok string, from map[string]string) (int, string) {
		t.Helper()
		c := code(from)
		b, st := apiDo(t, "POST", s.URL+"/api/v1/me/deletion", tok, strings.NewReader(`{"code":"`+c+`"}`), from)
		return st, string(b)
	}
	owner := signIn(ownerPhone) // signs up on their phone
	for _, tok := range []string{owner} {
		if _, st := apiDo(t, "POST", s.URL+"/api/v1/me/policy", tok, strings.NewReader(`{"version":"1"}`), ownerPhone); st >= 300 {
			t.Fatalf("accept policy: %d", st)
		}
	}
	thief := signIn(stranger) // the number taken over, on another phone
	if st, b := deleteFrom(thief, stranger); st != http.StatusForbidden || !strings.Contains(b, "a phone or computer you have used with this account before") {
		t.Fatalf("deletion from a device new to the account: %d %s", st, b)
	}
	if st, b := deleteFrom(owner, ownerPhone); st != http.StatusAccepted {
		t.Fatalf("deletion from the phone it signed up on: %d %s", st, b)
	}
	if _, st := apiDo(t, "DELETE", s.URL+"/api/v1/me/deletion", owner, nil, ownerPhone); st >= 300 {
		t.Fatalf("cancel: %d", st)
	}
	var rr struct {
		Requests []struct{ Kind, Status string }
	}
	b, _ := apiDo(t, "GET", s.URL+"/api/v1/me/requests", owner, nil, ownerPhone)
	if json.Unmarshal(b, &rr); len(rr.Requests) != 1 || rr.Requests[0].Kind != "close" || rr.Requests[0].Status != "cancelled" {
		t.Fatalf("requests after a cancelled deletion: %s", b)
	}
	// A day after its sign-in, the other phone is a known device.
	skew += 25 * time.Hour
	if st, b := deleteFrom(thief, stranger); st != http.StatusAccepted {
		t.Fatalf("deletion from a device known for a day: %d %s", st, b)
	}
}
