package main_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/beifen/beifen"
	main "github.com/beifen/beifen/cmd/beifen"
	"github.com/beifen/beifen/internal/genexport"
	"github.com/beifen/beifen/keyring"
)

// runCLIErr runs the command line and returns its stdout and stderr.
func runCLIErr(env map[string]string, args ...string) (string, string, error) {
	var stdout, stderr bytes.Buffer
	err := main.Run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

// wantKeyVersions fails unless every stored data key (of accounts and teams) is under version.
func wantKeyVersions(tb testing.TB, s *Server, version int) {
	tb.Helper()
	ctx := context.Background()
	counts, err := s.Store.Keys.CountWrappedKeys(ctx)
	if err != nil || len(counts) != 1 || counts[version] == 0 {
		tb.Fatalf("CountWrappedKeys=%v, %v; want every key under version %d", counts, err, version)
	}
	err = beifen.EachAccount(ctx, s.Store.Users, func(u *beifen.User) error {
		if v := keyring.Version(u.WrappedKey); v != version {
			return fmt.Errorf("account %d: version %d, want %d", u.ID, v, version)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// TestKeyRotation_WhileServingThenRetire: the master key is rotated by the CLI while the server
// runs and a backup goes on; backups before and after restore exactly, an account the server
// creates afterwards gets the new version, the old version is retired, and after a restart
// everything still restores byte for byte, and the index hashes and the audit chain, which do
// not depend on the master key version, still hold.
func TestKeyRotation_WhileServingThenRetire(t *testing.T) {
	s := MustRunMain(t, "")
	dir := s.Config.DataDir
	env := clientEnv(s, s.MustCreateUser(t, "13800138000", "李雷"))
	phone := mustGenerate(t, 11)
	first := mustBackup(t, env, phone)
	want := readPhone(t, phone, false)
	mustCLI(t, nil, "team", "add", "--data", dir, "--name", "销售一部")
	env2 := clientEnv(s, s.MustCreateUser(t, "13900139000", "韩梅梅"))
	phone2 := mustGenerate(t, 12)

	// A backup runs on the server while the CLI rotates.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); mustBackup(t, env2, phone2) }()
	out := mustCLI(t, nil, "key", "rotate", "--data", dir, "--batch", "1")
	wg.Wait()
	if !strings.Contains(out, "added master key version 2") || !strings.Contains(out, "rewrapped 3 data keys under version 2") {
		t.Fatalf("key rotate:\n%s", out)
	}
	wantKeyVersions(t, s, 2)
	wantSamePhone(t, mustRestore(t, env, "latest"), want)
	wantSamePhone(t, mustRestore(t, env2, "latest"), readPhone(t, phone2, false))
	if _, err := genexport.Mutate(phone, 3); err != nil {
		t.Fatal(err)
	}
	mustBackup(t, env, phone)
	wantSamePhone(t, mustRestore(t, env, "latest"), readPhone(t, phone, false))

	// The running server wraps the key of a new account under version 2.
	env3 := clientEnv(s, s.MustCreateUser(t, "13700137000", "王五"))
	phone3 := mustGenerate(t, 13)
	mustBackup(t, env3, phone3)
	wantKeyVersions(t, s, 2)

	out = mustCLI(t, nil, "key", "retire", "--data", dir, "--version", "1")
	if !strings.Contains(out, "retired master key version 1") {
		t.Fatalf("key retire: %s", out)
	}
	if out := mustCLI(t, nil, "key", "status", "--data", dir); out != "version 2: 4 wrapped keys (newest: wraps new keys)\n" {
		t.Fatalf("key status after retiring:\n%s", out)
	}

	s.Close()
	s = MustRunMain(t, dir)
	env, env2, env3 = clientEnv(s, env["BEIFEN_TOKEN"]), clientEnv(s, env2["BEIFEN_TOKEN"]), clientEnv(s, env3["BEIFEN_TOKEN"])
	wantSamePhone(t, mustRestore(t, env, fmt.Sprint(first.Snapshot)), want)
	wantSamePhone(t, mustRestore(t, env, "latest"), readPhone(t, phone, false))
	wantSamePhone(t, mustRestore(t, env2, "latest"), readPhone(t, phone2, false))
	wantSamePhone(t, mustRestore(t, env3, "latest"), readPhone(t, phone3, false))
	if _, err := s.Store.Users.FindUserByPhoneHash(context.Background(), s.Auth.PhoneHash("+8613800138000")); err != nil {
		t.Fatalf("look-up by phone hash after rotation: %v", err)
	}
	if out := mustCLI(t, nil, "audit", "verify", "--data", dir); !strings.Contains(out, " 0 problems") {
		t.Fatalf("audit verify after rotation: %q", out)
	}
	events, err := s.Audit.PlatformEvents(context.Background())
	var actions []string
	for _, e := range events {
		actions = append(actions, e.Action+" "+e.Object)
	}
	if err != nil || !slices.Contains(actions, "key.rotate master:2") || !slices.Contains(actions, "key.retire master:1") {
		t.Fatalf("platform audit log %v, %v; want the rotation and the retirement", actions, err)
	}
	if _, _, err := runCLIErr(nil, "key", "status", "--data", t.TempDir()); beifen.ErrorCode(err) != beifen.EINVALID {
		t.Fatalf("key status without a key file: %v, want EINVALID", err)
	}
}

// TestKeyRotation_ResumesAfterInterruption: a rotation stopped half-way leaves every key
// readable, under one version or the other, and "key rotate" goes on with the same version.
func TestKeyRotation_ResumesAfterInterruption(t *testing.T) {
	s := MustRunMain(t, "")
	env := clientEnv(s, s.MustCreateUser(t, "13800138000", ""))
	phone := mustGenerate(t, 14)
	mustBackup(t, env, phone)
	for i := range 6 {
		s.MustCreateUser(t, fmt.Sprintf("1390013900%d", i), "")
	}
	if _, err := s.Master.AddVersion(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	done, err := s.RewrapKeys(ctx, 2, func() {
		if n++; n == 3 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) || done != 3 {
		t.Fatalf("RewrapKeys=%d, %v; want 3, context canceled", done, err)
	}
	wantSamePhone(t, mustRestore(t, env, "latest"), readPhone(t, phone, false))
	out := mustCLI(t, nil, "key", "status", "--data", s.Config.DataDir)
	if !strings.Contains(out, "version 1: 4 wrapped keys\n") || !strings.Contains(out, "version 2: 3 wrapped keys (newest") {
		t.Fatalf("key status mid-way:\n%s", out)
	}
	out = mustCLI(t, nil, "key", "rotate", "--data", s.Config.DataDir)
	if !strings.Contains(out, "resuming the rotation to version 2: 4 keys left") || !strings.Contains(out, "rewrapped 4 data keys") {
		t.Fatalf("key rotate after an interruption:\n%s", out)
	}
	wantKeyVersions(t, s, 2)
	wantSamePhone(t, mustRestore(t, env, "latest"), readPhone(t, phone, false))
	// Done: running it again is a new rotation, not a repeat of this one.
	if out := mustCLI(t, nil, "key", "rotate", "--data", s.Config.DataDir); !strings.Contains(out, "added master key version 3") {
		t.Fatalf("a second rotation:\n%s", out)
	}
	wantKeyVersions(t, s, 3)
}

// TestKeyRetire_RefusedWhileKeysRemain: a version is not retired while a key uses it, nor the
// newest, nor one not in the key file.
func TestKeyRetire_RefusedWhileKeysRemain(t *testing.T) {
	s := MustRunMain(t, "")
	dir := s.Config.DataDir
	for i := range 3 {
		s.MustCreateUser(t, fmt.Sprintf("1390013900%d", i), "")
	}
	s.Master.AddVersion()
	ctx, cancel := context.WithCancel(context.Background())
	s.RewrapKeys(ctx, 1, cancel)
	for _, c := range []struct{ version, msg string }{
		{"1", "Version 1 still wraps 2 data keys: run beifen key rotate until none does."},
		{"2", "Version 2 is the newest: it wraps new keys."},
		{"7", "Version 7 is not in the key file."},
	} {
		_, _, err := runCLIErr(nil, "key", "retire", "--data", dir, "--version", c.version)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Fatalf("retire --version %s: %v; want %q", c.version, err, c.msg)
		}
	}
	if got := s.Master.Versions(); len(got) != 2 {
		t.Fatalf("Versions=%v, want [1 2]", got)
	}
	mustCLI(t, nil, "key", "rotate", "--data", dir)
	mustCLI(t, nil, "key", "retire", "--data", dir, "--version", "1")
	if _, stderr, err := runCLIErr(nil, "key", "retire", "--data", dir); err == nil || !strings.Contains(stderr, "Usage: beifen key retire") {
		t.Fatalf("retire without --version: %v, stderr %q", err, stderr)
	}
}

// TestKeyRotation_Postgres: a rotation on PostgreSQL, with the key file outside the data folder
// (skipped without BEIFEN_TEST_POSTGRES_DSN).
func TestKeyRotation_Postgres(t *testing.T) {
	dsn := os.Getenv("BEIFEN_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("BEIFEN_TEST_POSTGRES_DSN not set")
	}
	dsn = withSchema(t, dsn)
	key := filepath.Join(t.TempDir(), "master.key")
	s := mustRunOn(t, dsn, key)
	env := clientEnv(s, s.MustCreateUser(t, "13800138000", ""))
	phone := mustGenerate(t, 15)
	mustBackup(t, env, phone)
	cli := map[string]string{"BEIFEN_MASTER_KEY_FILE": key}
	if out := mustCLI(t, cli, "key", "rotate", "--data", t.TempDir(), "--db", dsn); !strings.Contains(out, "rewrapped 1 data keys under version 2") {
		t.Fatalf("key rotate:\n%s", out)
	}
	s.MustCreateUser(t, "13900139000", "")
	wantKeyVersions(t, s, 2)
	mustCLI(t, cli, "key", "retire", "--data", t.TempDir(), "--db", dsn, "--version", "1")
	wantSamePhone(t, mustRestore(t, env, "latest"), readPhone(t, phone, false))
}

// TestKey_Usage: each key command explains itself and its exit status.
func TestKey_Usage(t *testing.T) {
	for _, cmd := range []string{"status", "rotate", "retire"} {
		_, stderr, err := runCLIErr(nil, "key", cmd, "-h")
		if err == nil || !strings.Contains(stderr, "Usage: beifen key "+cmd) || !strings.Contains(stderr, "EXIT STATUS:") {
			t.Fatalf("key %s -h: %v\n%s", cmd, err, stderr)
		}
	}
	if _, stderr, err := runCLIErr(nil, "key"); err == nil || !strings.Contains(stderr, "beifen key rotate") {
		t.Fatalf("key: %v\n%s", err, stderr)
	}
}
