package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beifen/beifen"
	beifenhttp "github.com/beifen/beifen/http"
	"github.com/beifen/beifen/mock"
)

// Token is the API token MustOpenServer's AuthService accepts, for Alice.
const Token = "tok-alice"

// Alice is the user Token signs in.
var Alice = &beifen.User{ID: 42, Phone: "+8613612345678", CreatedAt: time.Date(2026, 3, 1, 9, 30, 15, 0, time.UTC)}

// Server is a test wrapper for beifenhttp.Server: a real server on a free port whose services
// are mocks, and whose log goes to a buffer.
type Server struct {
	*beifenhttp.Server

	AuthService   mock.AuthService
	BackupService mock.BackupService

	log syncBuffer
}

// MustOpenServer returns an open Server that accepts Token for Alice; it is closed when the test
// ends.
func MustOpenServer(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{Server: beifenhttp.NewServer()}
	s.Server.Addr = "127.0.0.1:0"
	s.Server.AuthService = &s.AuthService
	s.Server.BackupService = &s.BackupService
	s.Server.Logger = slog.New(slog.NewTextHandler(&s.log, nil))
	s.AuthService.AuthenticateFn = func(ctx context.Context, token string) (*beifen.User, error) {
		if token != Token {
			return nil, beifen.Errorf(beifen.EUNAUTHORIZED, "Invalid token.")
		}
		return Alice, nil
	}
	if err := s.Open(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Error(err)
		}
	})
	return s
}

// Client returns a client of the server signed in with token.
func (s *Server) Client(token string) *beifenhttp.Client {
	return beifenhttp.NewClient(s.URL(), token)
}

// Log returns what the server has logged so far.
func (s *Server) Log() string { return s.log.String() }

// WaitLog waits for the log to contain substr and returns it. The access log line is written
// after the handler returns, which may be just after the client has its response.
func (s *Server) WaitLog(tb testing.TB, substr string) string {
	tb.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if l := s.Log(); strings.Contains(l, substr) {
			return l
		}
	}
	tb.Fatalf("log does not contain %q:\n%s", substr, s.Log())
	return ""
}

// WaitAccessLog waits for the access log line of a request to route and returns the log.
func (s *Server) WaitAccessLog(tb testing.TB, route string) string {
	tb.Helper()
	return s.WaitLog(tb, fmt.Sprintf("msg=http method=%s route=%q", strings.Fields(route)[0], route))
}

// Request describes a raw request to the server.
type Request struct {
	Method string
	Path   string
	Body   io.Reader
	Token  string // bearer token, if not ""
	Header http.Header
}

// Do sends req and returns the response with its whole body (so its trailers are set).
func (s *Server) Do(tb testing.TB, req Request) (*http.Response, []byte) {
	tb.Helper()
	r, err := http.NewRequest(req.Method, s.URL()+req.Path, req.Body)
	if err != nil {
		tb.Fatal(err)
	}
	for k, v := range req.Header {
		r.Header[k] = v
	}
	if req.Token != "" {
		r.Header.Set("Authorization", "Bearer "+req.Token)
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp, body
}

// AssertError checks that a response is the JSON error {msg, code} with status.
func AssertError(tb testing.TB, resp *http.Response, body []byte, status int, code, msg string) {
	tb.Helper()
	if resp.StatusCode != status {
		tb.Errorf("StatusCode=%d, want %d (body %s)", resp.StatusCode, status, body)
	}
	if got, want := resp.Header.Get("Content-Type"), "application/json; charset=utf-8"; got != want {
		tb.Errorf("Content-Type=%q, want %q", got, want)
	}
	var got, want beifenhttp.ErrorResponse
	want = beifenhttp.ErrorResponse{Error: msg, Code: code}
	if err := json.Unmarshal(body, &got); err != nil {
		tb.Fatalf("decode %s: %v", body, err)
	}
	if got != want {
		tb.Errorf("body=%+v, want %+v", got, want)
	}
}

// AssertAppError checks that err is the application error {code, msg}.
func AssertAppError(tb testing.TB, err error, code, msg string) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("err=nil, want %s %q", code, msg)
	}
	if got := beifen.ErrorCode(err); got != code {
		tb.Errorf("ErrorCode=%q, want %q (err %v)", got, code, err)
	}
	if got := beifen.ErrorMessage(err); got != msg {
		tb.Errorf("ErrorMessage=%q, want %q", got, msg)
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines and the test's.
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

func TestServer_Health(t *testing.T) {
	s := MustOpenServer(t)
	resp, body := s.Do(t, Request{Method: "GET", Path: "/healthz"})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("StatusCode=%d, want 200", resp.StatusCode)
	}
	if got, want := strings.TrimSpace(string(body)), `{"status":"ok"}`; got != want {
		t.Fatalf("body=%s, want %s", got, want)
	}
}

// TestServer_Error maps each application code to its status and back through the Client.
func TestServer_Error(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		status  int
		code    string
		msg     string
		logged  bool   // logged as an error
		logWant string // the log holds this, if logged
	}{
		{"Conflict", beifen.Errorf(beifen.ECONFLICT, "Already there."), 409, beifen.ECONFLICT, "Already there.", false, ""},
		{"Invalid", beifen.Errorf(beifen.EINVALID, "Bad input."), 400, beifen.EINVALID, "Bad input.", false, ""},
		{"NotFound", beifen.Errorf(beifen.ENOTFOUND, "Snapshot not found."), 404, beifen.ENOTFOUND, "Snapshot not found.", false, ""},
		{"Unauthorized", beifen.Errorf(beifen.EUNAUTHORIZED, "Sign in again."), 401, beifen.EUNAUTHORIZED, "Sign in again.", false, ""},
		{"Forbidden", beifen.Errorf(beifen.EFORBIDDEN, "Not yours."), 403, beifen.EFORBIDDEN, "Not yours.", false, ""},
		{"TooLarge", beifen.Errorf(beifen.ETOOLARGE, "Too big."), 413, beifen.ETOOLARGE, "Too big.", false, ""},
		{"TooMany", beifen.Errorf(beifen.ETOOMANY, "Slow down."), 429, beifen.ETOOMANY, "Slow down.", false, ""},
		{"Wrapped", fmt.Errorf("find snapshot: %w", beifen.Errorf(beifen.ENOTFOUND, "Gone.")), 404, beifen.ENOTFOUND, "Gone.", false, ""},
		{"AppInternal", beifen.Errorf(beifen.EINTERNAL, "Try later."), 500, beifen.EINTERNAL, "Try later.", true, "Try later."},
		{"Internal", fmt.Errorf("find snapshot: %w", errors.New("disk on fire")), 500, beifen.EINTERNAL, "Internal error.", true, "find snapshot: disk on fire"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustOpenServer(t)
			s.BackupService.FindSnapshotByIDFn = func(ctx context.Context, id int64) (*beifen.Snapshot, error) {
				return nil, tt.err
			}
			resp, body := s.Do(t, Request{Method: "GET", Path: "/api/v1/snapshots/7", Token: Token})
			AssertError(t, resp, body, tt.status, tt.code, tt.msg)

			_, err := s.Client(Token).FindSnapshotByID(context.Background(), 7)
			AssertAppError(t, err, tt.code, tt.msg)

			log := s.WaitAccessLog(t, "GET /api/v1/snapshots/{id}")
			if got := strings.Contains(log, "level=ERROR"); got != tt.logged {
				t.Errorf("logged as error=%v, want %v:\n%s", got, tt.logged, log)
			}
			if tt.logged && !strings.Contains(log, tt.logWant) {
				t.Errorf("log does not hold the cause %q:\n%s", tt.logWant, log)
			}
		})
	}
}

func TestServer_Panic(t *testing.T) {
	s := MustOpenServer(t)
	s.BackupService.FindSnapshotByIDFn = func(ctx context.Context, id int64) (*beifen.Snapshot, error) {
		panic("index out of range")
	}
	resp, body := s.Do(t, Request{Method: "GET", Path: "/api/v1/snapshots/7", Token: Token})
	AssertError(t, resp, body, 500, beifen.EINTERNAL, "Internal error.")
	s.WaitLog(t, "panic: index out of range")
}

func TestErrorStatusCode(t *testing.T) {
	for code, status := range map[string]int{
		beifen.ECONFLICT: 409, beifen.EINVALID: 400, beifen.ENOTFOUND: 404, beifen.EUNAUTHORIZED: 401,
		beifen.EFORBIDDEN: 403, beifen.ETOOLARGE: 413, beifen.ETOOMANY: 429, beifen.EINTERNAL: 500,
		"no_such_code": 500,
	} {
		if got := beifenhttp.ErrorStatusCode(code); got != status {
			t.Errorf("ErrorStatusCode(%q)=%d, want %d", code, got, status)
		}
		if code == "no_such_code" {
			continue
		}
		if got := beifenhttp.FromErrorStatusCode(status); got != code {
			t.Errorf("FromErrorStatusCode(%d)=%q, want %q", status, got, code)
		}
	}
	if got := beifenhttp.FromErrorStatusCode(418); got != beifen.EINTERNAL {
		t.Errorf("FromErrorStatusCode(418)=%q, want %q", got, beifen.EINTERNAL)
	}
}
