package main_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

// uiClient is a browser stand-in for page tests without a browser: it sends the user's token and
// a language, and does not follow redirects.
type uiClient struct {
	tb    testing.TB
	base  string
	token string
	lang  string
}

func (s *Server) mustUIUser(tb testing.TB, phone string) *uiClient {
	tb.Helper()
	tok := s.MustCreateUser(tb, phone, "")
	c := &uiClient{tb: tb, base: s.URL, token: tok, lang: "zh-CN,zh;q=0.9"}
	if resp := c.post("/welcome", url.Values{"version": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		tb.Fatalf("accept policy: %d %s", resp.StatusCode, body(resp))
	}
	return c
}

func (c *uiClient) do(req *http.Request) *http.Response {
	c.tb.Helper()
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	req.Header.Set("Accept-Language", c.lang)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		c.tb.Fatal(err)
	}
	c.tb.Cleanup(func() { resp.Body.Close() })
	return resp
}

func (c *uiClient) get(path string) *http.Response {
	req, _ := http.NewRequest("GET", c.base+path, nil)
	return c.do(req)
}

func (c *uiClient) post(path string, form url.Values) *http.Response {
	req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// upload sends files as the page's script does and returns the response.
func (c *uiClient) upload(files map[string]string) *http.Response {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		for name, content := range files {
			fw, _ := mw.CreateFormFile("file", name)
			io.WriteString(fw, content)
		}
		pw.CloseWithError(mw.Close())
	}()
	req, _ := http.NewRequest("POST", c.base+"/app/upload", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "application/json")
	return c.do(req)
}

func body(resp *http.Response) string {
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// TestUI_PagesNeedSignInAndSpeakTheBrowsersLanguage: pages send a visitor to the sign-in page,
// the policy is public, every page carries a CSP that allows no other host, and the language
// follows the browser until the switch sets it.
func TestUI_PagesNeedSignInAndSpeakTheBrowsersLanguage(t *testing.T) {
	s := MustRunMain(t, "")
	anon := &uiClient{tb: t, base: s.URL, lang: "en-US,en;q=0.9"}
	for _, p := range []string{"/", "/app", "/privacy", "/staff", "/app/s/1/messages"} {
		if resp := anon.get(p); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/signin") {
			t.Errorf("GET %s signed out: %d -> %q, want a redirect to /signin", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	resp := anon.get("/policy")
	page := body(resp)
	if resp.StatusCode != 200 || !strings.Contains(page, "Phone Backup privacy policy") || !strings.Contains(page, `lang="en"`) {
		t.Fatalf("policy page in English: %d %.200s", resp.StatusCode, page)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "http") {
		t.Errorf("CSP %q", csp)
	}
	anon.lang = "zh-CN"
	if page := body(anon.get("/signin")); !strings.Contains(page, "获取验证码") {
		t.Errorf("sign-in page for a Chinese browser is not in Chinese")
	}
	// The switch remembers the choice in a cookie and returns to the page.
	resp = anon.get("/lang?to=en&back=%2Fpolicy")
	if loc := resp.Header.Get("Location"); loc != "/policy" || !strings.Contains(resp.Header.Get("Set-Cookie"), "beifen_lang=en") {
		t.Errorf("language switch: %q %q", loc, resp.Header.Get("Set-Cookie"))
	}
	if loc := anon.get("/lang?to=en&back=%2F%2Fevil.example").Header.Get("Location"); loc != "/app" {
		t.Errorf("the switch redirected off the site: %q", loc)
	}
	// A new user must read the policy first: every page leads to the welcome page.
	tok := s.MustCreateUser(t, "13800138009", "")
	fresh := &uiClient{tb: t, base: s.URL, token: tok, lang: "zh-CN"}
	if loc := fresh.get("/app").Header.Get("Location"); loc != "/welcome" {
		t.Errorf("a user who has not accepted the policy went to %q, want /welcome", loc)
	}
	page = body(fresh.get("/welcome"))
	if strings.Contains(page, "checked") || !strings.Contains(page, `value="marketing"`) {
		t.Errorf("welcome page: optional purposes must be offered and not pre-ticked")
	}
}

// TestUI_UploadAndBrowse: an upload becomes a backup point; a bad file gets a precise error and
// leaves nothing behind; a conversation of 120 messages pages 50 at a time from the newest; and
// another user's snapshot, file or conversation reads as not found.
func TestUI_UploadAndBrowse(t *testing.T) {
	s := MustRunMain(t, "")
	alice := s.mustUIUser(t, "13800138010")

	resp := alice.upload(map[string]string{"sms.xml": "<?xml version='1.0'?><smses count=\"1\"><sms address=\"1\" date=\"x\" body=\"&undefined;\"</smses>"})
	if page := body(resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `"Nothing could be read from the export: sms.xml:1: sms: unterminated tag."`) {
		t.Fatalf("bad export: %d %s", resp.StatusCode, page)
	}
	if page := body(alice.get("/app")); strings.Contains(page, `href="/app/s/`) {
		t.Fatal("a failed upload left a backup point")
	}

	var b strings.Builder
	b.WriteString(`<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><smses count="121">`)
	for i := 0; i < 120; i++ {
		fmt.Fprintf(&b, `<sms protocol="0" address="+86 139 0000 0001" date="%d" type="%d" body="第%d条" read="1" status="-1" locked="0" />`, 1700000000000+int64(i)*1000, 1+i%2, i)
	}
	b.WriteString(`<sms protocol="0" address="10086" date="1600000000000" type="1" body="余额提醒" read="1" status="-1" locked="0" /></smses>`)
	resp = alice.upload(map[string]string{"sms-20261129.xml": b.String()})
	if page := body(resp); resp.StatusCode != http.StatusCreated || !strings.Contains(page, `"url":"/app/s/`) {
		t.Fatalf("upload: %d %s", resp.StatusCode, page)
	}
	list := body(alice.get("/app/s/1/messages"))
	if strings.Index(list, "13900000001") > strings.Index(list, "10086") || !strings.Contains(list, "120 条信息") {
		t.Fatalf("conversations, newest first, with counts: %s", list)
	}
	first := body(alice.get("/app/s/1/messages/" + url.PathEscape("+8613900000001")))
	if !strings.Contains(first, "第119条") || !strings.Contains(first, "第70条") || strings.Contains(first, "第69条") || !strings.Contains(first, "?offset=50") {
		t.Fatalf("first page is not the newest 50 with a link to older ones")
	}
	older := body(alice.get("/app/s/1/messages/13900000001?offset=100"))
	if !strings.Contains(older, "第0条") || !strings.Contains(older, "第19条") || strings.Contains(older, "第20条") {
		t.Fatalf("the last page, by another spelling of the number, is not the oldest 20")
	}

	// Adding a contacts file keeps the messages: the web upload adds to the newest snapshot.
	resp = alice.upload(map[string]string{"contacts.vcf": "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8:张;三;;;\r\nTEL;CELL:13900000001\r\nEND:VCARD\r\n"})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("second upload: %d %s", resp.StatusCode, body(resp))
	}
	if page := body(alice.get("/app/s/2/messages")); !strings.Contains(page, "张 三") || !strings.Contains(page, "120 条信息") {
		t.Fatalf("snapshot 2 lost the messages or the name: %s", page)
	}
	if page := body(alice.get("/app/s/2/contacts?q=0001")); !strings.Contains(page, "tel:13900000001") {
		t.Fatalf("contact search by digits failed")
	}

	// The index is kept beside the backup: after a restart the first page reads it, not every
	// message again.
	if !strings.Contains(s.Log.String(), "conversation index built") {
		t.Fatal("the commit did not index the conversations")
	}
	s.Close()
	s = MustRunMain(t, s.Config.DataDir)
	alice.base = s.URL
	if page := body(alice.get("/app/s/1/messages/13900000001")); !strings.Contains(page, "第119条") {
		t.Fatal("after a restart the conversation is gone")
	}
	if strings.Contains(s.Log.String(), "conversation index") {
		t.Fatalf("after a restart the index was rebuilt or unreadable: %s", s.Log.String())
	}

	bob := s.mustUIUser(t, "13800138011")
	for _, p := range []string{"/app/s/1", "/app/s/1/messages", "/app/s/1/messages/10086", "/app/s/2/contacts", "/app/s/1/restore.zip"} {
		resp := bob.get(p)
		if page := body(resp); resp.StatusCode != http.StatusNotFound || strings.Contains(page, "余额提醒") || !strings.Contains(page, "找不到") {
			t.Errorf("bob GET %s: %d, want the not-found page", p, resp.StatusCode)
		}
	}
}

// TestUI_ConsentsAPI: the consent ledger over the REST API: nothing granted at first, a grant and
// a withdrawal both kept, the service purpose not withdrawable, an unknown purpose refused.
func TestUI_ConsentsAPI(t *testing.T) {
	s := MustRunMain(t, "")
	tok := s.MustCreateUser(t, "13800138012", "")
	ctx := beifen.NewContextWithUser(context.Background(), mustUser(t, s, "+8613800138012"))
	states, ledger, err := s.Privacy.Consents(ctx)
	if err != nil || len(ledger) != 0 || states[0].Purpose != beifen.PurposeService || !states[0].Granted || states[1].Granted {
		t.Fatalf("fresh consents %+v %v %v", states, ledger, err)
	}
	put := func(purpose string, granted bool) (int, string) {
		req, _ := http.NewRequest("PUT", s.URL+"/api/v1/me/consents/"+purpose, strings.NewReader(fmt.Sprintf(`{"granted":%v}`, granted)))
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		return resp.StatusCode, body(resp)
	}
	if code, page := put("marketing", true); code != 200 || !strings.Contains(page, `{"purpose":"marketing","required":false,"basis":"consent","granted":true}`) {
		t.Fatalf("grant: %d %s", code, page)
	}
	if code, page := put("marketing", false); code != 200 || strings.Count(page, `"policy_version":"1"`) != 2 {
		t.Fatalf("withdraw: %d %s", code, page)
	}
	if code, page := put("service", false); code != 400 || !strings.Contains(page, "delete the account") {
		t.Fatalf("withdraw service: %d %s", code, page)
	}
	if code, _ := put("dating", true); code != 400 {
		t.Fatalf("unknown purpose: %d", code)
	}
	if states, _, err := s.Privacy.Consents(ctx); err != nil || states[1].Purpose != beifen.PurposeMarketing || states[1].Granted {
		t.Fatalf("marketing in force after withdrawal: %+v %v", states, err)
	}
}

func mustUser(tb testing.TB, s *Server, e164 string) *beifen.User {
	tb.Helper()
	u, err := s.Store.Users.FindUserByPhoneHash(context.Background(), s.Auth.PhoneHash(e164))
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// TestUI_UploadReportsServerProgress: while the server reads a large upload, the page can ask how
// far it has got (under an ID of its own), and only its own user can ask.
func TestUI_UploadReportsServerProgress(t *testing.T) {
	s := MustRunMain(t, "")
	alice, bob := s.mustUIUser(t, "13800138120"), s.mustUIUser(t, "13800138121")
	var x strings.Builder
	x.WriteString(`<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><smses count="60000">`)
	for i := 0; i < 60000; i++ {
		fmt.Fprintf(&x, `<sms protocol="0" address="+86139%08d" date="%d" type="1" body="第%d条，进度测试" read="1" status="-1" locked="0" />`, i%500, 1700000000000+int64(i)*1000, i)
	}
	x.WriteString(`</smses>`)
	content := x.String()

	var b strings.Builder
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("file", "sms.xml")
	io.WriteString(fw, content)
	mw.Close()
	req, _ := http.NewRequest("POST", s.URL+"/app/upload", strings.NewReader(b.String()))
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-Upload-ID", "up-1")
	req.Header.Set("Authorization", "Bearer "+alice.token)
	done := make(chan int, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- 0
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	poll := func(c *uiClient) UploadProgress {
		resp := c.get("/app/upload/progress?id=up-1")
		var p UploadProgress
		json.NewDecoder(resp.Body).Decode(&p)
		return p
	}
	seen, other := 0, false
	for st := 0; st == 0; {
		select {
		case st = <-done:
			if st != http.StatusCreated {
				t.Fatalf("upload: %d", st)
			}
		default:
			if p := poll(alice); p.Known && p.Percent > 0 && p.Percent <= 100 {
				seen++
			}
			if p := poll(bob); p.Known {
				other = true
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	if seen == 0 {
		t.Fatal("the server never reported how far it had read")
	}
	if other {
		t.Fatal("another user saw the upload's progress")
	}
	if p := poll(alice); p.Known {
		t.Fatal("a finished upload still reports progress")
	}
}

// UploadProgress is the progress answer.
type UploadProgress struct {
	Percent int
	Known   bool
}

// TestPolicy_6_3_DataExportHoldsEveryRecord: "download my data" is one zip that ordinary tools
// open, holding the account, its consents, the newest backup whole and every earlier backup's
// records, so that a contact since replaced is still in it; each file's content is in it once.
func TestPolicy_6_3_DataExportHoldsEveryRecord(t *testing.T) {
	s := MustRunMain(t, "")
	u := s.mustUIUser(t, "13800138311")
	photo := string(cameraJPEG(t, 64, 48))
	if resp := u.upload(map[string]string{
		"contacts.vcf": "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:旧联系人甲\r\nTEL:+8613900000001\r\nEND:VCARD\r\n",
		"sms.xml":      `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><smses count="1"><sms protocol="0" address="10086" date="1700000000000" type="1" body="老短信" read="1" status="-1" locked="0" /></smses>`,
		"IMG_1.jpg":    photo,
	}); resp.StatusCode != http.StatusCreated {
		t.Fatalf("first upload: %d", resp.StatusCode)
	}
	if resp := u.upload(map[string]string{"contacts.vcf": "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:新联系人乙\r\nEND:VCARD\r\n"}); resp.StatusCode != http.StatusCreated {
		t.Fatalf("second upload: %d", resp.StatusCode)
	}
	resp := u.get("/privacy/export.zip")
	raw := body(resp)
	path := filepath.Join(t.TempDir(), "my-data.zip")
	os.WriteFile(path, []byte(raw), 0o600)
	files := readZip(t, path)
	var history []string
	for name := range files {
		if strings.HasPrefix(name, "history/") {
			history = append(history, name)
		}
	}
	old := ""
	for _, name := range history {
		if strings.HasSuffix(name, "/contacts.vcf") {
			old = files[name]
		}
	}
	switch {
	case !strings.Contains(files["backup/contacts.vcf"], "新联系人乙"):
		t.Fatal("the newest contacts are missing")
	case !strings.Contains(old, "旧联系人甲"):
		t.Fatalf("the replaced contact is not in the history: %v", history)
	case !strings.Contains(files["backup/sms.xml"], "老短信") || files["backup/files/DCIM/Camera/IMG_1.jpg"] != photo:
		t.Fatal("the messages or the photo are missing")
	case !strings.Contains(files["consents.json"], `"purpose": "service"`) || !strings.Contains(files["account.json"], "+8613800138311"):
		t.Fatal("the account or the consents are missing")
	}
	for name, content := range files {
		if name != "backup/files/DCIM/Camera/IMG_1.jpg" && content == photo {
			t.Fatalf("the photo is in the archive twice (%s)", name)
		}
	}
	if unzip, err := exec.LookPath("unzip"); err == nil {
		if out, err := exec.Command(unzip, "-t", path).CombinedOutput(); err != nil {
			t.Fatalf("unzip -t: %v %s", err, out)
		}
	}
}
