package main_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	main "github.com/beifen/beifen/cmd/beifen"
)

// TestPolicy_1_1_3_NotificationsAndMarketingOptOut: service notices reach every user, in the
// app and by text; marketing reaches only users who consented, every text ending with its
// opt-out line; a TD reply through the SMS gateway's webhook withdraws the consent before the
// next send; the webhook takes only the gateway's token.
func TestPolicy_1_1_3_NotificationsAndMarketingOptOut(t *testing.T) {
	s := MustRunMainConfig(t, "", func(c *main.Config) {
		c.Operators = []string{"13600136000"}
		c.SMSWebhookToken = "gateway-secret"
	})
	texts := &smsRecorder{}
	s.Auth.SMS, s.Support.SMS = texts, texts
	keen, quiet := s.mustUIUser(t, "13800138111"), s.mustUIUser(t, "13800138112")
	keen.setConsent("marketing", true)
	op := s.mustUIUser(t, "13600136000")
	send := func(kind, title, text string) string {
		t.Helper()
		resp := op.post("/ops/notices", url.Values{"kind": {kind}, "title": {title}, "body": {text}})
		page := body(resp)
		if resp.StatusCode != 200 {
			t.Fatalf("send %s: %d %.300s", kind, resp.StatusCode, page)
		}
		return page
	}
	if page := send("marketing", "会员活动", "新用户送 10G 空间"); !strings.Contains(page, "已发送给 1 个账户") {
		t.Fatal("marketing went to more than the consenting user")
	}
	sent := texts.texts()
	if len(sent) != 1 || !strings.HasPrefix(sent[0], "+8613800138111|") || !strings.HasSuffix(sent[0], "回复TD退订") {
		t.Fatalf("marketing texts %q", sent)
	}
	if page := send("service", "维护通知", "今晚 23:00 至 23:30 维护"); !strings.Contains(page, "已发送给 3 个账户") {
		t.Fatal("a service notice did not reach everyone")
	}
	if n := len(texts.texts()); n != 4 || strings.Contains(texts.texts()[1], "退订") {
		t.Fatalf("service texts %q", texts.texts()[1:])
	}
	if page := body(quiet.get("/privacy")); !strings.Contains(page, "维护通知") || strings.Contains(page, "会员活动") {
		t.Fatal("the quiet user's notification centre is wrong")
	}
	if page := body(keen.get("/privacy")); !strings.Contains(page, "会员活动") {
		t.Fatal("the keen user's centre lacks the marketing message")
	}

	// The gateway passes on a TD reply: no more marketing for that number.
	inbound := func(token, from, text string) int {
		req, _ := http.NewRequest("POST", s.URL+"/api/v1/sms/inbound", strings.NewReader(`{"from":"`+from+`","body":"`+text+`"}`))
		req.Header.Set("X-Beifen-Webhook-Token", token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := inbound("guess", "+8613800138111", "TD"); st != http.StatusUnauthorized {
		t.Fatalf("webhook with a wrong token: %d", st)
	}
	if st := inbound("gateway-secret", "+8613800138111", " td "); st != 200 {
		t.Fatalf("webhook: %d", st)
	}
	if page := send("marketing", "双十二", "扩容五折"); !strings.Contains(page, "已发送给 0 个账户") {
		t.Fatal("marketing reached a user who replied TD")
	}
	if n := len(texts.texts()); n != 4 {
		t.Fatalf("%d texts after the opt-out, want 4", n)
	}
	ledger := keen.setConsent("statistics", false)
	last := ledger.Ledger[len(ledger.Ledger)-1]
	if last.Purpose != "marketing" || last.Granted {
		t.Fatalf("the opt-out is not in the consent ledger: %+v", ledger.Ledger)
	}
}
