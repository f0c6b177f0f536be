package main_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

// TestPolicy_6_7_ShutdownFreezesNotifiesErases: an operator closes the platform. From then it
// takes no new accounts and no new data, on the API and in the pages; every user is texted when
// it closes and that they can download their data, and every page says so; downloads go on
// through the notice period (at least 30 days); after it, every account is erased and every
// team's key destroyed, and nothing is left on disk.
func TestPolicy_6_7_ShutdownFreezesNotifiesErases(t *testing.T) {
	s := MustRunMain(t, "")
	texts := &smsRecorder{}
	s.Auth.SMS = texts
	ctx := context.Background()
	alice, bob := s.mustUIUser(t, "13800138081"), s.mustUIUser(t, "13800138082")
	for _, u := range []*uiClient{alice, bob} {
		if resp := u.upload(map[string]string{"sms.xml": smallExport, "IMG_1.jpg": string(cameraJPEG(t, 64, 48))}); resp.StatusCode != http.StatusCreated {
			t.Fatalf("upload: %d", resp.StatusCode)
		}
	}
	_, manager := mustTeam(t, s, beifen.RoleManager, "13911114444")

	if out, err := runCLI(t, nil, "shutdown", "--data", s.Config.DataDir, "--days", "10"); err == nil || beifen.ErrorMessage(err) != "Users must have at least 30 days to download their data." {
		t.Fatalf("a 10-day notice: %q %v", out, err)
	}
	c, err := s.Shutdown(ctx, 30)
	if err != nil || c.Notified != 3 {
		t.Fatalf("shutdown: %+v %v", c, err)
	}
	sent := texts.texts()
	if len(sent) != 3 || !strings.Contains(sent[0], "下载您的数据") || !strings.Contains(sent[0], c.EraseAt.In(time.FixedZone("CST", 8*3600)).Format("2006年1月2日")) {
		t.Fatalf("notices %v", sent)
	}
	var status beifen.Closing
	lastJSON(t, mustCLI(t, nil, "shutdown", "--data", s.Config.DataDir, "--status"), &status)
	if !status.EraseAt.Equal(c.EraseAt) || status.Notified != 3 {
		t.Fatalf("status %+v", status)
	}

	// Nothing new comes in: uploads, lead imports, new accounts.
	resp := alice.upload(map[string]string{"sms.xml": smallExport})
	if got := body(resp); resp.StatusCode != http.StatusForbidden || !strings.Contains(got, "The service is closing: it takes no new data.") {
		t.Fatalf("upload while closing: %d %s", resp.StatusCode, got)
	}
	if _, err := runCLI(t, manager, "leads", "import", mustLeadFile(t, 2)); err == nil {
		t.Fatal("a lead import went through while closing")
	}
	post(t, s.URL+"/api/v1/auth/code", map[string]string{"phone": "13800138089"})
	code := texts.texts()[len(texts.texts())-1]
	code = textCode(t, code)
	b, st := apiDo(t, "POST", s.URL+"/api/v1/auth/signin", "", strings.NewReader(`{"phone":"13800138089","code":"`+code+`"}`), nil)
	if st != http.StatusForbidden || !strings.Contains(string(b), "takes no new accounts") {
		t.Fatalf("sign-up while closing: %d %s", st, b)
	}
	// What is there can still be read and downloaded, and every page says when it goes.
	page := body(alice.get("/app"))
	if !strings.Contains(page, `id="closing"`) || !strings.Contains(page, c.EraseAt.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")) {
		t.Fatal("no closing banner")
	}
	for _, p := range []string{"/privacy/export.zip", "/app/s/1/restore.zip", "/app/s/1/messages/10086"} {
		if resp := alice.get(p); resp.StatusCode != 200 {
			t.Errorf("GET %s while closing: %d", p, resp.StatusCode)
		}
	}

	if n, err := s.EraseAtClosing(ctx, c.EraseAt.Add(-time.Hour)); err != nil || n != 0 {
		t.Fatalf("erased %d during the notice period: %v", n, err)
	}
	if n, err := s.EraseAtClosing(ctx, c.EraseAt.Add(time.Minute)); err != nil || n != 3 {
		t.Fatalf("erase at closing: %d %v", n, err)
	}
	if resp := alice.get("/api/v1/snapshots"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("an erased account still signs in: %d", resp.StatusCode)
	}
	files := 0
	filepath.WalkDir(filepath.Join(s.Config.DataDir, "blobs"), func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			files++
		}
		return err
	})
	if files != 0 {
		t.Fatalf("%d blob files left after the shutdown", files)
	}
	teams, _ := s.Store.Teams.FindTeams(ctx)
	for _, tm := range teams {
		if len(tm.WrappedKey) != 0 {
			t.Fatalf("team %d kept its key", tm.ID)
		}
	}
	var after beifen.Closing
	json.Unmarshal([]byte(strings.TrimSpace(mustCLI(t, nil, "shutdown", "--data", s.Config.DataDir, "--status"))), &after)
	if after.ErasedAt.IsZero() || after.Erased != 3 {
		t.Fatalf("status after erasing %+v", after)
	}
	// The summary is signed and re-checked against what is left now.
	out := mustCLI(t, nil, "shutdown", "--data", s.Config.DataDir, "--verify")
	if !strings.Contains(out, "verified:") || !strings.Contains(out, "accounts_erased=3 accounts_held=0 account_keys_left=0 team_keys_left=0") {
		t.Fatalf("shutdown --verify: %q", out)
	}
	after.Summary = strings.Replace(after.Summary, "accounts_erased=3", "accounts_erased=4", 1)
	b, _ = json.Marshal(after)
	if err := s.Store.Settings.PutSetting(ctx, "closing", b); err != nil {
		t.Fatal(err)
	}
	if _, err := runCLI(t, nil, "shutdown", "--data", s.Config.DataDir, "--verify"); err == nil || !strings.Contains(err.Error(), "signature") {
		t.Fatalf("a forged summary passed: %v", err)
	}
}
