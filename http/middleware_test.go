package http_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/beifen/beifen"
	beifenhttp "github.com/beifen/beifen/http"
)

// A MIUI call recording: its name holds the contact's name and number.
const (
	recordingName = "通话录音@李雷(13612345678)_20260301093015.mp3"
	phoneNumber   = "13612345678"
)

// TestAccessLog_Privacy checks, pocketbase-style, content that must never appear in the log or
// in a response.
func TestAccessLog_Privacy(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(s *Server)
		req       Request
		route     string   // of the access log line
		status    int      // of the response
		notLogged []string // never in the log
		notSent   []string // never in the response body
	}{
		{
			name: "SignIn",
			setup: func(s *Server) {
				s.AuthService.SignInFn = func(ctx context.Context, phone, code, kind string) (*beifen.User, string, error) {
					return &beifen.User{ID: 7}, "tok-new", nil
				}
			},
			req:       Request{Method: "POST", Path: "/api/v1/auth/signin", Body: strings.NewReader(`{"phone":"+86` + phoneNumber + `","code":"314159"}`)},
			route:     "POST /api/v1/auth/signin",
			status:    200,
			notLogged: []string{phoneNumber, "314159", "tok-new"},
		},
		{
			name: "SignInWrongCode",
			setup: func(s *Server) {
				s.AuthService.SignInFn = func(ctx context.Context, phone, code, kind string) (*beifen.User, string, error) {
					return nil, "", beifen.Errorf(beifen.EUNAUTHORIZED, "Wrong or expired code.")
				}
			},
			req:       Request{Method: "POST", Path: "/api/v1/auth/signin", Body: strings.NewReader(`{"phone":"+86` + phoneNumber + `","code":"314159"}`)},
			route:     "POST /api/v1/auth/signin",
			status:    401,
			notLogged: []string{phoneNumber, "314159"},
			notSent:   []string{phoneNumber, "314159"},
		},
		{
			name: "RequestCodeInternal",
			setup: func(s *Server) {
				s.AuthService.RequestCodeFn = func(ctx context.Context, phone string) error {
					return &url.Error{Op: "Post", URL: "https://sms.example/send?to=" + phone, Err: io.ErrUnexpectedEOF}
				}
			},
			req:     Request{Method: "POST", Path: "/api/v1/auth/code", Body: strings.NewReader(`{"phone":"` + phoneNumber + `"}`)},
			route:   "POST /api/v1/auth/code",
			status:  500,
			notSent: []string{phoneNumber},
		},
		{
			name:      "BadJSON",
			req:       Request{Method: "POST", Path: "/api/v1/auth/code", Body: strings.NewReader(`{"phone":"` + phoneNumber + `",`)},
			route:     "POST /api/v1/auth/code",
			status:    400,
			notLogged: []string{phoneNumber},
			notSent:   []string{phoneNumber},
		},
		{
			name: "Upload",
			setup: func(s *Server) {
				s.BackupService.UploadPartFn = func(ctx context.Context, hash beifen.BlobKey, size int64, n int, name string, r io.Reader) (*beifen.UploadResult, error) {
					return &beifen.UploadResult{Hash: hash, Complete: true}, nil
				}
			},
			req: Request{Method: "PUT", Path: "/api/v1/uploads/" + hashA + "?size=5&part=0&from=" + phoneNumber,
				Body: strings.NewReader("hello"), Token: Token,
				Header: http.Header{beifenhttp.NameHeader: {url.PathEscape(recordingName)}}},
			route:  "PUT /api/v1/uploads/{hash}",
			status: 200,
			notLogged: []string{"size=5&part=0", phoneNumber, recordingName, url.PathEscape(recordingName),
				url.QueryEscape(recordingName), "李雷", hashA},
			notSent: []string{phoneNumber, "李雷"},
		},
		{
			name: "UploadRefused",
			setup: func(s *Server) {
				s.BackupService.UploadPartFn = func(ctx context.Context, hash beifen.BlobKey, size int64, n int, name string, r io.Reader) (*beifen.UploadResult, error) {
					return nil, beifen.Errorf(beifen.EINVALID, "The content does not match its hash.")
				}
			},
			req: Request{Method: "PUT", Path: "/api/v1/uploads/" + hashA + "?size=5&part=0",
				Body: strings.NewReader("hello"), Token: Token,
				Header: http.Header{beifenhttp.NameHeader: {url.PathEscape(recordingName)}}},
			route:     "PUT /api/v1/uploads/{hash}",
			status:    400,
			notLogged: []string{"size=5", phoneNumber, url.PathEscape(recordingName), "李雷"},
			notSent:   []string{phoneNumber, "李雷"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustOpenServer(t)
			if tt.setup != nil {
				tt.setup(s)
			}
			resp, body := s.Do(t, tt.req)
			if resp.StatusCode != tt.status {
				t.Fatalf("StatusCode=%d, want %d (body %s)", resp.StatusCode, tt.status, body)
			}
			log := s.WaitAccessLog(t, tt.route)
			for _, s := range tt.notLogged {
				if strings.Contains(log, s) {
					t.Errorf("log contains %q:\n%s", s, log)
				}
			}
			for _, s := range tt.notSent {
				if strings.Contains(string(body), s) {
					t.Errorf("response contains %q: %s", s, body)
				}
			}
		})
	}
}

func TestAccessLog(t *testing.T) {
	s := MustOpenServer(t)
	s.BackupService.FindSnapshotByIDFn = func(ctx context.Context, id int64) (*beifen.Snapshot, error) {
		return &beifen.Snapshot{ID: id}, nil
	}
	resp, body := s.Do(t, Request{Method: "GET", Path: "/api/v1/snapshots/7", Token: Token})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("StatusCode=%d, want 200 (body %s)", resp.StatusCode, body)
	}
	log := s.WaitAccessLog(t, "GET /api/v1/snapshots/{id}")
	want := `msg=http method=GET route="GET /api/v1/snapshots/{id}" status=200 bytes=` + strconv.Itoa(len(body))
	if !strings.Contains(log, want) || !strings.Contains(log, "user_id=42") {
		t.Fatalf("log=%s, want a line with %s ... user_id=42", log, want)
	}
	if strings.Contains(log, "/api/v1/snapshots/7") {
		t.Fatalf("log holds the URL path:\n%s", log)
	}
}
