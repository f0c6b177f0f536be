package main_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	main "github.com/beifen/beifen/cmd/beifen"
)

// TestPolicy_3_3_NothingPersonalIsPublic: with an account full of data (a backup, a profile with
// a real name, a complaint), nothing a visitor can reach without signing in shows any of it;
// the API answers only "sign in". The one public statement about an account, a moderation
// announcement, names it by its public nickname and nothing else.
func TestPolicy_3_3_NothingPersonalIsPublic(t *testing.T) {
	s := MustRunMainConfig(t, "", func(c *main.Config) { c.Operators = []string{"13600136000"} })
	_, tok, err := s.Auth.CreateUser(t.Context(), "13800138141", "王秘密")
	if err != nil {
		t.Fatal(err)
	}
	u := &uiClient{tb: t, base: s.URL, token: tok, lang: "zh-CN"}
	u.post("/welcome", url.Values{"version": {"1"}})
	u.post("/privacy/profile", url.Values{"nickname": {"晨跑的猫"}, "region": {"杭州西湖区"}})
	if resp := u.upload(map[string]string{"sms.xml": `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><smses count="1"><sms protocol="0" address="13912340000" date="1700000000000" type="1" body="私密短信内容" read="1" status="-1" locked="0" /></smses>`}); resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %d", resp.StatusCode)
	}
	personal := []string{"13800138141", "8138141", "王秘密", "私密短信内容", "13912340000", "杭州西湖区"}

	op := s.mustUIUser(t, "13600136000")
	uid := mustUser(t, s, "+8613800138141").ID
	if resp := op.post("/ops/announcements", url.Values{"account": {itoa(uid)}, "text": {"发布违规广告，封禁 7 天"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("announce: %d %s", resp.StatusCode, body(resp))
	}
	if resp := u.post("/ops/announcements", url.Values{"account": {itoa(uid)}, "text": {"x"}}); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("a user published an announcement: %d", resp.StatusCode)
	}

	anon := &uiClient{tb: t, base: s.URL, lang: "zh-CN"}
	public := map[string]int{
		"/": http.StatusSeeOther, "/signin": 200, "/policy": 200, "/privacy/complaints": 200,
		"/privacy/third-parties": 200, "/announcements": 200, "/healthz": 200,
		"/api/v1/policies": 200, "/api/v1/policies/current": 200, "/static/app.css": 200,
		"/static/app.js": 200, "/static/manifest.webmanifest": 200, "/sw.js": 200,
		"/app": http.StatusSeeOther, "/privacy": http.StatusSeeOther, "/ops": http.StatusSeeOther,
		"/app/s/1/messages": http.StatusSeeOther, "/s/" + strings.Repeat("x", 43): http.StatusGone,
		"/api/v1/snapshots": http.StatusUnauthorized, "/api/v1/me": http.StatusUnauthorized,
		"/api/v1/me/consents": http.StatusUnauthorized, "/api/v1/leads": http.StatusUnauthorized,
		"/api/v1/snapshots/1/sms.xml": http.StatusUnauthorized, "/api/v1/me/notices": http.StatusUnauthorized,
	}
	for path, want := range public {
		resp := anon.get(path)
		page := body(resp)
		if resp.StatusCode != want {
			t.Errorf("GET %s signed out: %d, want %d", path, resp.StatusCode, want)
		}
		for _, p := range personal {
			if strings.Contains(page, p) {
				t.Errorf("GET %s signed out shows %q", path, p)
			}
		}
		if path == "/announcements" && (!strings.Contains(page, "晨跑的猫") || !strings.Contains(page, "发布违规广告")) {
			t.Errorf("the announcement does not name the account by its nickname")
		}
	}
}
