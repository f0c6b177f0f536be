package main_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/beifen/beifen"
	beifenhttp "github.com/beifen/beifen/http"
)

// smallExport is an SMS Backup & Restore file of one message.
const smallExport = `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><smses count="1"><sms protocol="0" address="10086" date="1700000000000" type="1" body="您好" read="1" status="-1" locked="0" /></smses>`

// setConsent grants or withdraws a purpose over the REST API and returns the ledger.
func (c *uiClient) setConsent(purpose string, granted bool) beifenhttp.ConsentsResponse {
	c.tb.Helper()
	req, _ := http.NewRequest("PUT", c.base+"/api/v1/me/consents/"+purpose, strings.NewReader(fmt.Sprintf(`{"granted":%v}`, granted)))
	resp := c.do(req)
	var out beifenhttp.ConsentsResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
		c.tb.Fatalf("consent %s=%v: %d %v", purpose, granted, resp.StatusCode, err)
	}
	return out
}

var countedRE = regexp.MustCompile(`统计在内 (\d+) 个账户（共 (\d+) 个）`)

// opsCounted reads how many accounts the operator's statistics count, of how many.
func opsCounted(tb testing.TB, op *uiClient) (counted, total int, page string) {
	tb.Helper()
	resp := op.get("/ops")
	page = body(resp)
	m := countedRE.FindStringSubmatch(page)
	if resp.StatusCode != 200 || m == nil {
		tb.Fatalf("operator console: %d %.400s", resp.StatusCode, page)
	}
	counted, _ = strconv.Atoi(m[1])
	total, _ = strconv.Atoi(m[2])
	return counted, total, page
}

// TestPolicy_1_7_OperatorStatistics: the operator console shows new accounts and active ones per
// day, how many new accounts made a first backup, weekly retention and the server's response
// times, counting accounts by ID only: no number or name reaches the page. Anyone else is told
// there is no such page.
func TestPolicy_1_7_OperatorStatistics(t *testing.T) {
	s := MustRunMain(t, "")
	s.Config.Operators = []string{"13600136000"}
	a, b, c := s.mustUIUser(t, "13800138031"), s.mustUIUser(t, "13800138032"), s.mustUIUser(t, "13800138033")
	a.setConsent("statistics", true)
	b.setConsent("statistics", true)
	for _, u := range []*uiClient{a, c} {
		if resp := u.upload(map[string]string{"sms.xml": smallExport}); resp.StatusCode != http.StatusCreated {
			t.Fatalf("upload: %d %s", resp.StatusCode, body(resp))
		}
	}
	if resp := a.get("/ops"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("a user opened the operator console: %d", resp.StatusCode)
	}
	op := s.mustUIUser(t, "13600136000")
	counted, total, page := opsCounted(t, op)
	if counted != 2 || total != 4 {
		t.Fatalf("counted %d of %d, want 2 of 4", counted, total)
	}
	for _, want := range []string{
		"1 / 2 已完成首次备份（50%）",                 // activation among the consenting new accounts
		"每日新增", "每日活跃", `<svg class="chart"`, // per day, drawn on the server
		`id="cohorts"`, "第 0 周 1", // this week's cohort: 2 joined, 1 backed up
		"最近 ", "个请求的响应时间", // performance
	} {
		if !strings.Contains(page, want) {
			t.Errorf("operator console lacks %q", want)
		}
	}
	for _, personal := range []string{"13800138031", "138****8031", "8031", "10086", "您好"} {
		if strings.Contains(page, personal) {
			t.Errorf("the statistics page shows %q", personal)
		}
	}
}

// TestPolicy_1_8_PurposesNeedConsent: every purpose is registered and listed with whether it
// rests on the contract or on consent; the optional ones start off; an unregistered purpose is
// refused; and an account whose owner has not consented to statistics is not processed for them.
func TestPolicy_1_8_PurposesNeedConsent(t *testing.T) {
	s := MustRunMain(t, "")
	s.Config.Operators = []string{"13600136000"}
	u := s.mustUIUser(t, "13800138041")
	req, _ := http.NewRequest("GET", u.base+"/api/v1/me/consents", nil)
	var got beifenhttp.ConsentsResponse
	json.NewDecoder(u.do(req).Body).Decode(&got)
	want := map[string]bool{"service": true, "marketing": false, "statistics": false, "location": false, "realname": false,
		"personalisation": false, "research": false, "camera": false}
	if len(got.Purposes) != len(want) {
		t.Fatalf("purposes %+v", got.Purposes)
	}
	for _, p := range got.Purposes {
		if req, ok := want[string(p.Purpose)]; !ok || p.Required != req || p.Granted != req {
			t.Errorf("purpose %+v: want required=granted=%v", p, req)
		}
	}
	req, _ = http.NewRequest("PUT", u.base+"/api/v1/me/consents/ads", strings.NewReader(`{"granted":true}`))
	if resp := u.do(req); resp.StatusCode != 400 || !strings.Contains(body(resp), `Unknown purpose \"ads\"`) {
		t.Fatalf("an unregistered purpose was accepted: %d", resp.StatusCode)
	}
	u.upload(map[string]string{"sms.xml": smallExport})
	op := s.mustUIUser(t, "13600136000")
	if counted, total, _ := opsCounted(t, op); counted != 0 || total != 2 {
		t.Fatalf("an account without consent was counted: %d of %d", counted, total)
	}
	u.setConsent("statistics", true)
	if counted, _, _ := opsCounted(t, op); counted != 1 {
		t.Fatalf("after consent: %d counted", counted)
	}
	// A team member also sees the device purposes of section 9 their work rests on.
	_, member := mustTeam(t, s, beifen.RoleStaff, "13911118000")
	b, _ := apiDo(t, "GET", s.URL+"/api/v1/me/consents", member["BEIFEN_TOKEN"], nil, nil)
	for _, p := range []string{"contacts_read", "contacts_write", "microphone", "call_phone", "call_log", "sms", "storage_write", "storage_read"} {
		if !strings.Contains(string(b), `"purpose":"`+p+`","required":true,"basis":"contract","team":true`) {
			t.Errorf("a team member's purposes lack %s: %s", p, b)
		}
	}
}

// TestPolicy_6_2_1_WithdrawalStopsProcessing: a withdrawal takes effect at once (the account
// drops out of the statistics) and the ledger keeps the history: the grant, the withdrawal, their
// times and the policy version each was made under; consent can be given again.
func TestPolicy_6_2_1_WithdrawalStopsProcessing(t *testing.T) {
	s := MustRunMain(t, "")
	s.Config.Operators = []string{"13600136000"}
	u := s.mustUIUser(t, "13800138051")
	op := s.mustUIUser(t, "13600136000")
	u.setConsent("statistics", true)
	if counted, _, _ := opsCounted(t, op); counted != 1 {
		t.Fatalf("with consent: %d counted", counted)
	}
	ledger := u.setConsent("statistics", false)
	if counted, _, _ := opsCounted(t, op); counted != 0 {
		t.Fatalf("after withdrawal: %d counted", counted)
	}
	if len(ledger.Ledger) != 2 || !ledger.Ledger[0].Granted || ledger.Ledger[1].Granted ||
		ledger.Ledger[1].At.Before(ledger.Ledger[0].At) || ledger.Ledger[1].PolicyVersion != "1" {
		t.Fatalf("ledger %+v", ledger.Ledger)
	}
	// The privacy centre shows the same: the box unticked, the history with both entries.
	page := body(u.get("/privacy"))
	if !strings.Contains(page, `value="statistics">`) || strings.Contains(page, `value="statistics" checked`) ||
		strings.Count(page, "使用统计 · ") != 2 {
		t.Fatalf("privacy centre does not show the withdrawal and its history")
	}
	if again := u.setConsent("statistics", true); len(again.Ledger) != 3 {
		t.Fatalf("consent again: %+v", again.Ledger)
	}
}
