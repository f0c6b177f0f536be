package main_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/beifen/beifen"
	main "github.com/beifen/beifen/cmd/beifen"
)

// TestPolicy_3_2_MergerTransferNoticeAndVerifiableExport: on a merger the operator tells every
// user, at least 30 days ahead, who the successor is and whether it keeps this policy (or must
// ask for consent again: then a material policy version has to be in place); on the date it
// hands over one archive holding every account's data, consents and the audit log, signed so
// that the successor can verify it, and a changed byte or a wrong key fails the check.
func TestPolicy_3_2_MergerTransferNoticeAndVerifiableExport(t *testing.T) {
	s := MustRunMain(t, "")
	texts := &smsRecorder{}
	s.Auth.SMS, s.Support.SMS = texts, texts
	ctx := context.Background()
	phones := []string{"13800138091", "13800138092"}
	var users []*uiClient
	for _, p := range phones {
		u := s.mustUIUser(t, p)
		if resp := u.upload(map[string]string{"sms.xml": smallExport, "IMG_1.jpg": string(cameraJPEG(t, 64, 48))}); resp.StatusCode != http.StatusCreated {
			t.Fatalf("upload: %d", resp.StatusCode)
		}
		users = append(users, u)
	}
	users[0].setConsent(string(beifen.PurposeMarketing), true)
	data := s.Config.DataDir
	day := func(d time.Duration) string { return time.Now().Add(d).In(beifen.China).Format("2006-01-02") }

	// The notice: at least 30 days ahead, and a successor not bound by the policy needs a
	// material version to be accepted again.
	if _, err := runCLI(t, nil, "transfer", "notice", "--data", data, "--to", "新东家科技", "--date", day(10*24*time.Hour), "--bound"); err == nil ||
		!strings.Contains(beifen.ErrorMessage(err), "at least 30 days") {
		t.Fatalf("a 10-day notice: %v", err)
	}
	if _, err := runCLI(t, nil, "transfer", "notice", "--data", data, "--to", "新东家科技", "--date", day(40*24*time.Hour), "--policy-version", "9"); err == nil ||
		!strings.Contains(beifen.ErrorMessage(err), `Policy version "9" is not published as a material version`) {
		t.Fatalf("re-consent without a policy version: %v", err)
	}
	text := filepath.Join(t.TempDir(), "v2.md")
	os.WriteFile(text, []byte("# 新东家科技隐私政策\n\n继受方的隐私政策。"), 0o600)
	mustCLI(t, nil, "policy", "publish", "--data", data, "--version", "2", "--lang", "zh-CN",
		"--title", "隐私政策", "--file", text, "--effective", day(35*24*time.Hour), "--material")
	// (The server's own Main sends it, so that the test sees the texts; the command calls the
	// same method.)
	date, _ := time.ParseInLocation("2006-01-02", day(40*24*time.Hour), beifen.China)
	tr, err := s.NoticeTransfer(ctx, &main.Transfer{To: "新东家科技", Date: date, PolicyVersion: "2"})
	if err != nil || tr.Notified != 2 {
		t.Fatalf("notice: %+v %v", tr, err)
	}
	var status main.Transfer
	lastJSON(t, mustCLI(t, nil, "transfer", "status", "--data", data), &status)
	if status.To != "新东家科技" || status.Bound || status.PolicyVersion != "2" || status.Notified != 2 {
		t.Fatalf("status %+v", status)
	}
	sent := texts.texts()
	if len(sent) != 2 || !strings.Contains(sent[0], "「新东家科技」") || !strings.Contains(sent[0], "重新阅读并同意其隐私政策（版本 2）") ||
		!strings.Contains(sent[0], "下载并删除您的数据") {
		t.Fatalf("texts: %q", sent)
	}
	for _, u := range users {
		b, _ := apiDo(t, "GET", s.URL+"/api/v1/me/notices", u.token, nil, nil)
		if !strings.Contains(string(b), "业务转让通知") || !strings.Contains(string(b), "新东家科技") {
			t.Fatalf("notification centre: %s", b)
		}
	}

	// Nothing leaves before the date.
	archive := filepath.Join(t.TempDir(), "platform.zip")
	if _, err := runCLI(t, nil, "transfer", "export", "--data", data, "--out", archive); err == nil || !strings.Contains(beifen.ErrorMessage(err), "has not come") {
		t.Fatalf("export before the date: %v", err)
	}
	// The date comes.
	raw, _ := s.Store.Settings.GetSetting(ctx, "transfer")
	raw = bytes.Replace(raw, []byte(tr.Date.Format(time.RFC3339Nano)), []byte(time.Now().Add(-time.Hour).UTC().Format(time.RFC3339Nano)), 1)
	if err := s.Store.Settings.PutSetting(ctx, "transfer", raw); err != nil {
		t.Fatal(err)
	}
	out := mustCLI(t, nil, "transfer", "export", "--data", data, "--out", archive)
	key := out[strings.Index(out, "verifier key: ")+len("verifier key: "):]
	key = strings.TrimSpace(key)
	if !strings.Contains(out, "2 accounts") || !strings.HasPrefix(key, "beifen-audit+") {
		t.Fatalf("export: %q", out)
	}
	if fi, err := os.Stat(archive); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("archive mode: %v %v", fi, err)
	}

	// It opens with ordinary tools and holds each account's data, consents and backups.
	zr, err := zip.OpenReader(archive)
	if err != nil {
		t.Fatal(err)
	}
	member := func(name string) string {
		t.Helper()
		for _, f := range zr.File {
			if f.Name == name {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				return string(b)
			}
		}
		t.Fatalf("no member %s", name)
		return ""
	}
	found := map[string]bool{}
	for _, f := range zr.File {
		dir, ok := strings.CutSuffix(f.Name, "account.json")
		if !ok || !strings.HasPrefix(dir, "accounts/") {
			continue
		}
		var acct struct {
			Phone string `json:"phone"`
		}
		json.Unmarshal([]byte(member(f.Name)), &acct)
		found[acct.Phone] = true
		if sms := member(dir + "backup/sms.xml"); !strings.Contains(sms, `body="您好"`) {
			t.Errorf("%s: sms.xml %q", dir, sms)
		}
		if c := member(dir + "consents.json"); !strings.Contains(c, `"purpose"`) {
			t.Errorf("%s: consents %q", dir, c)
		}
		if acct.Phone == "+86"+phones[0] && !strings.Contains(member(dir+"consents.json"), `"marketing"`) {
			t.Errorf("the marketing consent is not in the export")
		}
		if jpg := member(dir + "backup/files/DCIM/Camera/IMG_1.jpg"); len(jpg) == 0 {
			t.Errorf("%s: empty photo", dir)
		}
	}
	if !found["+86"+phones[0]] || !found["+86"+phones[1]] {
		t.Fatalf("accounts in the export: %v", found)
	}
	if !strings.Contains(member("audit/entries.ndjson"), `"action":"transfer.notice"`) || !strings.Contains(member("policies.json"), "新东家科技隐私政策") {
		t.Fatal("audit log or policies missing from the export")
	}
	zr.Close()

	// The successor checks it with the key; a wrong key or one changed member fails.
	if out := mustCLI(t, nil, "transfer", "verify", "--key", key, archive); !strings.Contains(out, "OK: ") || !strings.Contains(out, "2 accounts") {
		t.Fatalf("verify: %q", out)
	}
	_, otherKey, _ := note.GenerateKey(rand.Reader, "beifen-audit")
	if _, err := runCLI(t, nil, "transfer", "verify", "--key", otherKey, archive); err == nil || !strings.Contains(err.Error(), "manifest.sig") {
		t.Fatalf("verify with another key: %v", err)
	}
	tampered := filepath.Join(t.TempDir(), "tampered.zip")
	rewriteZip(t, archive, tampered, func(name string, b []byte) []byte {
		if strings.HasSuffix(name, "backup/sms.xml") {
			return bytes.Replace(b, []byte("您好"), []byte("再见"), 1)
		}
		return b
	})
	if _, err := runCLI(t, nil, "transfer", "verify", "--key", key, tampered); err == nil || !strings.Contains(err.Error(), "backup/sms.xml was changed") {
		t.Fatalf("verify a changed archive: %v", err)
	}
}

// rewriteZip copies the zip at src to dst, passing each member's content through edit.
func rewriteZip(t *testing.T, src, dst string, edit func(name string, b []byte) []byte) {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		w, _ := zw.Create(f.Name)
		w.Write(edit(f.Name, b))
	}
	zw.Close()
	if err := os.WriteFile(dst, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}
