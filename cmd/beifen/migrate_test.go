package main_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	main "github.com/beifen/beifen/cmd/beifen"
)

// A replica started with --no-migrate refuses a database that is behind, naming the command
// that brings it up to date, and starts once "beifen migrate" has run.
func TestServeNoMigrate(t *testing.T) {
	dir := t.TempDir()
	open := func() error {
		m := main.NewMain()
		m.Config.DataDir = dir
		m.Config.Addr = "127.0.0.1:0"
		m.Config.NoMigrate = true
		m.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
		err := m.Run(context.Background())
		m.Close()
		return err
	}
	err := open()
	if err == nil || !strings.Contains(err.Error(), "beifen migrate") {
		t.Fatalf("serve --no-migrate on a new database: err=%v, want one naming beifen migrate", err)
	}
	// The flag and the environment variable both reach the same setting.
	for _, env := range []map[string]string{nil, {"BEIFEN_NO_MIGRATE": "1"}} {
		args := []string{"serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0"}
		if env == nil {
			args = append(args, "--no-migrate")
		}
		// An ended context makes a serve that did start return at once, so a flag that is
		// ignored fails the test instead of hanging it.
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := main.Run(ctx, args, func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "beifen migrate") {
			t.Fatalf("%v env=%v: err=%v, want one naming beifen migrate", args, env, err)
		}
	}
	out := mustCLI(t, nil, "migrate", "--data", dir, "--dry-run")
	if strings.Contains(out, " 0 migrations pending") || !strings.Contains(out, "pending:") {
		t.Fatalf("dry run after the refused start lists nothing pending:\n%s", out)
	}
	if out := mustCLI(t, nil, "migrate", "--data", dir); !strings.Contains(out, "schema up to date") {
		t.Fatalf("migrate: %s", out)
	}
	if out := mustCLI(t, nil, "migrate", "--data", dir, "--dry-run"); !strings.Contains(out, "0 migrations pending") {
		t.Fatalf("dry run after migrate: %s", out)
	}
	if err := open(); err != nil {
		t.Fatalf("serve --no-migrate after migrate: %v", err)
	}
}
