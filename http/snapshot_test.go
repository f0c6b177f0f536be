package http_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/beifen/beifen"
	beifenhttp "github.com/beifen/beifen/http"
	"github.com/beifen/beifen/mock"
)

// holdSnapshots makes the backup mock hold snapshots with these IDs, newest first.
func holdSnapshots(s *Server, ids ...int64) {
	s.BackupService.FindSnapshotsFn = func(ctx context.Context, f beifen.SnapshotFilter) ([]*beifen.Snapshot, int, error) {
		var snaps []*beifen.Snapshot
		for _, id := range ids {
			snaps = append(snaps, &beifen.Snapshot{ID: id})
		}
		if f.Limit > 0 && len(snaps) > f.Limit {
			snaps = snaps[:f.Limit]
		}
		return snaps, len(ids), nil
	}
	s.BackupService.FindSnapshotByIDFn = func(ctx context.Context, id int64) (*beifen.Snapshot, error) {
		for _, x := range ids {
			if x == id {
				return &beifen.Snapshot{ID: id, Contacts: 3}, nil
			}
		}
		return nil, beifen.Errorf(beifen.ENOTFOUND, "Snapshot not found.")
	}
}

func TestSnapshotView_Latest(t *testing.T) {
	s := MustOpenServer(t)
	holdSnapshots(s, 9, 8, 5)
	var filters []beifen.SnapshotFilter
	find := s.BackupService.FindSnapshotsFn
	s.BackupService.FindSnapshotsFn = func(ctx context.Context, f beifen.SnapshotFilter) ([]*beifen.Snapshot, int, error) {
		filters = append(filters, f)
		return find(ctx, f)
	}
	sn, err := s.Client(Token).FindSnapshot(context.Background(), "latest")
	if err != nil {
		t.Fatal(err)
	}
	if sn.ID != 9 || sn.Contacts != 3 {
		t.Fatalf("snapshot=%+v, want ID 9 with 3 contacts", sn)
	}
	if want := []beifen.SnapshotFilter{{Limit: 1}}; fmt.Sprint(filters) != fmt.Sprint(want) {
		t.Fatalf("FindSnapshots filters=%+v, want %+v", filters, want)
	}
}

func TestSnapshotDiff_Latest(t *testing.T) {
	s := MustOpenServer(t)
	holdSnapshots(s, 9, 8, 5)
	s.BackupService.DiffSnapshotsFn = func(ctx context.Context, a, b int64) (*beifen.SnapshotDiff, error) {
		if a != 5 || b != 9 {
			t.Errorf("DiffSnapshots(%d, %d), want (5, 9)", a, b)
		}
		return &beifen.SnapshotDiff{Calls: beifen.DiffCount{Added: 2}}, nil
	}
	resp, body := s.Do(t, Request{Method: "GET", Path: "/api/v1/snapshots/5/diff/latest", Token: Token})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("StatusCode=%d, want 200 (body %s)", resp.StatusCode, body)
	}
	var d beifen.SnapshotDiff
	if err := json.Unmarshal(body, &d); err != nil || d.Calls.Added != 2 {
		t.Fatalf("diff=%s, err=%v, want 2 calls added", body, err)
	}
}

// TestSnapshot_NotFound covers the ways a snapshot reference finds nothing, on every route that
// takes one.
func TestSnapshot_NotFound(t *testing.T) {
	routes := []string{"", "/diff/1", "/contacts.vcf", "/sms.xml", "/calls.xml", "/files"}
	tests := []struct {
		name string
		ids  []int64 // snapshots held
		ref  string
		msg  string
	}{
		{"NoSnapshots", nil, "latest", "There are no snapshots yet."},
		{"NotNumeric", []int64{1}, "abc", "Snapshot not found."},
		{"Zero", []int64{1}, "0", "Snapshot not found."},
		{"Negative", []int64{1}, "-1", "Snapshot not found."},
		{"Overflow", []int64{1}, "99999999999999999999", "Snapshot not found."},
		{"Missing", []int64{1}, "2", "Snapshot not found."},
	}
	for _, tt := range tests {
		for _, rt := range routes {
			if tt.name == "Missing" && (rt == "/diff/1" || rt == "/files") {
				continue // the service, not the handler, checks these
			}
			t.Run(tt.name+rt, func(t *testing.T) {
				s := MustOpenServer(t)
				holdSnapshots(s, tt.ids...)
				// Set no other functions: nothing may be exported or listed.
				resp, body := s.Do(t, Request{Method: "GET", Path: "/api/v1/snapshots/" + tt.ref + rt, Token: Token})
				AssertError(t, resp, body, http.StatusNotFound, beifen.ENOTFOUND, tt.msg)
			})
		}
	}
}

// exportFunc is the signature of the export methods.
type exportFunc = func(ctx context.Context, id int64, w io.Writer) error

// exports are the export routes, with the mock function each calls and the Client method.
var exports = []struct {
	name  string
	ctype string
	fn    func(b *mock.BackupService) *exportFunc
	call  func(c *beifenhttp.Client, ctx context.Context, id int64, w io.Writer) error
}{
	{"contacts.vcf", "text/vcard; charset=utf-8",
		func(b *mock.BackupService) *exportFunc { return &b.ExportContactsFn }, (*beifenhttp.Client).ExportContacts},
	{"sms.xml", "application/xml; charset=utf-8",
		func(b *mock.BackupService) *exportFunc { return &b.ExportMessagesFn }, (*beifenhttp.Client).ExportMessages},
	{"calls.xml", "application/xml; charset=utf-8",
		func(b *mock.BackupService) *exportFunc { return &b.ExportCallsFn }, (*beifenhttp.Client).ExportCalls},
}

func TestExport(t *testing.T) {
	for _, ex := range exports {
		t.Run(ex.name, func(t *testing.T) {
			s := MustOpenServer(t)
			holdSnapshots(s, 9, 8)
			data := strings.Repeat("<sms body=\"x\"/>\n", 10000) // more than one chunk
			wantID := int64(9)
			*ex.fn(&s.BackupService) = func(ctx context.Context, id int64, w io.Writer) error {
				if id != wantID {
					t.Errorf("export of %d, want %d", id, wantID)
				}
				_, err := io.WriteString(w, data)
				return err
			}
			resp, body := s.Do(t, Request{Method: "GET", Path: "/api/v1/snapshots/latest/" + ex.name, Token: Token})
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("StatusCode=%d, want 200 (body %.100s)", resp.StatusCode, body)
			}
			if string(body) != data {
				t.Fatalf("body is %d bytes, want the mock's %d", len(body), len(data))
			}
			if got := resp.Header.Get("Content-Type"); got != ex.ctype {
				t.Errorf("Content-Type=%q, want %q", got, ex.ctype)
			}
			if got := resp.Trailer.Get(beifenhttp.CompleteTrailer); got != "1" {
				t.Errorf("trailer %s=%q, want 1", beifenhttp.CompleteTrailer, got)
			}

			var buf strings.Builder
			wantID = 8
			if err := ex.call(s.Client(Token), context.Background(), 8, &buf); err != nil {
				t.Fatalf("client export: %v", err)
			}
			if buf.String() != data {
				t.Fatalf("client export is %d bytes, want %d", buf.Len(), len(data))
			}
		})
	}
}

func TestExport_Fails(t *testing.T) {
	for _, ex := range exports {
		t.Run(ex.name, func(t *testing.T) {
			s := MustOpenServer(t)
			holdSnapshots(s, 9)
			*ex.fn(&s.BackupService) = func(ctx context.Context, id int64, w io.Writer) error {
				io.WriteString(w, "<smses>\n")
				return fmt.Errorf("open blob: %w", errors.New("checksum mismatch"))
			}
			resp, body := s.Do(t, Request{Method: "GET", Path: "/api/v1/snapshots/9/" + ex.name, Token: Token})
			if string(body) != "<smses>\n" {
				t.Errorf("body=%q, want what was written before the failure", body)
			}
			if got := resp.Trailer.Get(beifenhttp.CompleteTrailer); got != "" {
				t.Errorf("trailer %s=%q, want none", beifenhttp.CompleteTrailer, got)
			}
			s.WaitLog(t, "open blob: checksum mismatch")

			var buf strings.Builder
			if err := ex.call(s.Client(Token), context.Background(), 9, &buf); err == nil {
				t.Fatal("client export of a cut stream: err=nil, want an error")
			}
		})
	}
}

func TestExport_ClientNotFound(t *testing.T) {
	s := MustOpenServer(t)
	holdSnapshots(s, 9)
	for _, ex := range exports {
		err := ex.call(s.Client(Token), context.Background(), 4, io.Discard)
		AssertAppError(t, err, beifen.ENOTFOUND, "Snapshot not found.")
	}
}

func TestSnapshotList_BadQuery(t *testing.T) {
	s := MustOpenServer(t) // the backup mock has no functions: the service must not be called
	for _, q := range []string{"id=x", "offset=1e3", "limit="} {
		name := strings.SplitN(q, "=", 2)[0]
		resp, body := s.Do(t, Request{Method: "GET", Path: "/api/v1/snapshots?" + q, Token: Token})
		AssertError(t, resp, body, http.StatusBadRequest, beifen.EINVALID, "Query parameter "+name+" must be a number.")
	}
}
