package main_test

import (
	"context"
	"encoding/base64"
	"io"
	"mime"
	"net/http"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/beifen/beifen"
	main "github.com/beifen/beifen/cmd/beifen"
	beifenhttp "github.com/beifen/beifen/http"
	"github.com/beifen/beifen/smtp/smtptest"
)

// received is a message as the mail server got it, decoded.
type received struct {
	To      string
	Header  mail.Header
	Subject string
	Body    string
}

// mailbox returns what the server received for addr, decoded, oldest first.
func mailbox(tb testing.TB, srv *smtptest.Server, addr string) []*received {
	tb.Helper()
	var out []*received
	for _, m := range srv.Messages() {
		if len(m.To) != 1 || m.To[0] != addr {
			continue
		}
		if !m.TLS || m.From != "noreply@beifen.example" {
			tb.Fatalf("message to %s: from %q, TLS %v", addr, m.From, m.TLS)
		}
		msg := m.Parse(tb)
		subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		if err != nil {
			tb.Fatalf("subject %q: %v", msg.Header.Get("Subject"), err)
		}
		body, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, msg.Body))
		if err != nil {
			tb.Fatalf("body: %v", err)
		}
		out = append(out, &received{To: addr, Header: msg.Header, Subject: subject, Body: string(body)})
	}
	return out
}

var mailCodeRE = regexp.MustCompile(`\b\d{6}\b`)

// mustRunMailServer starts beifen with a real SMTP server (STARTTLS and AUTH) as its mail
// server, and an SMS recorder.
func mustRunMailServer(t *testing.T) (*Server, *smtptest.Server, *smsRecorder) {
	srv := smtptest.NewServer(t, false)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, srv.CertPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	s := MustRunMainConfig(t, "", func(c *main.Config) {
		c.Operators = []string{"13600136000"}
		c.SMTPURL, c.SMTPFrom, c.SMTPCAFile, c.SMTPProvider = srv.URL(), "手机备份 <noreply@beifen.example>", ca, "某某邮件推送"
	})
	texts := &smsRecorder{}
	s.Auth.SMS, s.Support.SMS = texts, texts
	return s, srv, texts
}

// TestPolicy_1_1_3_EmailChannelWithUnsubscribe: an account's e-mail address is used only once
// the code e-mailed to it is confirmed; service notices then reach every channel a user has (in
// the app, by text, by e-mail); marketing e-mail goes only to consenting users, as well-formed
// UTF-8 mail with an unsubscribe link and RFC 8058 one-click headers; the link withdraws the
// consent without signing in, recorded in the ledger as by e-mail, and the next marketing send
// skips the user. Every message handed to the mail server is logged as a transfer to a
// registered third party, and neither the database nor the log holds an address in clear.
func TestPolicy_1_1_3_EmailChannelWithUnsubscribe(t *testing.T) {
	s, srv, texts := mustRunMailServer(t)
	op := s.mustUIUser(t, "13600136000")
	keen, quiet, pending := s.mustUIUser(t, "13800138121"), s.mustUIUser(t, "13800138122"), s.mustUIUser(t, "13800138123")
	keen.setConsent("marketing", true)

	// keen by the API: the code comes by e-mail; a wrong one is refused.
	var st beifen.EmailStatus
	keen.mustAPI(http.StatusAccepted, "PUT", "/api/v1/me/email", `{"email":"keen@example.com"}`, &st)
	inbox := mailbox(t, srv, "keen@example.com")
	if st.Pending != "keen@example.com" || st.Address != "" || len(inbox) != 1 || !strings.Contains(inbox[0].Subject, "验证码") {
		t.Fatalf("set e-mail: %+v, %d messages", st, len(inbox))
	}
	code := mailCodeRE.FindString(inbox[0].Body)
	wrong := map[bool]string{true: "111111", false: "000000"}[code == "000000"]
	if c, _ := keen.api("POST", "/api/v1/me/email/confirm", `{"code":"`+wrong+`"}`); c != http.StatusUnauthorized {
		t.Fatalf("a wrong code: %d", c)
	}
	keen.mustAPI(http.StatusOK, "POST", "/api/v1/me/email/confirm", `{"code":"`+code+`"}`, &st)
	var me beifen.User
	keen.mustAPI(http.StatusOK, "GET", "/api/v1/me", "", &me)
	if st.Address != "keen@example.com" || me.Email != "keen@example.com" || me.EmailPending != "" {
		t.Fatalf("confirmed: %+v, me %q %q", st, me.Email, me.EmailPending)
	}
	// quiet by the privacy centre's form; pending never confirms.
	if resp := quiet.post("/privacy/email", url.Values{"email": {"Quiet@Example.COM"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("privacy centre: set e-mail: %d %s", resp.StatusCode, body(resp))
	}
	if page := body(quiet.get("/privacy")); !strings.Contains(page, `id="email-pending"`) || !strings.Contains(page, "Quiet@example.com") {
		t.Fatal("the privacy centre does not show the address waiting for its code")
	}
	qcode := mailCodeRE.FindString(mailbox(t, srv, "Quiet@example.com")[0].Body)
	if resp := quiet.post("/privacy/email/confirm", url.Values{"code": {qcode}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("privacy centre: confirm: %d %s", resp.StatusCode, body(resp))
	}
	pending.mustAPI(http.StatusAccepted, "PUT", "/api/v1/me/email", `{"email":"pending@example.com"}`, nil)

	send := func(kind, title, text, want string) {
		t.Helper()
		resp := op.post("/ops/notices", url.Values{"kind": {kind}, "title": {title}, "body": {text}})
		if page := body(resp); resp.StatusCode != 200 || !strings.Contains(page, want) {
			t.Fatalf("send %s: %d, want %q: %.300s", kind, resp.StatusCode, want, page)
		}
	}
	send("marketing", "会员活动", "新用户送 10G 空间", "已发送给 1 个账户")
	inbox = mailbox(t, srv, "keen@example.com")
	if len(inbox) != 2 || len(mailbox(t, srv, "Quiet@example.com")) != 1 {
		t.Fatalf("marketing e-mail reached the wrong people: keen %d", len(inbox))
	}
	link := checkMarketingMail(t, s, inbox[1])

	// A service notice reaches every channel: the centre, a text to all 4, e-mail to the 2
	// verified addresses; the unverified address gets nothing but its code.
	send("service", "维护通知", "今晚 23:00 至 23:30 维护", "已发送给 4 个账户")
	if n := len(texts.texts()); n != 5 {
		t.Fatalf("%d texts, want 1 marketing + 4 service", n)
	}
	for addr, want := range map[string]int{"keen@example.com": 3, "Quiet@example.com": 2, "pending@example.com": 1} {
		box := mailbox(t, srv, addr)
		if len(box) != want {
			t.Fatalf("%s got %d messages, want %d", addr, len(box), want)
		}
		if last := box[len(box)-1]; addr != "pending@example.com" && (last.Subject != "【手机备份】维护通知" ||
			!strings.Contains(last.Body, "今晚 23:00 至 23:30 维护") || last.Header.Get("List-Unsubscribe") != "") {
			t.Fatalf("service mail to %s: %q %q", addr, last.Subject, last.Body)
		}
	}
	if page := body(pending.get("/privacy")); !strings.Contains(page, "维护通知") {
		t.Fatal("the in-app centre lacks the service notice")
	}

	checkUnsubscribe(t, s, keen, link)
	send("marketing", "双十二", "扩容五折", "已发送给 0 个账户")
	if n := len(mailbox(t, srv, "keen@example.com")); n != 3 {
		t.Fatalf("marketing mail after the unsubscribe: %d messages", n)
	}

	// Removing the address ends e-mail to it.
	quiet.mustAPI(http.StatusNoContent, "DELETE", "/api/v1/me/email", "", nil)
	send("service", "恢复通知", "维护已完成", "已发送给 4 个账户")
	if len(mailbox(t, srv, "Quiet@example.com")) != 2 || len(mailbox(t, srv, "keen@example.com")) != 4 {
		t.Fatal("a removed address still gets mail, or a verified one does not")
	}
	checkEmailTransfers(t, s, keen)

	// A security incident reaches a verified address too, and the regulator's report says so.
	inc := &beifen.Incident{Title: "备份磁盘遗失", Body: "磁盘上的数据已加密。", Scope: "all", Severity: "general", DetectedAt: time.Now().Add(-time.Hour)}
	if err := s.Support.RecordIncident(t.Context(), inc); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Support.NotifyIncident(t.Context(), inc.ID); err != nil {
		t.Fatal(err)
	}
	inbox = mailbox(t, srv, "keen@example.com")
	if last := inbox[len(inbox)-1]; !strings.Contains(last.Subject, "安全事件通知：备份磁盘遗失") {
		t.Fatalf("incident e-mail %q", last.Subject)
	}
	rep, err := s.Support.ReportIncident(t.Context(), inc.ID)
	if err != nil || !slices.Contains(rep.Channels, "email") {
		t.Fatalf("report channels %v, %v", rep, err)
	}
}

// checkMarketingMail checks a marketing e-mail's headers and returns its unsubscribe link.
func checkMarketingMail(t *testing.T, s *Server, m *received) string {
	t.Helper()
	from, err := m.Header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "手机备份" || from[0].Address != "noreply@beifen.example" {
		t.Errorf("From=%q", m.Header.Get("From"))
	}
	if _, err := m.Header.Date(); err != nil || !strings.HasSuffix(m.Header.Get("Message-ID"), "@beifen.example>") {
		t.Errorf("Date=%q Message-ID=%q", m.Header.Get("Date"), m.Header.Get("Message-ID"))
	}
	ct, params, _ := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if ct != "text/plain" || !strings.EqualFold(params["charset"], "utf-8") || m.Header.Get("MIME-Version") != "1.0" {
		t.Errorf("Content-Type=%q", m.Header.Get("Content-Type"))
	}
	lu := m.Header.Get("List-Unsubscribe")
	link := strings.TrimSuffix(strings.TrimPrefix(lu, "<"), ">")
	if m.Subject != "【手机备份】会员活动" || !strings.Contains(m.Body, "新用户送 10G 空间") || !strings.HasPrefix(link, s.URL+"/unsubscribe/") ||
		!strings.Contains(m.Body, link) || m.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Fatalf("marketing mail: subject %q, body %q, List-Unsubscribe %q, -Post %q", m.Subject, m.Body, lu, m.Header.Get("List-Unsubscribe-Post"))
	}
	return link
}

// checkUnsubscribe: opening the link changes nothing; a forged token is not found; the
// one-click POST, with no sign-in and from a webmail's origin, withdraws the consent once.
func checkUnsubscribe(t *testing.T, s *Server, keen *uiClient, link string) {
	t.Helper()
	anon := &uiClient{tb: t, base: s.URL, lang: "zh-CN"}
	path := strings.TrimPrefix(link, s.URL)
	if resp := anon.get(path); resp.StatusCode != 200 || !strings.Contains(body(resp), "确认退订") {
		t.Fatalf("GET the link: %d", resp.StatusCode)
	}
	ledger := func() []*beifen.Consent {
		var out beifenhttp.ConsentsResponse
		keen.mustAPI(200, "GET", "/api/v1/me/consents", "", &out)
		return out.Ledger
	}
	if l := ledger(); !l[len(l)-1].Granted {
		t.Fatal("opening the link withdrew the consent")
	}
	oneClick := func(path string) int {
		req, _ := http.NewRequest("POST", s.URL+path, strings.NewReader("List-Unsubscribe=One-Click"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://webmail.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	forged := path[:len(path)-3] + map[bool]string{true: "AAA", false: "BBB"}[!strings.HasSuffix(path, "AAA")]
	if st := oneClick(forged); st != http.StatusNotFound {
		t.Fatalf("a forged token: %d", st)
	}
	if st := oneClick(path); st != 200 {
		t.Fatalf("one-click unsubscribe: %d", st)
	}
	l := ledger()
	if last := l[len(l)-1]; last.Purpose != beifen.PurposeMarketing || last.Granted || last.Channel != beifen.ConsentByEmail {
		t.Fatalf("the withdrawal is not in the ledger as by e-mail: %+v", last)
	}
	if st := oneClick(path); st != 200 || len(ledger()) != len(l) {
		t.Fatalf("a second use: %d, ledger %d -> %d", st, len(l), len(ledger()))
	}
	if page := body(keen.get("/privacy")); !strings.Contains(page, "经邮件退订链接") {
		t.Error("the privacy centre's ledger does not say the withdrawal came by e-mail")
	}
}

// checkEmailTransfers: the mail server is a registered third party, each message to keen is a
// transfer the user sees, and no address is stored or logged in clear.
func checkEmailTransfers(t *testing.T, s *Server, keen *uiClient) {
	t.Helper()
	list, err := s.Store.Transfers.FindTransfers(context.Background(), s.Auth.EmailHash("keen@example.com"), 50)
	if err != nil || len(list) != 4 || list[0].Party != "email" {
		t.Fatalf("transfers of keen's address: %d, %v", len(list), err)
	}
	if page := body(keen.get("/privacy")); !strings.Contains(page, "某某邮件推送") {
		t.Error("the user's transfers do not name the mail server")
	}
	if page := body((&uiClient{tb: t, base: s.URL, lang: "zh-CN"}).get("/privacy/third-parties")); !strings.Contains(page, "某某邮件推送") ||
		!strings.Contains(page, "电子邮箱地址") {
		t.Error("the third-party list lacks the mail server")
	}
	for _, addr := range []string{"keen@example.com", "Quiet@example.com", "quiet@example.com", "pending@example.com"} {
		if strings.Contains(s.Log.String(), addr) {
			t.Errorf("the log holds %s", addr)
		}
	}
	for _, addr := range []string{"keen@example.com", "example.com"} {
		mustNotStorePlain(t, s, addr)
	}
	scanned := false // the scan sees the database: the consent ledger's purposes are plain text
	for _, b := range dataFiles(t, s.Config.DataDir) {
		scanned = scanned || strings.Contains(string(b), "marketing")
	}
	if !scanned {
		t.Error("the scan of the data folder found no database")
	}
}

// TestEmail_NoMailServer: without BEIFEN_SMTP_URL there is no e-mail channel, and nothing else
// changes.
func TestEmail_NoMailServer(t *testing.T) {
	s := MustRunMain(t, "")
	u := s.mustUIUser(t, "13800138124")
	if c, _ := u.api("PUT", "/api/v1/me/email", `{"email":"a@example.com"}`); c != http.StatusNotFound {
		t.Fatalf("PUT /api/v1/me/email without a mail server: %d", c)
	}
	if page := body(u.get("/privacy")); strings.Contains(page, `id="email"`) || !strings.Contains(page, `id="consents"`) {
		t.Fatal("the privacy centre offers e-mail without a mail server")
	}
}

// TestEmail_Address: addresses out of shape are refused, a second code within the minute waits,
// and a code goes only with the address it was sent to.
func TestEmail_Address(t *testing.T) {
	s, srv, _ := mustRunMailServer(t)
	u := s.mustUIUser(t, "13800138125")
	for _, bad := range []string{"not-an-address", "张三 <z@example.com>", "a@example.com\r\nBcc: b@example.com"} {
		if c, _ := u.api("PUT", "/api/v1/me/email", `{"email":`+jsonString(bad)+`}`); c != http.StatusBadRequest {
			t.Errorf("PUT %q: %d", bad, c)
		}
	}
	u.mustAPI(http.StatusAccepted, "PUT", "/api/v1/me/email", `{"email":"first@example.com"}`, nil)
	if c, _ := u.api("PUT", "/api/v1/me/email", `{"email":"second@example.com"}`); c != http.StatusTooManyRequests {
		t.Fatalf("a second code within the minute: %d", c)
	}
	if len(mailbox(t, srv, "second@example.com")) != 0 {
		t.Fatal("an address got a code while the limit held")
	}
	if c, _ := u.api("POST", "/api/v1/me/email/confirm", `{"code":"12345"}`); c != http.StatusUnauthorized {
		t.Fatalf("a wrong code: %d", c)
	}
	if resp := u.post("/privacy/email/remove", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", resp.StatusCode)
	}
	if c, _ := u.api("POST", "/api/v1/me/email/confirm", `{"code":"123456"}`); c != http.StatusBadRequest {
		t.Fatalf("confirm with nothing pending: %d", c)
	}
}

func jsonString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r", `\r`, "\n", `\n`).Replace(s) + `"`
}
