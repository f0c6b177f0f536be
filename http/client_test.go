package http_test

import (
	"bytes"
	"context"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

// TestClient round-trips every method of beifen.BackupService: the mock on the server checks
// the arguments (and that Alice is signed in), the test checks the results.
func TestClient(t *testing.T) {
	ctx := context.Background()
	when := time.Date(2026, 3, 1, 9, 30, 15, 0, time.UTC)

	// signedIn checks that the context carries Alice.
	signedIn := func(t *testing.T, ctx context.Context) {
		t.Helper()
		if id := beifen.UserIDFromContext(ctx); id != Alice.ID {
			t.Errorf("user=%d, want %d", id, Alice.ID)
		}
	}

	t.Run("MissingFiles", func(t *testing.T) {
		s := MustOpenServer(t)
		s.BackupService.MissingFilesFn = func(ctx context.Context, hashes []beifen.BlobKey) ([]beifen.BlobKey, error) {
			signedIn(t, ctx)
			if want := []beifen.BlobKey{hashA, hashB}; !reflect.DeepEqual(hashes, want) {
				t.Errorf("hashes=%v, want %v", hashes, want)
			}
			return []beifen.BlobKey{hashB}, nil
		}
		got, err := s.Client(Token).MissingFiles(ctx, []beifen.BlobKey{hashA, hashB})
		if want := []beifen.BlobKey{hashB}; err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("MissingFiles=%v, %v, want %v", got, err, want)
		}
	})

	t.Run("UploadedParts", func(t *testing.T) {
		s := MustOpenServer(t)
		s.BackupService.UploadedPartsFn = func(ctx context.Context, hash beifen.BlobKey, size int64) ([]int, error) {
			signedIn(t, ctx)
			if hash != hashA || size != 3*beifen.UploadPartSize {
				t.Errorf("UploadedParts(%s, %d), want (%s, %d)", hash, size, hashA, 3*beifen.UploadPartSize)
			}
			return []int{0, 2}, nil
		}
		got, err := s.Client(Token).UploadedParts(ctx, hashA, 3*beifen.UploadPartSize)
		if want := []int{0, 2}; err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("UploadedParts=%v, %v, want %v", got, err, want)
		}
	})

	t.Run("UploadedPartsNone", func(t *testing.T) {
		s := MustOpenServer(t)
		s.BackupService.UploadedPartsFn = func(ctx context.Context, hash beifen.BlobKey, size int64) ([]int, error) {
			return nil, nil
		}
		got, err := s.Client(Token).UploadedParts(ctx, hashA, 10)
		if err != nil || len(got) != 0 {
			t.Fatalf("UploadedParts=%v, %v, want none", got, err)
		}
	})

	t.Run("UploadPart", func(t *testing.T) {
		s := MustOpenServer(t)
		size := int64(beifen.UploadPartSize + 5)
		want := &beifen.UploadResult{Hash: hashA, Complete: true, Format: beifen.FormatSBRMessages, Items: 12, Skipped: 1,
			Errors: []*beifen.ParseError{{File: recordingName, Line: 3, Reason: "bad date"}}}
		s.BackupService.UploadPartFn = func(ctx context.Context, hash beifen.BlobKey, sz int64, n int, name string, r io.Reader) (*beifen.UploadResult, error) {
			signedIn(t, ctx)
			body, err := io.ReadAll(r)
			if err != nil {
				return nil, err
			}
			if hash != hashA || sz != size || n != 1 || name != recordingName || string(body) != "tail!" {
				t.Errorf("UploadPart(%s, %d, %d, %q, %q), want (%s, %d, 1, %q, tail!)", hash, sz, n, name, body, hashA, size, recordingName)
			}
			return want, nil
		}
		got, err := s.Client(Token).UploadPart(ctx, hashA, size, 1, recordingName, strings.NewReader("tail!"))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("UploadPart=%+v, %v, want %+v", got, err, want)
		}
	})

	t.Run("CommitBackup", func(t *testing.T) {
		s := MustOpenServer(t)
		files := []*beifen.File{
			{Path: "sms-20260301.xml", Size: 5, Hash: hashA, ModTime: when},
			{Path: "Recordings/" + recordingName, Size: 5, Hash: hashB},
		}
		want := &beifen.Snapshot{ID: 3, CreatedAt: when, Contacts: 1, Messages: 2, Calls: 3, Files: 1, Bytes: 10,
			NewBlobs: 2, NewBytes: 10, Skipped: 1}
		s.BackupService.CommitBackupFn = func(ctx context.Context, got []*beifen.File) (*beifen.Snapshot, error) {
			signedIn(t, ctx)
			if !reflect.DeepEqual(got, files) {
				t.Errorf("files=%+v, want %+v", got, files)
			}
			return want, nil
		}
		got, err := s.Client(Token).CommitBackup(ctx, files)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("CommitBackup=%+v, %v, want %+v", got, err, want)
		}
	})

	t.Run("FindSnapshots", func(t *testing.T) {
		s := MustOpenServer(t)
		want := []*beifen.Snapshot{{ID: 9, CreatedAt: when, Messages: 4}, {ID: 8, CreatedAt: when.Add(-time.Hour)}}
		s.BackupService.FindSnapshotsFn = func(ctx context.Context, f beifen.SnapshotFilter) ([]*beifen.Snapshot, int, error) {
			signedIn(t, ctx)
			if f.ID != nil || f.Offset != 0 || f.Limit != 0 {
				t.Errorf("filter=%+v, want none", f)
			}
			return want, 2, nil
		}
		got, n, err := s.Client(Token).FindSnapshots(ctx, beifen.SnapshotFilter{})
		if err != nil || n != 2 || !reflect.DeepEqual(got, want) {
			t.Fatalf("FindSnapshots=%+v, %d, %v, want %+v, 2", got, n, err, want)
		}
	})

	t.Run("FindSnapshotByID", func(t *testing.T) {
		s := MustOpenServer(t)
		want := &beifen.Snapshot{ID: 8, CreatedAt: when, Files: 2, Bytes: 1 << 40}
		s.BackupService.FindSnapshotByIDFn = func(ctx context.Context, id int64) (*beifen.Snapshot, error) {
			signedIn(t, ctx)
			if id != 8 {
				t.Errorf("id=%d, want 8", id)
			}
			return want, nil
		}
		got, err := s.Client(Token).FindSnapshotByID(ctx, 8)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("FindSnapshotByID=%+v, %v, want %+v", got, err, want)
		}
	})

	t.Run("DiffSnapshots", func(t *testing.T) {
		s := MustOpenServer(t)
		want := &beifen.SnapshotDiff{Contacts: beifen.DiffCount{Added: 1, Removed: 2, Changed: 3},
			Messages: beifen.DiffCount{Added: 4}, Calls: beifen.DiffCount{Removed: 5}, Files: beifen.DiffCount{Changed: 6}}
		s.BackupService.DiffSnapshotsFn = func(ctx context.Context, a, b int64) (*beifen.SnapshotDiff, error) {
			signedIn(t, ctx)
			if a != 3 || b != 8 {
				t.Errorf("DiffSnapshots(%d, %d), want (3, 8)", a, b)
			}
			return want, nil
		}
		got, err := s.Client(Token).DiffSnapshots(ctx, 3, 8)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("DiffSnapshots=%+v, %v, want %+v", got, err, want)
		}
	})

	t.Run("SnapshotFiles", func(t *testing.T) {
		s := MustOpenServer(t)
		want := []*beifen.File{{Path: "DCIM/1.jpg", Size: 5, Hash: hashA, ModTime: when}, {Path: recordingName, Size: 7, Hash: hashB}}
		s.BackupService.SnapshotFilesFn = func(ctx context.Context, id int64) ([]*beifen.File, error) {
			signedIn(t, ctx)
			if id != 8 {
				t.Errorf("id=%d, want 8", id)
			}
			return want, nil
		}
		got, err := s.Client(Token).SnapshotFiles(ctx, 8)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("SnapshotFiles=%+v, %v, want %+v", got, err, want)
		}
	})

	t.Run("StatFile", func(t *testing.T) {
		s := MustOpenServer(t)
		offsets := serveContent(t, s)
		got, err := s.Client(Token).StatFile(ctx, hashA)
		if err != nil || got != int64(len(content)) {
			t.Fatalf("StatFile=%d, %v, want %d", got, err, len(content))
		}
		if len(*offsets) != 0 {
			t.Fatalf("StatFile opened the file at %v", *offsets)
		}
	})

	t.Run("OpenFile", func(t *testing.T) {
		tests := []struct {
			name           string
			offset, length int64
			want           []byte
		}{
			{"Whole", 0, -1, content},
			{"Range", 10, 10, content[10:20]},
			{"Tail", 90, -1, content[90:]},
			{"Head", 0, 4, content[:4]},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s := MustOpenServer(t)
				offsets := serveContent(t, s)
				rc, err := s.Client(Token).OpenFile(ctx, hashA, tt.offset, tt.length)
				if err != nil {
					t.Fatal(err)
				}
				defer rc.Close()
				got, err := io.ReadAll(rc)
				if err != nil || !bytes.Equal(got, tt.want) {
					t.Fatalf("OpenFile read %q, %v, want %q", got, err, tt.want)
				}
				if want := []int64{tt.offset}; !reflect.DeepEqual(*offsets, want) {
					t.Fatalf("OpenFile offsets=%v, want %v", *offsets, want)
				}
			})
		}
	})
}

// TestClient_Errors checks that each method maps an error status back to the code and message
// the service returned.
func TestClient_Errors(t *testing.T) {
	ctx := context.Background()
	fail := beifen.Errorf(beifen.EFORBIDDEN, "Not allowed.")
	s := MustOpenServer(t)
	b := &s.BackupService
	b.MissingFilesFn = func(context.Context, []beifen.BlobKey) ([]beifen.BlobKey, error) { return nil, fail }
	b.UploadedPartsFn = func(context.Context, beifen.BlobKey, int64) ([]int, error) { return nil, fail }
	b.UploadPartFn = func(context.Context, beifen.BlobKey, int64, int, string, io.Reader) (*beifen.UploadResult, error) {
		return nil, fail
	}
	b.CommitBackupFn = func(context.Context, []*beifen.File) (*beifen.Snapshot, error) { return nil, fail }
	b.FindSnapshotsFn = func(context.Context, beifen.SnapshotFilter) ([]*beifen.Snapshot, int, error) { return nil, 0, fail }
	b.FindSnapshotByIDFn = func(context.Context, int64) (*beifen.Snapshot, error) { return nil, fail }
	b.DiffSnapshotsFn = func(context.Context, int64, int64) (*beifen.SnapshotDiff, error) { return nil, fail }
	b.SnapshotFilesFn = func(context.Context, int64) ([]*beifen.File, error) { return nil, fail }
	b.StatFileFn = func(context.Context, beifen.BlobKey) (int64, error) { return 0, fail }

	c := s.Client(Token)
	tests := []struct {
		name string
		call func() error
	}{
		{"MissingFiles", func() error { _, err := c.MissingFiles(ctx, []beifen.BlobKey{hashA}); return err }},
		{"UploadedParts", func() error { _, err := c.UploadedParts(ctx, hashA, 5); return err }},
		{"UploadPart", func() error {
			_, err := c.UploadPart(ctx, hashA, 5, 0, "a", strings.NewReader("hello"))
			return err
		}},
		{"CommitBackup", func() error { _, err := c.CommitBackup(ctx, nil); return err }},
		{"FindSnapshots", func() error { _, _, err := c.FindSnapshots(ctx, beifen.SnapshotFilter{}); return err }},
		{"FindSnapshotByID", func() error { _, err := c.FindSnapshotByID(ctx, 1); return err }},
		{"DiffSnapshots", func() error { _, err := c.DiffSnapshots(ctx, 1, 2); return err }},
		{"ExportContacts", func() error { return c.ExportContacts(ctx, 1, io.Discard) }},
		{"ExportMessages", func() error { return c.ExportMessages(ctx, 1, io.Discard) }},
		{"ExportCalls", func() error { return c.ExportCalls(ctx, 1, io.Discard) }},
		{"SnapshotFiles", func() error { _, err := c.SnapshotFiles(ctx, 1); return err }},
		{"OpenFile", func() error { _, err := c.OpenFile(ctx, hashA, 0, -1); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			AssertAppError(t, tt.call(), beifen.EFORBIDDEN, "Not allowed.")
		})
	}
}

func TestClient_Unauthorized(t *testing.T) {
	s := MustOpenServer(t)
	_, _, err := s.Client("").FindSnapshots(context.Background(), beifen.SnapshotFilter{})
	AssertAppError(t, err, beifen.EUNAUTHORIZED, "You must be signed in.")
	_, _, err = s.Client("expired").FindSnapshots(context.Background(), beifen.SnapshotFilter{})
	AssertAppError(t, err, beifen.EUNAUTHORIZED, "Invalid token.")
}

// A HEAD response has no body to carry the message: the status still gives the code.
func TestClient_StatFileNotFound(t *testing.T) {
	s := MustOpenServer(t)
	serveContent(t, s)
	_, err := s.Client(Token).StatFile(context.Background(), hashB)
	AssertAppError(t, err, beifen.ENOTFOUND, "Not Found.")
}

func TestClient_FindSnapshotsFilter(t *testing.T) {
	s := MustOpenServer(t)
	id := int64(8)
	want := beifen.SnapshotFilter{ID: &id, Offset: 20, Limit: 10}
	s.BackupService.FindSnapshotsFn = func(ctx context.Context, f beifen.SnapshotFilter) ([]*beifen.Snapshot, int, error) {
		if f.ID == nil || *f.ID != *want.ID || f.Offset != want.Offset || f.Limit != want.Limit {
			t.Errorf("filter=%+v, want ID 8, offset 20, limit 10", f)
		}
		return nil, 0, nil
	}
	if _, _, err := s.Client(Token).FindSnapshots(context.Background(), want); err != nil {
		t.Fatal(err)
	}
}
