package main_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var shareURLRE = regexp.MustCompile(`value="(http://[^"]+/s/([A-Za-z0-9_-]{43}))"`)

// TestPolicy_1_6_ShareLinks: the owner shares a contact card and a recording; anyone holding a
// link gets that one item without signing in (the recording with ranges, so it seeks), and
// nothing else; every use is logged for the owner; a revoked link stops at once; another user
// cannot revoke it; a link lasts at most 30 days.
func TestPolicy_1_6_ShareLinks(t *testing.T) {
	s := MustRunMain(t, "")
	u := s.mustUIUser(t, "13800138071")
	resp := u.upload(map[string]string{
		"contacts.vcf":         "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:王小明\r\nTEL:+8613912345678\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:李雷\r\nTEL:+8613912340000\r\nEND:VCARD\r\n",
		"通话录音 13912345678.wav": string(wav(2)),
	})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %d %s", resp.StatusCode, body(resp))
	}
	share := func(path string, form url.Values) (string, string) {
		t.Helper()
		resp := u.post(path, form)
		page := body(resp)
		m := shareURLRE.FindStringSubmatch(page)
		if resp.StatusCode != http.StatusCreated || m == nil {
			t.Fatalf("share %s: %d %.300s", path, resp.StatusCode, page)
		}
		return m[1], m[2]
	}
	// Contacts are listed by name: 李雷 (L) before 王小明 (W) in code-point order.
	_, contactToken := share("/app/s/1/contacts/share", url.Values{"pos": {"1"}})
	anon := &uiClient{tb: t, base: s.URL, lang: "zh-CN"}
	resp = anon.get("/s/" + contactToken)
	card := body(resp)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/vcard") || !strings.Contains(card, "FN:王小明") || strings.Contains(card, "李雷") {
		t.Fatalf("shared card: %d %q %s", resp.StatusCode, resp.Header.Get("Content-Type"), card)
	}

	files := body(u.get("/app/s/1/files"))
	hash := regexp.MustCompile(`/app/file/([0-9a-f]{64})/share`).FindStringSubmatch(files)
	if hash == nil {
		t.Fatal("no share button on the recording")
	}
	link, recToken := share("/app/file/"+hash[1]+"/share", url.Values{"name": {"Recordings/通话录音 13912345678.wav"}, "days": {"1"}})
	if !strings.HasPrefix(link, s.URL+"/s/") {
		t.Fatalf("link %q is not on this server", link)
	}
	req, _ := http.NewRequest("GET", s.URL+"/s/"+recToken, nil)
	req.Header.Set("Range", "bytes=0-3")
	resp = anon.do(req)
	if got := body(resp); resp.StatusCode != http.StatusPartialContent || got != "RIFF" || resp.Header.Get("Content-Type") != "audio/wav" {
		t.Fatalf("shared recording range: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), got)
	}
	if resp := u.post("/app/file/"+hash[1]+"/share", url.Values{"name": {"x.wav"}, "days": {"31"}}); resp.StatusCode != 400 || !strings.Contains(body(resp), "1 to 30 days") {
		t.Fatalf("a 31-day link: %d", resp.StatusCode)
	}

	// The owner sees every use; another user can neither see nor revoke the links.
	page := body(u.get("/privacy"))
	if !strings.Contains(page, "王小明") || !strings.Contains(page, "已打开 1 次") || !strings.Contains(page, "通话录音 13912345678.wav") {
		i := strings.Index(page, `id="shares"`)
		t.Fatalf("privacy centre lacks the links and their use: %.1500s", page[max(i, 0):])
	}
	other := s.mustUIUser(t, "13800138072")
	if strings.Contains(body(other.get("/privacy")), "王小明") {
		t.Fatal("another user sees the links")
	}
	for id := 1; id <= 2; id++ {
		if resp := other.post("/privacy/shares/"+itoa(int64(id))+"/revoke", nil); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("another user revoked link %d: %d", id, resp.StatusCode)
		}
	}
	if resp := u.post("/privacy/shares/1/revoke", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	resp = anon.get("/s/" + contactToken)
	if got := body(resp); resp.StatusCode != http.StatusGone || strings.Contains(got, "王小明") || !strings.Contains(got, "已过期或已被撤销") {
		t.Fatalf("revoked link: %d", resp.StatusCode)
	}
	if resp := anon.get("/s/" + strings.Repeat("A", 43)); resp.StatusCode != http.StatusGone {
		t.Fatalf("a made-up link: %d", resp.StatusCode)
	}
	if !strings.Contains(s.Log.String(), "share used") || strings.Contains(s.Log.String(), contactToken) {
		t.Fatal("the log must record uses by ID, never the token")
	}
}
