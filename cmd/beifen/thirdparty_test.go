package main_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	main "github.com/beifen/beifen/cmd/beifen"
)

// TestPolicy_3_1_1_ThirdPartiesRegisteredAndTransfersLogged: with a real SMS gateway (an HTTP
// server the test runs), the gateway is in the published registry (page and API, no sign-in),
// every message handed to it is logged against it before it goes, and each user sees when their
// number went out; with the console provider the registry is empty, as nothing leaves.
func TestPolicy_3_1_1_ThirdPartiesRegisteredAndTransfersLogged(t *testing.T) {
	var mu sync.Mutex
	var got []map[string]string
	gateway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer gw-token" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		var m map[string]string
		json.NewDecoder(r.Body).Decode(&m)
		mu.Lock()
		got = append(got, m)
		mu.Unlock()
	}))
	defer gateway.Close()
	s := MustRunMainConfig(t, "", func(c *main.Config) {
		c.SMSURL, c.SMSToken, c.SMSProvider = gateway.URL, "gw-token", "某某云短信"
	})
	registry := func(base string) string {
		resp, err := http.Get(base + "/api/v1/third-parties?lang=zh-CN")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if reg := registry(s.URL); !strings.Contains(reg, `"name":"某某云短信"`) || !strings.Contains(reg, "手机号码") {
		t.Fatalf("registry %s", reg)
	}
	anon := &uiClient{tb: t, base: s.URL, lang: "zh-CN"}
	if page := body(anon.get("/privacy/third-parties")); !strings.Contains(page, "某某云短信") || !strings.Contains(page, "发送验证码") {
		t.Fatal("the registry page lacks the gateway")
	}
	// A sign-in code goes through the gateway, logged first.
	post(t, s.URL+"/api/v1/auth/code", map[string]string{"phone": "13800138161"})
	mu.Lock()
	n := len(got)
	first := got[0]
	mu.Unlock()
	if n != 1 || first["to"] != "+8613800138161" || !strings.Contains(first["body"], "验证码") {
		t.Fatalf("gateway got %v", got)
	}
	code := textCode(t, first["body"])
	b, st := apiDo(t, "POST", s.URL+"/api/v1/auth/signin", "", strings.NewReader(`{"phone":"13800138161","code":"`+code+`","kind":"session"}`), nil)
	var signed struct{ Token string }
	json.Unmarshal(b, &signed)
	if st != 200 {
		t.Fatalf("sign in: %d %s", st, b)
	}
	u := &uiClient{tb: t, base: s.URL, token: signed.Token, lang: "zh-CN"}
	u.post("/welcome", nil)
	u.post("/welcome", map[string][]string{"version": {"1"}})
	page := body(u.get("/privacy"))
	i := strings.Index(page, `id="transfers"`)
	if i < 0 || !strings.Contains(page[i:i+600], "某某云短信") {
		t.Fatal("the user does not see their number's transfer to the gateway")
	}
	other := s.mustUIUser(t, "13800138162")
	if j := strings.Index(body(other.get("/privacy")), `id="transfers"`); j < 0 || strings.Contains(body(other.get("/privacy"))[j:j+600], "某某云短信") {
		t.Fatal("another user sees a transfer that was not theirs")
	}

	// The console provider sends nothing out: nothing to register.
	plain := MustRunMain(t, "")
	if reg := registry(plain.URL); reg != "{\"third_parties\":[]}\n" {
		t.Fatalf("console registry %s", reg)
	}
}

// TestProviderURLsNeedTLS: a provider that is handed personal data is reached over https, or on
// this machine; a plain-http address elsewhere, or a payment aggregator without its callback
// secret, stops the server before it opens anything. The settings come from the environment,
// as an operator gives them.
func TestProviderURLsNeedTLS(t *testing.T) {
	for _, tt := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"BEIFEN_SMS_URL": "http://sms.example.com/send"}, "BEIFEN_SMS_URL: personal data would go in clear text to sms.example.com: use https"},
		{map[string]string{"BEIFEN_REALNAME_URL": "http://10.0.0.5/verify"}, "BEIFEN_REALNAME_URL: personal data would go in clear text"},
		{map[string]string{"BEIFEN_PUSH_URL": "ftp://push.example.com"}, "BEIFEN_PUSH_URL: \"ftp://push.example.com\" is not an http(s) URL"},
		{map[string]string{"BEIFEN_PAY_URL": "http://pay.example/api", "BEIFEN_PAY_SECRET": "s"}, "BEIFEN_PAY_URL: personal data would go in clear text"},
		{map[string]string{"BEIFEN_PAY_URL": "https://pay.example/api"}, "BEIFEN_PAY_SECRET"},
		{map[string]string{"BEIFEN_CARRIER_URL": "https://carrier.example.com/token"}, ""},
		{map[string]string{"BEIFEN_SMS_URL": "http://127.0.0.1:9000/send"}, ""},
	} {
		sub := t.TempDir()
		_, err := runCLI(t, tt.env, "check", "--data", sub)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%v: %v", tt.env, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%v: %v, want %q", tt.env, err, tt.want)
		case tt.want != "":
			if entries, _ := os.ReadDir(sub); len(entries) != 0 {
				t.Errorf("%v: the refused start wrote %d entries", tt.env, len(entries))
			}
		}
	}
}
