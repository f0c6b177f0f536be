package main_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	main "github.com/beifen/beifen/cmd/beifen"
)

// TestPolicy_3_1_5_ActivitySignUpsNeedTheirOwnConsent: a marketing activity shares sign-ups'
// numbers with its partner only for users who signed up with the activity's own consent (the
// general marketing consent is not enough); the partner's list holds exactly them, each number on
// it logged as a transfer that the user sees; a withdrawal keeps the number off the next list.
func TestPolicy_3_1_5_ActivitySignUpsNeedTheirOwnConsent(t *testing.T) {
	s := MustRunMainConfig(t, "", func(c *main.Config) { c.Operators = []string{"13600136000"} })
	op := s.mustUIUser(t, "13600136000")
	last := time.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, 1).Format("2006-01-02")
	if resp := op.post("/ops/activities", url.Values{"title": {"双十二扩容"}, "description": {"报名送 10G 空间"},
		"partner": {"某某电商"}, "ends": {last}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", resp.StatusCode, body(resp))
	}
	joiner, keen := s.mustUIUser(t, "13800138171"), s.mustUIUser(t, "13800138172")
	keen.setConsent("marketing", true) // consents to marketing, but does not sign up
	page := body(joiner.get("/activities"))
	if !strings.Contains(page, "某某电商") || strings.Contains(page, "checked") {
		t.Fatal("the activity page must name the partner and tick nothing")
	}
	if resp := joiner.post("/activities/1", nil); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body(resp), "tick the box to agree") {
		t.Fatalf("a sign-up without the consent: %d", resp.StatusCode)
	}
	if resp := joiner.post("/activities/1", url.Values{"consent": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-up: %d %s", resp.StatusCode, body(resp))
	}
	csv := body(op.get("/ops/activities/1/signups.csv"))
	if csv != "phone\n+8613800138171\n" {
		t.Fatalf("the partner's list %q", csv)
	}
	if resp := joiner.get("/ops/activities/1/signups.csv"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("a user exported the list: %d", resp.StatusCode)
	}
	p := body(joiner.get("/privacy"))
	if i := strings.Index(p, `id="transfers"`); i < 0 || !strings.Contains(p[i:i+800], "某某电商 (双十二扩容)") {
		t.Fatal("the user does not see their number's transfer to the partner")
	}
	if resp := joiner.post("/activities/1", url.Values{"withdraw": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", resp.StatusCode)
	}
	if csv := body(op.get("/ops/activities/1/signups.csv")); csv != "phone\n" {
		t.Fatalf("after the withdrawal the list is %q", csv)
	}
}
