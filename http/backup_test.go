package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/beifen/beifen"
	beifenhttp "github.com/beifen/beifen/http"
)

func TestUploadPart(t *testing.T) {
	s := MustOpenServer(t)
	s.BackupService.UploadPartFn = func(ctx context.Context, hash beifen.BlobKey, size int64, n int, name string, r io.Reader) (*beifen.UploadResult, error) {
		body, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		if hash != hashA || size != 5 || n != 0 || name != recordingName || string(body) != "hello" {
			t.Errorf("UploadPart(%s, %d, %d, %q, %q), want (%s, 5, 0, %q, hello)", hash, size, n, name, body, hashA, recordingName)
		}
		if id := beifen.UserIDFromContext(ctx); id != Alice.ID {
			t.Errorf("user=%d, want %d", id, Alice.ID)
		}
		return &beifen.UploadResult{Hash: hash, Complete: true, Format: beifen.FormatFile}, nil
	}
	resp, body := s.Do(t, Request{Method: "PUT", Path: "/api/v1/uploads/" + hashA + "?size=5&part=0", Token: Token,
		Body: strings.NewReader("hello"), Header: http.Header{beifenhttp.NameHeader: {url.PathEscape(recordingName)}}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("StatusCode=%d, want 200 (body %s)", resp.StatusCode, body)
	}
	var got beifen.UploadResult
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if got.Hash != hashA || !got.Complete || got.Format != beifen.FormatFile {
		t.Fatalf("result=%s, want complete %s as file", body, hashA)
	}
}

// zeros yields zero bytes forever without allocating.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestUploadPart_Size checks the limit at UploadPartSize, which MaxBytesReader enforces on what
// the service reads.
func TestUploadPart_Size(t *testing.T) {
	tests := []struct {
		name   string
		size   int64
		status int
		read   int64 // what the service could read
	}{
		{"Limit", beifen.UploadPartSize, http.StatusOK, beifen.UploadPartSize},
		{"OverLimit", beifen.UploadPartSize + 1, http.StatusRequestEntityTooLarge, beifen.UploadPartSize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustOpenServer(t)
			var read int64
			s.BackupService.UploadPartFn = func(ctx context.Context, hash beifen.BlobKey, size int64, n int, name string, r io.Reader) (*beifen.UploadResult, error) {
				var err error
				if read, err = io.Copy(io.Discard, r); err != nil {
					return nil, fmt.Errorf("read part: %w", err)
				}
				return &beifen.UploadResult{Hash: hash}, nil
			}
			path := fmt.Sprintf("/api/v1/uploads/%s?size=%d&part=0", hashA, tt.size)
			resp, body := s.Do(t, Request{Method: "PUT", Path: path, Token: Token, Body: io.LimitReader(zeros{}, tt.size)})
			if tt.status == http.StatusOK {
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("StatusCode=%d, want 200 (body %s)", resp.StatusCode, body)
				}
			} else {
				AssertError(t, resp, body, tt.status, beifen.ETOOLARGE, "Request body too large.")
			}
			if read != tt.read {
				t.Fatalf("read %d bytes, want %d", read, tt.read)
			}
			if log := s.WaitLog(t, "msg=http"); strings.Contains(log, "level=ERROR") {
				t.Fatalf("logged as an error:\n%s", log)
			}
		})
	}
}

func TestUpload_BadQuery(t *testing.T) {
	tests := []struct {
		name, method, query, msg string
	}{
		{"PartNoSize", "PUT", "?part=0", "Query parameter size must be a number."},
		{"PartBadSize", "PUT", "?size=5kB&part=0", "Query parameter size must be a number."},
		{"PartNoPart", "PUT", "?size=5", "Query parameter part must be a number."},
		{"PartBadPart", "PUT", "?size=5&part=first", "Query parameter part must be a number."},
		{"PartsNoSize", "GET", "", "Query parameter size must be a number."},
		{"PartsBadSize", "GET", "?size=-", "Query parameter size must be a number."},
	}
	s := MustOpenServer(t) // the backup mock has no functions: the service must not be called
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := s.Do(t, Request{Method: tt.method, Path: "/api/v1/uploads/" + hashA + tt.query, Token: Token,
				Body: strings.NewReader("hello")})
			AssertError(t, resp, body, http.StatusBadRequest, beifen.EINVALID, tt.msg)
		})
	}
}

// content is a 100-byte file.
var content = []byte(strings.Repeat("0123456789", 10))

// serveContent makes the backup mock hold content under hashA and records the offsets OpenFile
// is asked for.
func serveContent(t *testing.T, s *Server) *[]int64 {
	var offsets []int64
	s.BackupService.StatFileFn = func(ctx context.Context, hash beifen.BlobKey) (int64, error) {
		if hash != hashA {
			return 0, beifen.Errorf(beifen.ENOTFOUND, "File not found.")
		}
		return int64(len(content)), nil
	}
	s.BackupService.OpenFileFn = func(ctx context.Context, hash beifen.BlobKey, offset, length int64) (io.ReadCloser, error) {
		if hash != hashA {
			t.Errorf("OpenFile(%s), want %s", hash, hashA)
		}
		if id := beifen.UserIDFromContext(ctx); id != Alice.ID {
			t.Errorf("user=%d, want %d", id, Alice.ID)
		}
		offsets = append(offsets, offset)
		end := int64(len(content))
		if length >= 0 {
			end = offset + length
		}
		return io.NopCloser(bytes.NewReader(content[offset:end])), nil
	}
	return &offsets
}

func TestFileContent(t *testing.T) {
	tests := []struct {
		name         string
		method       string
		rangeHdr     string
		status       int
		body         []byte
		contentRange string
		offsets      []int64 // OpenFile was asked for
	}{
		{"Whole", "GET", "", 200, content, "", []int64{0}},
		{"Range", "GET", "bytes=10-19", 206, content[10:20], "bytes 10-19/100", []int64{10}},
		{"OpenRange", "GET", "bytes=95-", 206, content[95:], "bytes 95-99/100", []int64{95}},
		{"Suffix", "GET", "bytes=-3", 206, content[97:], "bytes 97-99/100", []int64{97}},
		{"Head", "HEAD", "", 200, []byte{}, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustOpenServer(t)
			offsets := serveContent(t, s)
			hdr := http.Header{}
			if tt.rangeHdr != "" {
				hdr.Set("Range", tt.rangeHdr)
			}
			resp, body := s.Do(t, Request{Method: tt.method, Path: "/api/v1/files/" + hashA, Token: Token, Header: hdr})
			if resp.StatusCode != tt.status {
				t.Fatalf("StatusCode=%d, want %d (body %s)", resp.StatusCode, tt.status, body)
			}
			if !bytes.Equal(body, tt.body) {
				t.Errorf("body=%q, want %q", body, tt.body)
			}
			wantLen := strconv.Itoa(len(tt.body))
			if tt.method == "HEAD" {
				wantLen = strconv.Itoa(len(content))
			}
			if got := resp.Header.Get("Content-Length"); got != wantLen {
				t.Errorf("Content-Length=%q, want %q", got, wantLen)
			}
			if got := resp.Header.Get("Content-Range"); got != tt.contentRange {
				t.Errorf("Content-Range=%q, want %q", got, tt.contentRange)
			}
			if got, want := resp.Header.Get("Cache-Control"), "private, no-store"; got != want {
				t.Errorf("Cache-Control=%q, want %q", got, want)
			}
			if fmt.Sprint(*offsets) != fmt.Sprint(tt.offsets) {
				t.Errorf("OpenFile offsets=%v, want %v", *offsets, tt.offsets)
			}
		})
	}
}

func TestFileContent_NotFound(t *testing.T) {
	s := MustOpenServer(t)
	serveContent(t, s)
	resp, body := s.Do(t, Request{Method: "GET", Path: "/api/v1/files/" + hashB, Token: Token})
	AssertError(t, resp, body, http.StatusNotFound, beifen.ENOTFOUND, "File not found.")
}
