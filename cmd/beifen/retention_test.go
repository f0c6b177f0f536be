package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beifen/beifen"
	beifenhttp "github.com/beifen/beifen/http"
)

// TestPolicy_4_2_RetentionDeletesOldRecordings: a team keeps call recordings for its retention
// period; older ones are deleted, blobs and all, and the deletion is recorded in the audit log.
func TestPolicy_4_2_RetentionDeletesOldRecordings(t *testing.T) {
	s := MustRunMain(t, "")
	out := mustCLI(t, nil, "team", "add", "--data", s.Config.DataDir, "--name", "质检组", "--recording-days", "30")
	team := lastInt(t, out)
	admin := mustMember(t, s, team, "13911110000", beifen.RoleAdmin)["BEIFEN_TOKEN"]
	staff := mustMember(t, s, team, "13700000001", beifen.RoleStaff)["BEIFEN_TOKEN"]
	upload := func(start time.Time) int {
		q := url.Values{"number": {"13900000000"}, "time": {start.Format(time.RFC3339)}}
		_, st := apiDo(t, "POST", s.URL+"/api/v1/recordings?"+q.Encode(), staff, bytes.NewReader([]byte("fake mp3 audio bytes")),
			map[string]string{beifenhttp.NameHeader: "rec.mp3"})
		return st
	}
	if upload(time.Now().AddDate(0, 0, -40)) != 201 || upload(time.Now().AddDate(0, 0, -2)) != 201 {
		t.Fatal("upload failed")
	}
	recBlobs := func() int {
		n := 0
		filepath.WalkDir(filepath.Join(s.Config.DataDir, "blobs"), func(p string, e fs.DirEntry, err error) error {
			if err == nil && strings.HasPrefix(e.Name(), "rec-") {
				n++
			}
			return err
		})
		return n
	}
	if recBlobs() != 2 {
		t.Fatalf("%d recording blobs before, want 2", recBlobs())
	}
	n, err := s.CRM.ApplyRetention(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("ApplyRetention=%d, %v; want the 40-day-old recording", n, err)
	}
	if recBlobs() != 1 {
		t.Fatalf("%d recording blobs after, want 1", recBlobs())
	}
	b, _ := apiDo(t, "GET", s.URL+"/api/v1/recordings", admin, nil, nil)
	if !strings.Contains(string(b), `"total":1`) {
		t.Fatalf("recordings left: %s", b)
	}
	b, _ = apiDo(t, "GET", s.URL+"/api/v1/audit", admin, nil, nil)
	if !strings.Contains(string(b), `"action":"retention.delete","object":"recordings:1"`) {
		t.Fatalf("the deletion is not in the audit log: %s", b)
	}
}

// TestRetention_RejectedRowsGoAfter30Days: an import's rejected rows can be downloaded for 30 days;
// then the hourly job's rule deletes them and the link reads as not found.
func TestRetention_RejectedRowsGoAfter30Days(t *testing.T) {
	s := MustRunMain(t, "")
	_, admin := mustTeam(t, s, beifen.RoleAdmin, "13911116000")
	tok := admin["BEIFEN_TOKEN"]
	b, st := apiDo(t, "POST", s.URL+"/api/v1/leads/import", tok, strings.NewReader("张三 13912341111\n李四 12345\n"),
		map[string]string{beifenhttp.NameHeader: "leads.txt"})
	var res beifen.LeadImport
	json.Unmarshal(b, &res)
	if st != 200 || res.Rejected != 1 {
		t.Fatalf("import: %d %s", st, b)
	}
	csvURL := s.URL + "/api/v1/leads/imports/" + res.ID + "/rejected.csv"
	if b, st := apiDo(t, "GET", csvURL, tok, nil, nil); st != 200 || !strings.Contains(string(b), "12345") {
		t.Fatalf("rejected rows: %d %s", st, b)
	}
	ctx := context.Background()
	if n, err := s.CRM.ExpireRejectedRows(ctx, time.Now().Add(29*24*time.Hour)); err != nil || n != 0 {
		t.Fatalf("expired %d before 30 days: %v", n, err)
	}
	if n, err := s.CRM.ExpireRejectedRows(ctx, time.Now().Add(31*24*time.Hour)); err != nil || n != 1 {
		t.Fatalf("expired %d after 30 days: %v", n, err)
	}
	if _, st := apiDo(t, "GET", csvURL, tok, nil, nil); st != http.StatusNotFound {
		t.Fatalf("rejected rows after 30 days: %d", st)
	}
}

// TestPolicy_4_2_RetentionRulesPublishedAndRunsRecorded: every category of personal data has a
// published rule (how long, then what), readable without signing in; the hourly job applies the
// rules and records in the platform's audit log how much each run removed, by count only.
func TestPolicy_4_2_RetentionRulesPublishedAndRunsRecorded(t *testing.T) {
	s := MustRunMain(t, "")
	ctx := context.Background()
	var rules beifenhttp.RetentionResponse
	b, st := apiDo(t, "GET", s.URL+"/api/v1/retention", "", nil, nil)
	if json.Unmarshal(b, &rules); st != 200 || len(rules.Rules) < 5 {
		t.Fatalf("retention rules: %d %s", st, b)
	}
	byCat := map[string]beifen.RetentionRule{}
	for _, r := range rules.Rules {
		byCat[r.Category] = r
	}
	if r := byCat["signins"]; r.Days != 365 || r.Action != "delete" {
		t.Fatalf("sign-in rule %+v: a year, at least the six months the law asks", r)
	}
	if r := byCat["rejected_rows"]; r.Days != 30 {
		t.Fatalf("rejected rows rule %+v", r)
	}
	if r := byCat["recordings"]; !r.PerTeam {
		t.Fatalf("recordings rule %+v", r)
	}
	page := body((&uiClient{tb: t, base: s.URL, lang: "zh-CN"}).get("/privacy/retention"))
	if !strings.Contains(page, "登录记录（网络日志）") || !strings.Contains(page, "365 天") || strings.Contains(page, "retention.") {
		t.Fatalf("retention page: %s", page)
	}

	// A sign-in older than a year goes with the next run, and the run is on record.
	tok := s.MustCreateUser(t, "13800138077", "")
	b, _ = apiDo(t, "GET", s.URL+"/api/v1/me", tok, nil, nil)
	var me beifen.User
	json.Unmarshal(b, &me)
	old := &beifen.SignIn{UserID: me.ID, At: time.Now().Add(-400 * 24 * time.Hour), Method: "code", Device: "Chrome on Android"}
	recent := &beifen.SignIn{UserID: me.ID, At: time.Now().Add(-10 * 24 * time.Hour), Method: "code", Device: "Chrome on Android"}
	for _, in := range []*beifen.SignIn{old, recent} {
		if err := s.Store.SignIns.AddSignIn(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	run := s.RunJobsOnce(ctx)
	if run.SignIns != 1 || run.Failed != "" {
		t.Fatalf("jobs run %+v", run)
	}
	if left, _ := s.Store.SignIns.FindSignIns(ctx, me.ID, 10); len(left) != 1 {
		t.Fatalf("%d sign-ins left, want the recent one", len(left))
	}
	events, err := s.Audit.PlatformEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range events {
		if e.Action == "retention.signins" && e.Object == "count:1" {
			found = true
		}
	}
	if !found {
		t.Fatalf("the run is not in the platform audit log: %+v", events)
	}
	if out := mustCLI(t, nil, "audit", "verify", "--data", s.Config.DataDir); !strings.Contains(out, " 0 problems") {
		t.Fatalf("audit verify: %q", out)
	}
}
