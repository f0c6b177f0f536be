package main_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	main "github.com/beifen/beifen/cmd/beifen"
)

// TestPolicy_3_1_3_ResearchPartnersGetDeidentifiedData: the only export for analytics and
// research partners carries no number, name or ID: each account is a keyed hash under a key of
// that export alone (two exports do not match), only accounts that consented to research sharing
// are in it (being counted in statistics is not enough), a group of fewer than five accounts (by week joined, gender, birth decade) is left out,
// and each exported account is logged as a transfer its user can see.
func TestPolicy_3_1_3_ResearchPartnersGetDeidentifiedData(t *testing.T) {
	s := MustRunMainConfig(t, "", func(c *main.Config) { c.Operators = []string{"13600136000"} })
	op := s.mustUIUser(t, "13600136000")
	var users []*uiClient
	for i := 0; i < 7; i++ {
		u := s.mustUIUser(t, fmt.Sprintf("1380013820%d", i))
		gender := "female"
		if i == 6 {
			gender = "male" // alone in its group
		}
		u.post("/privacy/profile", url.Values{"nickname": {fmt.Sprintf("用户%d", i)}, "gender": {gender}, "birthday": {"1991-05-0" + fmt.Sprint(i+1)}})
		u.setConsent("research", true)
		users = append(users, u)
	}
	silent := s.mustUIUser(t, "13800138299") // consented to statistics only
	silent.post("/privacy/profile", url.Values{"gender": {"female"}, "birthday": {"1991-01-01"}})
	silent.setConsent("statistics", true)

	export := func() string {
		t.Helper()
		resp := op.get("/ops/research.csv?partner=" + url.QueryEscape("某大学研究组"))
		if resp.StatusCode != 200 {
			t.Fatalf("export: %d", resp.StatusCode)
		}
		return body(resp)
	}
	a, b := export(), export()
	lines := strings.Split(strings.TrimSpace(a), "\n")
	if lines[0] != "account,week_joined,gender,birth_decade,backups_30d" || len(lines) != 7 {
		t.Fatalf("export %q: want the header and the six consenting women", a)
	}
	if strings.Contains(a, ",male,") {
		t.Fatal("a group of one was exported")
	}
	for _, l := range lines[1:] {
		if !regexp.MustCompile(`^[0-9a-f]{16},\d{4}-W\d{2},female,1990s,0$`).MatchString(l) {
			t.Fatalf("row %q", l)
		}
	}
	for _, p := range []string{"1380013820", "用户", "1991-05"} {
		if strings.Contains(a, p) {
			t.Fatalf("the export holds %q", p)
		}
	}
	if strings.Split(lines[1], ",")[0] == strings.Split(strings.Split(strings.TrimSpace(b), "\n")[1], ",")[0] {
		t.Fatal("two exports share pseudonyms")
	}
	p := body(users[0].get("/privacy"))
	if i := strings.Index(p, `id="transfers"`); i < 0 || !strings.Contains(p[i:i+800], "research:某大学研究组") {
		t.Fatal("the user does not see the export as a transfer")
	}
	if p := body(silent.get("/privacy")); strings.Contains(p, "research:") {
		t.Fatal("an account that never consented was exported")
	}
}
