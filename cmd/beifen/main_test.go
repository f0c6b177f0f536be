package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	main "github.com/beifen/beifen/cmd/beifen"
)

// syncBuffer is a log sink tests can read while the server writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Server is a running beifen server for a test.
type Server struct {
	*main.Main
	Log *syncBuffer
	URL string
}

// MustRunMain starts a server on dir (a new temporary folder if "") on a random port, with the
// embedded SQLite, or PostgreSQL when BEIFEN_TEST_POSTGRES_DSN is set and pg is true.
func MustRunMain(tb testing.TB, dir string) *Server {
	tb.Helper()
	return MustRunMainConfig(tb, dir, nil)
}

// MustRunMainConfig is MustRunMain with configure applied to the configuration before start.
func MustRunMainConfig(tb testing.TB, dir string, configure func(*main.Config)) *Server {
	tb.Helper()
	if dir == "" {
		dir = tb.TempDir()
	}
	m := main.NewMain()
	m.Config.DataDir = dir
	m.Config.Addr = "127.0.0.1:0"
	if configure != nil {
		configure(&m.Config)
	}
	log := &syncBuffer{}
	m.Logger = slog.New(slog.NewTextHandler(log, nil))
	if err := m.Run(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { m.Close() })
	return &Server{Main: m, Log: log, URL: m.HTTPServer.URL()}
}

// MustCreateUser creates an account and returns its API token.
func (s *Server) MustCreateUser(tb testing.TB, phone, name string) string {
	tb.Helper()
	_, tok, err := s.Auth.CreateUser(context.Background(), phone, name)
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

// runCLI runs the beifen command line in-process and returns its stdout.
func runCLI(tb testing.TB, env map[string]string, args ...string) (string, error) {
	tb.Helper()
	var stdout, stderr bytes.Buffer
	err := main.Run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
	if err != nil {
		tb.Logf("beifen %s: stderr: %s", args[0], stderr.String())
	}
	return stdout.String(), err
}

// mustCLI runs the command line and fails the test on error.
func mustCLI(tb testing.TB, env map[string]string, args ...string) string {
	tb.Helper()
	out, err := runCLI(tb, env, args...)
	if err != nil {
		tb.Fatalf("beifen %s: %v", strings.Join(args, " "), err)
	}
	return out
}

// lastJSON decodes the last line of out into v.
func lastJSON(tb testing.TB, out string, v any) {
	tb.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), v); err != nil {
		tb.Fatalf("last line %q: %v", lines[len(lines)-1], err)
	}
}

func clientEnv(s *Server, token string) map[string]string {
	return map[string]string{"BEIFEN_SERVER": s.URL, "BEIFEN_TOKEN": token}
}

var _ = io.Discard
var _ = filepath.Join
