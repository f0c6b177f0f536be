package main_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beifen/beifen"
	main "github.com/beifen/beifen/cmd/beifen"
	beifenhttp "github.com/beifen/beifen/http"
	"github.com/beifen/beifen/internal/genexport"
)

// TestBackup_ResumesAfterInterruption: files that arrived before the client was killed and the
// server restarted are not sent again, and no half snapshot is ever visible.
func TestBackup_ResumesAfterInterruption(t *testing.T) {
	dir := t.TempDir()
	s := MustRunMain(t, dir)
	tok := s.MustCreateUser(t, "13800138000", "")
	phone := mustGenerate(t, 2)
	var paths []string
	filepath.WalkDir(phone, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			paths = append(paths, p)
		}
		return err
	})
	// The "killed client" got half of the files up, exports included.
	c := beifenhttp.NewClient(s.URL, tok)
	ctx := context.Background()
	var hashes []beifen.BlobKey
	for i, p := range paths {
		b, _ := os.ReadFile(p)
		sum := sha256.Sum256(b)
		h := beifen.BlobKey(hex.EncodeToString(sum[:]))
		hashes = append(hashes, h)
		if i%2 == 0 {
			if _, err := c.UploadPart(ctx, h, int64(len(b)), 0, filepath.Base(p), bytes.NewReader(b)); err != nil {
				t.Fatal(err)
			}
		}
	}
	s.Close() // server restart
	s = MustRunMain(t, dir)
	c = beifenhttp.NewClient(s.URL, tok)
	if snaps, _, err := c.FindSnapshots(ctx, beifen.SnapshotFilter{}); err != nil || len(snaps) != 0 {
		t.Fatalf("snapshots after an interrupted backup: %v, %v; want none", snaps, err)
	}
	missing, err := c.MissingFiles(ctx, hashes)
	if err != nil {
		t.Fatal(err)
	}
	uploaded := map[beifen.BlobKey]bool{}
	for i, h := range hashes {
		uploaded[h] = uploaded[h] || i%2 == 0
	}
	for _, h := range missing {
		if uploaded[h] {
			t.Fatalf("content %.12s arrived before the interruption but is asked for again", h)
		}
	}
	if len(missing) == 0 {
		t.Fatal("nothing missing after uploading half of the files")
	}
	sum := mustBackup(t, clientEnv(s, tok), phone)
	if sum.Files == 0 || sum.Messages == 0 {
		t.Fatalf("resumed backup %+v", sum)
	}
}

// TestBackup_LargeFileInParts: a file over one part goes up in parts, resumes by part, and
// restores byte for byte.
func TestBackup_LargeFileInParts(t *testing.T) {
	s := MustRunMain(t, "")
	tok := s.MustCreateUser(t, "13800138000", "")
	phone := t.TempDir()
	big := make([]byte, beifen.UploadPartSize*2+12345)
	rng := rand.NewChaCha8([32]byte{1})
	rng.Read(big)
	os.MkdirAll(filepath.Join(phone, "DCIM"), 0o700)
	os.WriteFile(filepath.Join(phone, "DCIM", "VID_20260301.mp4"), big, 0o600)
	// Part 1 arrived before the interruption.
	sum := sha256.Sum256(big)
	h := beifen.BlobKey(hex.EncodeToString(sum[:]))
	c := beifenhttp.NewClient(s.URL, tok)
	part := big[beifen.UploadPartSize : 2*beifen.UploadPartSize]
	if _, err := c.UploadPart(context.Background(), h, int64(len(big)), 1, "VID.mp4", bytes.NewReader(part)); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.UploadedParts(context.Background(), h, int64(len(big))); len(got) != 1 || got[0] != 1 {
		t.Fatalf("UploadedParts=%v, want [1]", got)
	}
	env := clientEnv(s, tok)
	if b := mustBackup(t, env, phone); b.Files != 1 || b.NewBlobs != 1 || b.NewBytes != int64(len(big)) {
		t.Fatalf("backup %+v, want 1 file in 1 new blob of %d bytes", b, len(big))
	}
	got := mustRestore(t, env, "latest")
	if got.Files["DCIM/VID_20260301.mp4"] != string(h) {
		t.Fatal("the large file did not restore byte for byte")
	}
}

// TestBackup_EncryptedAtRest: nothing personal of a backup can be read in the database, the
// blob folder or the log.
func TestBackup_EncryptedAtRest(t *testing.T) {
	dir := t.TempDir()
	s := MustRunMain(t, dir)
	env := clientEnv(s, s.MustCreateUser(t, "13800138000", "韩梅梅"))
	phone := mustGenerate(t, 3)
	mustBackup(t, env, phone)
	d := readPhone(t, phone, false)
	// Secrets: numbers, names and bodies from the export, and a recording's file name.
	var secrets []string
	for _, m := range d.Messages[:5] {
		var msg beifen.Message
		mustUnmarshal(t, m, &msg)
		secrets = append(secrets, msg.Address(), firstRunes(msg.Body(), 6))
	}
	for path := range d.Files {
		if strings.Contains(path, "通话录音") {
			secrets = append(secrets, filepath.Base(path)[:30])
			break
		}
	}
	secrets = append(secrets, "13800138000", "韩梅梅")
	s.Close()
	filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || e.Name() == "master.key" {
			return err
		}
		b, _ := os.ReadFile(p)
		for _, sec := range secrets {
			if sec != "" && bytes.Contains(b, []byte(sec)) {
				t.Errorf("%s holds %q in the clear", filepath.Base(p), sec)
			}
		}
		return nil
	})
	for _, sec := range secrets {
		if sec != "" && strings.Contains(s.Log.String(), sec) {
			t.Errorf("the log holds %q", sec)
		}
	}
}

// TestBackup_OtherAccountSeesNothing: another account's snapshots and files read as not found,
// and dedup never crosses accounts.
func TestBackup_OtherAccountSeesNothing(t *testing.T) {
	s := MustRunMain(t, "")
	alice := clientEnv(s, s.MustCreateUser(t, "13800138000", ""))
	bobTok := s.MustCreateUser(t, "13900139000", "")
	phone := mustGenerate(t, 4)
	sum := mustBackup(t, alice, phone)
	c := beifenhttp.NewClient(s.URL, bobTok)
	ctx := context.Background()
	_, err := c.FindSnapshotByID(ctx, sum.Snapshot)
	if beifen.ErrorCode(err) != beifen.ENOTFOUND {
		t.Fatalf("bob reads alice's snapshot: %v", err)
	}
	if err := c.ExportMessages(ctx, sum.Snapshot, io.Discard); beifen.ErrorCode(err) != beifen.ENOTFOUND {
		t.Fatalf("bob exports alice's messages: %v", err)
	}
	files, err := beifenhttp.NewClient(s.URL, alice["BEIFEN_TOKEN"]).SnapshotFiles(ctx, sum.Snapshot)
	if err != nil || len(files) == 0 {
		t.Fatal(err)
	}
	if _, err := c.OpenFile(ctx, files[0].Hash, 0, -1); beifen.ErrorCode(err) != beifen.ENOTFOUND {
		t.Fatalf("bob reads alice's file: %v", err)
	}
	missing, _ := c.MissingFiles(ctx, []beifen.BlobKey{files[0].Hash})
	if len(missing) != 1 {
		t.Fatal("alice's upload counts as bob's: dedup crossed accounts")
	}
	if st := get(t, s.URL+"/api/v1/snapshots/latest", ""); st != http.StatusUnauthorized {
		t.Fatalf("anonymous snapshot list: %d, want 401", st)
	}
}

// TestBackup_MalformedInputStillBacksUp: a broken card and a broken message are reported with
// file and line; everything else is backed up.
func TestBackup_MalformedInputStillBacksUp(t *testing.T) {
	s := MustRunMain(t, "")
	env := clientEnv(s, s.MustCreateUser(t, "13800138000", ""))
	phone := t.TempDir()
	os.WriteFile(filepath.Join(phone, "contacts.vcf"), []byte("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:张三\r\nTEL:13800000001\r\nEND:VCARD\r\n"+
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:broken\r\n"+
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:李四\r\nEND:VCARD\r\n"), 0o600)
	os.WriteFile(filepath.Join(phone, "sms-1.xml"), []byte(`<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<smses count="3">
<sms address="10086" date="1700000000000" type="1" body="ok one" />
<sms address="10086" date="1700000000001" type="1" body=unquoted />
<sms address="10086" date="1700000000002" type="1" body="ok two" />
</smses>
`), 0o600)
	var stderr bytes.Buffer
	var stdout bytes.Buffer
	err := main.Run(context.Background(), []string{"backup", "--json", phone}, func(k string) string { return env[k] }, nil, &stdout, &stderr)
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, stderr.String())
	}
	var sum BackupSummary
	lastJSON(t, stdout.String(), &sum)
	if sum.Contacts != 2 || sum.Messages != 2 {
		t.Fatalf("backup %+v, want the 2 good contacts and 2 good messages", sum)
	}
	for _, want := range []string{"sms-1.xml:4:", "contacts.vcf:"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr does not name %q:\n%s", want, stderr.String())
		}
	}
}

// withSchema creates a fresh schema on dsn, dropped after the test, and returns a DSN using it.
func withSchema(tb testing.TB, dsn string) string {
	tb.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		tb.Fatal(err)
	}
	schema := fmt.Sprintf("e2e_%d", rand.Uint32())
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		db.Exec("DROP SCHEMA " + schema + " CASCADE")
		db.Close()
	})
	return withSearchPath(dsn, schema)
}

// mustRunOn starts a server on PostgreSQL at dsn with its own data folder and the master key
// file key (replicas of one deployment share it).
func mustRunOn(tb testing.TB, dsn, key string) *Server {
	tb.Helper()
	m := main.NewMain()
	m.Config.DataDir, m.Config.Addr, m.Config.DB, m.Config.MasterKeyFile = tb.TempDir(), "127.0.0.1:0", dsn, key
	log := &syncBuffer{}
	m.Logger = slog.New(slog.NewTextHandler(log, nil))
	if err := m.Run(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { m.Close() })
	return &Server{Main: m, Log: log, URL: m.HTTPServer.URL()}
}

// TestServe_Postgres runs a backup and a restore on PostgreSQL (skipped without
// BEIFEN_TEST_POSTGRES_DSN; CI requires it).
func TestServe_Postgres(t *testing.T) {
	dsn := os.Getenv("BEIFEN_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("BEIFEN_TEST_POSTGRES_DSN not set")
	}
	s := mustRunOn(t, withSchema(t, dsn), filepath.Join(t.TempDir(), "master.key"))
	env := clientEnv(s, s.MustCreateUser(t, "13800138000", ""))
	phone := mustGenerate(t, 5)
	mustBackup(t, env, phone)
	if b := mustBackup(t, env, phone); b.NewBlobs != 0 {
		t.Fatalf("second backup on PostgreSQL: %+v", b)
	}
	wantSamePhone(t, mustRestore(t, env, "latest"), readPhone(t, phone, false))
}

func withSearchPath(dsn, schema string) string {
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}

func get(tb testing.TB, url, token string) int {
	tb.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func firstRunes(s string, n int) string {
	r := []rune(s)
	return string(r[:min(n, len(r))])
}

// TestCheck_FindsDamage: a flipped byte in a blob and a deleted blob are both reported, by ID
// only, and check exits 1.
func TestCheck_FindsDamage(t *testing.T) {
	dir := t.TempDir()
	s := MustRunMain(t, dir)
	env := clientEnv(s, s.MustCreateUser(t, "13800138000", ""))
	mustBackup(t, env, mustGenerate(t, 6))
	s.Close()
	var blobs []string
	filepath.WalkDir(filepath.Join(dir, "blobs"), func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() && e.Type().IsRegular() {
			blobs = append(blobs, p)
		}
		return err
	})
	if len(blobs) < 2 {
		t.Fatalf("only %d blobs", len(blobs))
	}
	b, _ := os.ReadFile(blobs[0])
	b[len(b)/2] ^= 0x40
	os.WriteFile(blobs[0], b, 0o600)
	os.Remove(blobs[1])
	out, err := runCLI(t, nil, "check", "--data", dir)
	if err == nil {
		t.Fatalf("check passed a damaged store:\n%s", out)
	}
	if !strings.Contains(out, "does not decrypt") || !strings.Contains(out, "Blob not found") || !strings.Contains(out, "missing or damaged") {
		t.Fatalf("check output does not list both problems:\n%s", out)
	}
}

// TestBackup_DestroyedKeyMakesBackupsUnreadable: with the account's wrapped data key gone,
// nothing of its backups can be read any more, by the API or by check.
func TestBackup_DestroyedKeyMakesBackupsUnreadable(t *testing.T) {
	s := MustRunMain(t, "")
	env := clientEnv(s, s.MustCreateUser(t, "13800138000", ""))
	sum := mustBackup(t, env, mustGenerate(t, 8))
	ctx := context.Background()
	users, _, err := s.Store.Users.FindUsers(ctx, beifen.UserFilter{})
	if err != nil || len(users) != 1 {
		t.Fatalf("users %v, %v", users, err)
	}
	none := []byte{}
	if _, err := s.Store.Users.UpdateUser(ctx, users[0].ID, beifen.UserUpdate{WrappedKey: &none}); err != nil {
		t.Fatal(err)
	}
	c := beifenhttp.NewClient(s.URL, env["BEIFEN_TOKEN"])
	err = c.ExportMessages(ctx, sum.Snapshot, io.Discard)
	if beifen.ErrorCode(err) != beifen.EFORBIDDEN {
		t.Fatalf("export after the key was destroyed: %v, want EFORBIDDEN", err)
	}
	if out, err := runCLI(t, nil, "check", "--data", s.Config.DataDir); err != nil || !strings.Contains(out, "checked 0 accounts") {
		t.Fatalf("check after the key was destroyed: %v\n%s", err, out)
	}
}

// TestUserAdd_WhileServing: `beifen user add` works on the data folder of a running server.
func TestUserAdd_WhileServing(t *testing.T) {
	s := MustRunMain(t, "")
	out := mustCLI(t, nil, "user", "add", "--data", s.Config.DataDir, "--phone", "+86 139 1234 5678", "--name", "王五")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	tok := lines[len(lines)-1]
	if st := get(t, s.URL+"/api/v1/me", tok); st != http.StatusOK {
		t.Fatalf("token printed by user add: %d", st)
	}
	if _, err := runCLI(t, nil, "user", "add", "--data", s.Config.DataDir, "--phone", "13912345678"); err == nil {
		t.Fatal("a second account for the same number was created")
	}
}

// TestBackup_LargeExportInChunks: a large sms.xml goes up in item-aligned chunks; after a day of
// new messages only a few chunks are sent again, the result still restores exactly, and an
// unreadable element is reported at its line in the whole file.
func TestBackup_LargeExportInChunks(t *testing.T) {
	s := MustRunMain(t, "")
	env := clientEnv(s, s.MustCreateUser(t, "13800138000", ""))
	phone := t.TempDir()
	if _, err := genexport.Generate(phone, genexport.Options{Scale: 0.06, Seed: 9}); err != nil {
		t.Fatal(err)
	}
	fragments := func() int { return strings.Count(s.Log.String(), "route=\"PUT /api/v1/fragments/{hash}\"") }
	mustBackup(t, env, phone)
	first := fragments()
	if first < 4 {
		t.Fatalf("a large export went up in %d chunks, want several", first)
	}
	if _, err := genexport.Mutate(phone, 3); err != nil {
		t.Fatal(err)
	}
	mustBackup(t, env, phone)
	if again := fragments() - first; again == 0 || again > 4 {
		t.Fatalf("after a day of new messages %d chunks were sent again (of %d), want 1 to 4", again, first)
	}
	wantSamePhone(t, mustRestore(t, env, "latest"), readPhone(t, phone, false))

	// A broken element deep inside a chunked file is reported at its line in the whole file.
	var b strings.Builder
	b.WriteString("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count=\"60000\">\n")
	for i := 0; i < 60000; i++ {
		if i == 45000 {
			b.WriteString("  <sms address=\"10086\" date=\"1\" type=\"1\" body=broken />\n")
			continue
		}
		fmt.Fprintf(&b, "  <sms protocol=\"0\" address=\"1380013%04d\" date=\"17000000%05d\" type=\"1\" subject=\"null\" body=\"第%d条\" toa=\"null\" read=\"1\" />\n", i%10000, i, i)
	}
	b.WriteString("</smses>\n")
	big := t.TempDir()
	os.WriteFile(filepath.Join(big, "sms-big.xml"), []byte(b.String()), 0o600)
	var stdout, stderr bytes.Buffer
	if err := main.Run(context.Background(), []string{"backup", "--json", big}, func(k string) string { return env[k] }, nil, &stdout, &stderr); err != nil {
		t.Fatalf("backup: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "sms-big.xml:45003:") {
		t.Fatalf("stderr does not name line 45003:\n%s", stderr.String())
	}
	var sum BackupSummary
	lastJSON(t, stdout.String(), &sum)
	if sum.Messages != 59999 {
		t.Fatalf("messages=%d, want 59999", sum.Messages)
	}
}

// TestGC_RemovesOnlyStaleParts: a part of an upload abandoned long ago is collected, one of a
// backup that may still resume is kept.
func TestGC_RemovesOnlyStaleParts(t *testing.T) {
	dir := t.TempDir()
	s := MustRunMain(t, dir)
	tok := s.MustCreateUser(t, "13800138000", "")
	c := beifenhttp.NewClient(s.URL, tok)
	ctx := context.Background()
	for i, content := range []string{"old", "new"} {
		size := int64(beifen.UploadPartSize + 10)
		h := beifen.BlobKey(fmt.Sprintf("%064x", i+1)) // never completed, so never checked
		part := strings.Repeat(content, 4)
		if _, err := c.UploadPart(ctx, h, size, 1, "VID.mp4", strings.NewReader(part[:10])); err != nil {
			t.Fatal(err)
		}
		if content == "old" {
			filepath.WalkDir(filepath.Join(dir, "blobs"), func(p string, e fs.DirEntry, err error) error {
				if err == nil && strings.HasPrefix(e.Name(), "stage-") {
					old := time.Now().Add(-100 * time.Hour)
					os.Chtimes(p, old, old)
				}
				return err
			})
		}
	}
	out := mustCLI(t, nil, "gc", "--data", dir)
	if !strings.Contains(out, "removed 1 unfinished upload parts") {
		t.Fatalf("gc: %s", out)
	}
	left := 0
	filepath.WalkDir(filepath.Join(dir, "blobs"), func(p string, e fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(e.Name(), "stage-") {
			left++
		}
		return err
	})
	if left != 1 {
		t.Fatalf("%d staged parts left, want the fresh one", left)
	}
}

// TestGC_CollectsWhatAbandonedBackupsLeft: a backup killed before its commit leaves records and
// stored files; gc removes them once past the grace period, and nothing a snapshot holds: the
// committed backup still restores exactly, checks whole, and a second backup stores nothing new.
func TestGC_CollectsWhatAbandonedBackupsLeft(t *testing.T) {
	dir := t.TempDir()
	s := MustRunMain(t, dir)
	tok := s.MustCreateUser(t, "13800138000", "")
	env := clientEnv(s, tok)
	ctx := context.Background()
	kept := mustGenerate(t, 3)
	mustBackup(t, env, kept)

	// An abandoned backup of another phone: every file goes up, no snapshot is made.
	other := mustGenerate(t, 4)
	c := beifenhttp.NewClient(s.URL, tok)
	filepath.WalkDir(other, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		sum := sha256.Sum256(b)
		_, err = c.UploadPart(ctx, beifen.BlobKey(hex.EncodeToString(sum[:])), int64(len(b)), 0, filepath.Base(p), bytes.NewReader(b))
		return err
	})
	count := func() (records, blobs int) {
		s.Backup.WaitWrites() // an upload answers once its records are queued
		u, err := s.Store.Users.FindUserByPhoneHash(ctx, s.Auth.PhoneHash("+8613800138000"))
		if err != nil {
			t.Fatal(err)
		}
		uctx := beifen.NewContextWithUser(ctx, u)
		s.Store.Records.ScanRecords(uctx, func(*beifen.Record) error { records++; return nil })
		s.Store.Blobs.ScanBlobEntries(uctx, func(*beifen.BlobEntry) error { blobs++; return nil })
		return records, blobs
	}
	recordsBefore, blobsBefore := count()

	// Within the grace period nothing goes.
	if out := mustCLI(t, nil, "gc", "--data", dir); !strings.Contains(out, "removed 0 records and 0 stored contents") {
		t.Fatalf("gc within the grace period: %q", out)
	}
	out := mustCLI(t, nil, "gc", "--data", dir, "--grace", "0s")
	recordsAfter, blobsAfter := count()
	if recordsAfter >= recordsBefore || blobsAfter >= blobsBefore || !strings.Contains(out, fmt.Sprintf("removed %d records and %d stored contents", recordsBefore-recordsAfter, blobsBefore-blobsAfter)) {
		t.Fatalf("gc: %q; records %d→%d, blobs %d→%d", out, recordsBefore, recordsAfter, blobsBefore, blobsAfter)
	}
	// What the snapshot holds is intact.
	if out := mustCLI(t, nil, "check", "--data", dir); strings.Contains(out, "damage") {
		t.Fatalf("check after gc: %q", out)
	}
	wantSamePhone(t, mustRestore(t, env, "latest"), readPhone(t, kept, false))
	if b := mustBackup(t, env, kept); b.NewBlobs != 0 {
		t.Fatalf("backup after gc stored %d new blobs", b.NewBlobs)
	}
	// Running it again finds nothing more.
	if out := mustCLI(t, nil, "gc", "--data", dir, "--grace", "0s"); !strings.Contains(out, "removed 0 records and 0 stored contents") {
		t.Fatalf("second gc: %q", out)
	}
	// And the abandoned phone backs up in full afterwards.
	if b := mustBackup(t, env, other); b.Files == 0 || b.Messages == 0 {
		t.Fatalf("backup of the other phone after gc: %+v", b)
	}
	wantSamePhone(t, mustRestore(t, env, "latest"), readPhone(t, other, false))
}

// TestBackup_SendsAgainWhatGCRemovedMeanwhile: beifen gc running between a backup's uploads and
// its commit removes what the backup sent (no snapshot holds it yet). The commit is refused as a
// conflict, and the client asks again what the server lacks, sends it and commits, instead of
// failing and leaving the user to run it again.
func TestBackup_SendsAgainWhatGCRemovedMeanwhile(t *testing.T) {
	dir := t.TempDir()
	s := MustRunMain(t, dir)
	tok := s.MustCreateUser(t, "13800138000", "")
	env := clientEnv(s, tok)
	phone := mustGenerate(t, 3)
	commits := 0
	main.SetHookBeforeCommit(func() {
		commits++
		if commits > 1 {
			return
		}
		s.Backup.WaitWrites() // an upload answers once its records are queued
		if out := mustCLI(t, nil, "gc", "--data", dir, "--grace", "0s"); strings.Contains(out, "removed 0 records") {
			t.Errorf("gc between the uploads and the commit removed nothing: %q", out)
		}
	})
	t.Cleanup(func() { main.SetHookBeforeCommit(nil) })
	out, err := runCLI(t, env, "backup", "--json", phone)
	if err != nil {
		t.Fatalf("backup with gc before its commit: %v\n%s", err, out)
	}
	if commits != 2 {
		t.Fatalf("commits=%d, want 2 (refused, then after sending again); output:\n%s", commits, out)
	}
	var sum BackupSummary
	lastJSON(t, out, &sum)
	if sum.Snapshot == 0 || sum.Messages == 0 || sum.Files == 0 {
		t.Fatalf("summary %+v", sum)
	}
	wantSamePhone(t, mustRestore(t, env, "latest"), readPhone(t, phone, false))
	if out := mustCLI(t, nil, "check", "--data", dir); strings.Contains(out, "damage") {
		t.Fatalf("check: %q", out)
	}
}
