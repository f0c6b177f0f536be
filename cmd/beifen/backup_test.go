package main_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	main "github.com/beifen/beifen/cmd/beifen"
	"github.com/beifen/beifen/internal/genexport"
)

// testScale keeps the generated export small enough for a unit test (about 1 % of a real phone)
// while holding every kind of item and quirk.
const testScale = 0.01

// BackupSummary is what `beifen backup --json` prints last.
type BackupSummary = main.BackupSummary

func mustGenerate(tb testing.TB, seed uint64) string {
	tb.Helper()
	dir := tb.TempDir()
	if _, err := genexport.Generate(dir, genexport.Options{Scale: testScale, Seed: seed}); err != nil {
		tb.Fatal(err)
	}
	return dir
}

func mustBackup(tb testing.TB, env map[string]string, dir string) BackupSummary {
	tb.Helper()
	var sum BackupSummary
	lastJSON(tb, mustCLI(tb, env, "backup", "--json", dir), &sum)
	return sum
}

func mustRestore(tb testing.TB, env map[string]string, snapshot string) *phoneData {
	tb.Helper()
	out := filepath.Join(tb.TempDir(), "restore")
	mustCLI(tb, env, "restore", "--snapshot", snapshot, "--out", out)
	return readPhone(tb, out, true)
}

// TestPolicy_title_BackupRestoreAnyPoint: a phone is backed up, backed up again for free, changes,
// and every snapshot restores exactly: contacts, SMS/MMS (emoji and attachments), calls, files.
func TestPolicy_title_BackupRestoreAnyPoint(t *testing.T) {
	s := MustRunMain(t, "")
	env := clientEnv(s, s.MustCreateUser(t, "13800138000", "李雷"))
	pristine, phone := mustGenerate(t, 1), mustGenerate(t, 1)
	want := readPhone(t, pristine, false)
	if len(want.Skipped) > 0 {
		t.Fatalf("the generated export has unreadable items: %v", want.Skipped[0])
	}

	first := mustBackup(t, env, phone)
	if first.Contacts != len(want.Contacts) || first.Messages != len(want.Messages) ||
		first.Calls != len(want.Calls) || first.Files != len(want.Files) || first.NewBlobs == 0 {
		t.Fatalf("first backup %+v, want %d contacts, %d messages, %d calls, %d files and new blobs",
			first, len(want.Contacts), len(want.Messages), len(want.Calls), len(want.Files))
	}
	second := mustBackup(t, env, phone)
	if second.NewBlobs != 0 || second.NewBytes != 0 || second.Messages != first.Messages || second.Files != first.Files {
		t.Fatalf("unchanged second backup %+v, want no new blobs and the same counts as %+v", second, first)
	}
	wantSamePhone(t, mustRestore(t, env, "latest"), want)
	wantEmoji(t, want)

	if _, err := genexport.Mutate(phone, 7); err != nil {
		t.Fatal(err)
	}
	third := mustBackup(t, env, phone)
	var diff struct {
		Messages, Files, Contacts struct{ Added, Removed, Changed int }
	}
	lastJSON(t, mustCLI(t, env, "diff", "--json", fmt.Sprint(first.Snapshot), fmt.Sprint(third.Snapshot)), &diff)
	if diff.Messages.Added == 0 || diff.Files.Added != 4 || diff.Messages.Removed != 0 || diff.Contacts.Added != 0 {
		t.Fatalf("diff after a day on the phone: %+v, want new messages and 4 new files only", diff)
	}
	wantSamePhone(t, mustRestore(t, env, fmt.Sprint(first.Snapshot)), want)
	wantSamePhone(t, mustRestore(t, env, "latest"), readPhone(t, phone, false))

	out, err := runCLI(t, nil, "check", "--data", s.Config.DataDir)
	if err != nil || !strings.Contains(out, ": 0 problems") {
		t.Fatalf("check: %v\n%s", err, out)
	}
}

// wantEmoji makes sure the export under test holds emoji, so "restores exactly" covers them.
func wantEmoji(tb testing.TB, d *phoneData) {
	tb.Helper()
	for _, m := range d.Messages {
		if strings.Contains(m, "😀") || strings.ContainsAny(m, "😂👍🎉❤🙏😊") {
			return
		}
	}
	tb.Fatal("no message of the export holds an emoji")
}
