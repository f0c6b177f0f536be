package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	beifenhttp "github.com/beifen/beifen/http"
)

// TestPolicy_6_6_PolicyViewableAtSignUpAndInSettings: the policy in effect is served without
// signing in (at sign-up) in Chinese and English, and in settings with what the user accepted.
func TestPolicy_6_6_PolicyViewableAtSignUpAndInSettings(t *testing.T) {
	s := MustRunMain(t, "")
	for _, lang := range []string{"zh-CN", "en"} {
		b, st := apiDo(t, "GET", s.URL+"/api/v1/policies/current?lang="+lang, "", nil, nil)
		var cur beifenhttp.CurrentPolicyResponse
		json.Unmarshal(b, &cur)
		if st != 200 || cur.Current == nil || cur.Current.Lang != lang || cur.Current.Body == "" {
			t.Fatalf("%s policy at sign-up: %d %s", lang, st, b)
		}
	}
	tok := s.MustCreateUser(t, "13800138000", "")
	b, st := apiDo(t, "GET", s.URL+"/api/v1/me/policy", tok, nil, map[string]string{"Accept-Language": "en-US"})
	if st != 200 || !strings.Contains(string(b), `"lang":"en"`) || !strings.Contains(string(b), `"must_accept":false`) {
		t.Fatalf("policy in settings: %d %s", st, b)
	}
}

// TestPolicy_8a_MaterialChangeNeedsAcceptance: a new version is shown ahead of its date (8b); once
// a material version is in effect, nothing but reading and accepting it works until the user
// accepts, and nothing is accepted on their behalf (8a).
func TestPolicy_8a_MaterialChangeNeedsAcceptance(t *testing.T) {
	s := MustRunMain(t, "")
	tok := s.MustCreateUser(t, "13800138000", "")
	text := filepath.Join(t.TempDir(), "v2.md")
	os.WriteFile(text, []byte("# 隐私政策 第二版\n\n新增：通话录音质检。"), 0o600)
	when := time.Now().Add(48 * time.Hour).Format("2006-01-02")
	mustCLI(t, nil, "policy", "publish", "--data", s.Config.DataDir, "--version", "2", "--lang", "zh-CN",
		"--title", "隐私政策", "--file", text, "--effective", when, "--material")
	b, _ := apiDo(t, "GET", s.URL+"/api/v1/me/policy", tok, nil, nil)
	if !strings.Contains(string(b), `"upcoming":{"version":"2"`) || !strings.Contains(string(b), `"must_accept":false`) {
		t.Fatalf("notice ahead of the date: %s", b)
	}
	if st := get(t, s.URL+"/api/v1/snapshots", tok); st != 200 {
		t.Fatalf("before the effective date use goes on: %d", st)
	}
	s.Privacy.Now = func() time.Time { return time.Now().Add(72 * time.Hour) }
	b, st := apiDo(t, "GET", s.URL+"/api/v1/snapshots", tok, nil, nil)
	if st != 403 || !strings.Contains(string(b), "version 2") {
		t.Fatalf("a material version in effect, not accepted: %d %s", st, b)
	}
	if st := get(t, s.URL+"/api/v1/me", tok); st != 200 {
		t.Fatalf("the account page is blocked too: %d", st)
	}
	if _, st := apiDo(t, "POST", s.URL+"/api/v1/me/policy", tok, strings.NewReader(`{"version":"2"}`), nil); st != 204 {
		t.Fatalf("accept: %d", st)
	}
	if st := get(t, s.URL+"/api/v1/snapshots", tok); st != 200 {
		t.Fatalf("after accepting: %d", st)
	}
	// Another account was not accepted for: it is still blocked.
	other := s.MustCreateUser(t, "13900139000", "")
	if st := get(t, s.URL+"/api/v1/snapshots", other); st != 403 {
		t.Fatalf("an account that did not accept: %d", st)
	}
}
