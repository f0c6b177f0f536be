package disk_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/blobtest"
	"github.com/beifen/beifen/disk"
)

func TestStore(t *testing.T) {
	blobtest.Run(t, func(tb testing.TB) beifen.BlobStore {
		return disk.NewStore(tb.TempDir())
	})
}

// mustPut puts b under key into s.
func mustPut(tb testing.TB, s *disk.Store, key string, b []byte) {
	tb.Helper()
	if err := s.Put(tb.Context(), key, bytes.NewReader(b), int64(len(b))); err != nil {
		tb.Fatalf("Put(%s): %v", key, err)
	}
}

// files returns the regular files under dir, relative and slash-separated, sorted.
func files(tb testing.TB, dir string) []string {
	tb.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		out = append(out, filepath.ToSlash(rel))
		return err
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		tb.Fatalf("walk: %v", err)
	}
	slices.Sort(out)
	return out
}

func TestLayout(t *testing.T) {
	hash := "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	tests := []struct {
		key, path string
	}{
		{hash, "9f/" + hash},
		{"abcd", "ab/abcd"},
		{"abcde", "ab/abcde"},
		{"abc", "short/abc"},
		{"ab", "short/ab"},
		{"a", "short/a"},
		{".x.y", ".x/.x.y"},
	}
	dir := t.TempDir()
	s := disk.NewStore(dir)
	// All keys go into one store: "ab" and "abcd" must not collide.
	var want []string
	for _, tt := range tests {
		mustPut(t, s, tt.key, []byte(tt.key))
		want = append(want, tt.path)
	}
	slices.Sort(want)
	if got := files(t, dir); !slices.Equal(got, want) {
		t.Fatalf("files=%q, want %q", got, want)
	}
	for _, tt := range tests {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(tt.path)))
		if err != nil || string(got) != tt.key {
			t.Errorf("%s holds %q (err %v), want %q", tt.path, got, err, tt.key)
		}
	}
}

func TestModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "blobs") // created by the store
	s := disk.NewStore(dir)
	mustPut(t, s, "abcdef", []byte("secret"))
	mustPut(t, s, "ab", []byte("secret"))
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = fs.ModeDir | 0o700
		}
		if got := info.Mode(); got != want {
			t.Errorf("%s mode=%v, want %v", path, got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk: %v", err)
	}
}

func TestInvalidKey(t *testing.T) {
	tests := []struct {
		name, key, msg string
	}{
		{"Empty", "", "Blob key required."},
		{"Slash", "ab/cdef", "Blob key is invalid."},
		{"Backslash", `ab\cdef`, "Blob key is invalid."},
		{"Dot", ".", "Blob key is invalid."},
		{"DotDot", "..", "Blob key is invalid."},
		{"ParentPath", "../../etc", "Blob key is invalid."},
		{"InnerDotDot", "abcd..ef", "Blob key is invalid."},
		{"Space", "ab cd", "Blob key is invalid."},
		{"NUL", "abcd\x00", "Blob key is invalid."},
		{"NonASCII", "abcdé", "Blob key is invalid."},
		{"TempLike", "abcd-tmp-123", "Blob key is invalid."},
		{"TooLong", strings.Repeat("a", 201), "Blob key too long."},
	}
	dir := t.TempDir()
	s := disk.NewStore(dir)
	ctx := t.Context()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertInvalid(t, "Put", s.Put(ctx, tt.key, strings.NewReader("x"), 1), tt.msg)
			_, err := s.Open(ctx, tt.key)
			assertInvalid(t, "Open", err, tt.msg)
			_, err = s.OpenRange(ctx, tt.key, 0, -1)
			assertInvalid(t, "OpenRange", err, tt.msg)
			_, err = s.Stat(ctx, tt.key)
			assertInvalid(t, "Stat", err, tt.msg)
			assertInvalid(t, "Delete", s.Delete(ctx, tt.key), tt.msg)
		})
	}
	if got := files(t, filepath.Dir(dir)); len(got) != 0 {
		t.Fatalf("files after invalid Puts=%q, want none", got)
	}
}

func assertInvalid(tb testing.TB, op string, err error, msg string) {
	tb.Helper()
	if got := beifen.ErrorCode(err); got != beifen.EINVALID {
		tb.Fatalf("%s: ErrorCode=%q, want %q (err: %v)", op, got, beifen.EINVALID, err)
	}
	if got := beifen.ErrorMessage(err); got != msg {
		tb.Fatalf("%s: ErrorMessage=%q, want %q", op, got, msg)
	}
}

func TestKeyLimits(t *testing.T) {
	s := disk.NewStore(t.TempDir())
	for _, key := range []string{strings.Repeat("a", 200), "-", "_", ".a", "A.b_c-D"} {
		mustPut(t, s, key, []byte("v"))
		if _, err := s.Stat(t.Context(), key); err != nil {
			t.Errorf("Stat(%q) after Put: %v", key, err)
		}
	}
}

// TestPutFailureRemovesTemp checks on disk, not only through List, that failed Puts leave no
// temporary file.
func TestPutFailureRemovesTemp(t *testing.T) {
	b := bytes.Repeat([]byte("z"), 300_000)
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name string
		put  func(s *disk.Store) error
	}{
		{"Short", func(s *disk.Store) error {
			return s.Put(t.Context(), "abcdef", bytes.NewReader(b[1:]), int64(len(b)))
		}},
		{"Long", func(s *disk.Store) error {
			return s.Put(t.Context(), "abcdef", bytes.NewReader(b), int64(len(b)-1))
		}},
		{"ReaderError", func(s *disk.Store) error {
			r := iotest.TimeoutReader(bytes.NewReader(b))
			return s.Put(t.Context(), "abcdef", r, int64(len(b)))
		}},
		{"Cancelled", func(s *disk.Store) error {
			return s.Put(cancelled, "abcdef", bytes.NewReader(b), int64(len(b)))
		}},
		{"NegativeSize", func(s *disk.Store) error {
			return s.Put(t.Context(), "abcdef", bytes.NewReader(b), -1)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			s := disk.NewStore(dir)
			mustPut(t, s, "abcd", []byte("kept"))
			if err := tt.put(s); err == nil {
				t.Fatal("Put succeeded, want an error")
			}
			if got, want := files(t, dir), []string{"ab/abcd"}; !slices.Equal(got, want) {
				t.Fatalf("files=%q, want %q", got, want)
			}
		})
	}
}

// writeFile creates a file under dir, with its modification time age ago.
func writeFile(tb testing.TB, dir, rel string, age time.Duration) {
	tb.Helper()
	path := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("partial"), 0o600); err != nil {
		tb.Fatal(err)
	}
	mt := time.Now().Add(-age)
	if err := os.Chtimes(path, mt, mt); err != nil {
		tb.Fatal(err)
	}
}

func TestClean(t *testing.T) {
	dir := t.TempDir()
	s := disk.NewStore(dir)
	mustPut(t, s, "abcdef", []byte("blob"))
	mustPut(t, s, "ab", []byte("short"))
	writeFile(t, dir, "ab/abcdef-tmp-111", 2*time.Hour)    // stale
	writeFile(t, dir, "ab/cd/abcdef-tmp-444", 2*time.Hour) // stale, of the old layout
	writeFile(t, dir, "short/ab-tmp-222", 3*time.Hour)     // stale
	writeFile(t, dir, "ab/abcdef-tmp-333", time.Minute)    // an upload still running
	writeFile(t, dir, "ab/abcdxy", 5*time.Hour)            // an old blob, not a temp file
	writeFile(t, dir, "ab/abcd..x-tmp-1", 5*time.Hour)     // not a name Put makes
	writeFile(t, dir, "ab/abcdef-tmp-", 5*time.Hour)       // no random part
	assertKeys(t, s, []string{"ab", "abcdef", "abcdxy"})   // List never shows temporary files

	n, err := s.Clean(time.Hour)
	if err != nil {
		t.Fatalf("Clean: %v", err)
	}
	if n != 3 {
		t.Errorf("Clean removed %d files, want 3", n)
	}
	want := []string{"ab/abcd..x-tmp-1", "ab/abcdef", "ab/abcdef-tmp-", "ab/abcdef-tmp-333", "ab/abcdxy", "short/ab"}
	if got := files(t, dir); !slices.Equal(got, want) {
		t.Fatalf("files after Clean=%q, want %q", got, want)
	}
}

func TestCleanMissingDir(t *testing.T) {
	s := disk.NewStore(filepath.Join(t.TempDir(), "never-written"))
	if n, err := s.Clean(time.Hour); n != 0 || err != nil {
		t.Fatalf("Clean=%d, %v; want 0, nil", n, err)
	}
}

// assertKeys checks that List("") reports exactly want.
func assertKeys(tb testing.TB, s *disk.Store, want []string) {
	tb.Helper()
	var got []string
	err := s.List(tb.Context(), "", func(info beifen.BlobInfo) error {
		got = append(got, info.Key)
		return nil
	})
	if err != nil {
		tb.Fatalf("List: %v", err)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		tb.Fatalf("List=%q, want %q", got, want)
	}
}

// TestListIgnoresStrayFiles checks that only files where their key puts them are blobs.
func TestListIgnoresStrayFiles(t *testing.T) {
	dir := t.TempDir()
	s := disk.NewStore(dir)
	mustPut(t, s, "abcdef", []byte("blob"))
	writeFile(t, dir, "README", 0)          // top level
	writeFile(t, dir, "ab/xyzw", 0)         // wrong folder for its name
	writeFile(t, dir, "ab/cd/xyzw", 0)      // wrong folder for its name, old layout
	writeFile(t, dir, "ab/ef/abcd", 0)      // wrong second-level folder of the old layout
	writeFile(t, dir, "short/abcd", 0)      // long key in the short folder
	writeFile(t, dir, "ab/ab cd", 0)        // not a valid key
	writeFile(t, dir, "ab/cd/ef/abcdef", 0) // too deep
	assertKeys(t, s, []string{"abcdef"})
}

func TestListOddPrefix(t *testing.T) {
	s := disk.NewStore(t.TempDir())
	mustPut(t, s, "abcdef", []byte("blob"))
	for _, prefix := range []string{"..", "../", "ab/", "abcd..", "/", "é"} {
		err := s.List(t.Context(), prefix, func(info beifen.BlobInfo) error {
			t.Errorf("List(%q) reported %s, want nothing", prefix, info.Key)
			return nil
		})
		if err != nil {
			t.Errorf("List(%q): %v", prefix, err)
		}
	}
}

func TestListMissingDir(t *testing.T) {
	s := disk.NewStore(filepath.Join(t.TempDir(), "never-written"))
	assertKeys(t, s, nil)
}

// A blob folder removed behind the store's back (by an operator, say) is made again by the next
// Put, although the store remembers having made it.
func TestPut_FolderRemovedMeanwhile(t *testing.T) {
	dir := t.TempDir()
	s := disk.NewStore(dir)
	ctx := context.Background()
	key := "abcdef0123"
	if err := s.Put(ctx, key, strings.NewReader("one"), 3); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, "ab")); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, key, strings.NewReader("two"), 3); err != nil {
		t.Fatalf("Put after its folder was removed: %v", err)
	}
	rc, err := s.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if b, _ := io.ReadAll(rc); string(b) != "two" {
		t.Fatalf("blob=%q, want two", b)
	}
}

// TestOldLayout checks that blobs of a store written with two levels of fan-out folders (before
// commit 1f59108) are still read, listed and deleted, and that one written again in the new layout
// is listed once and deleted from both.
func TestOldLayout(t *testing.T) {
	dir := t.TempDir()
	s := disk.NewStore(dir)
	ctx := t.Context()
	if err := os.MkdirAll(filepath.Join(dir, "ab", "cd"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"abcdef", "abcdxy"} {
		if err := os.WriteFile(filepath.Join(dir, "ab", "cd", key), []byte("old "+key), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	mustPut(t, s, "abcdxy", []byte("new abcdxy")) // the same content sent again
	mustPut(t, s, "abzzzz", []byte("new abzzzz"))

	for key, want := range map[string]string{"abcdef": "old abcdef", "abcdxy": "new abcdxy", "abzzzz": "new abzzzz"} {
		rc, err := s.Open(ctx, key)
		if err != nil {
			t.Fatalf("Open(%s): %v", key, err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || string(got) != want {
			t.Errorf("Open(%s)=%q, %v; want %q", key, got, err, want)
		}
		if info, err := s.Stat(ctx, key); err != nil || info.Size != int64(len(want)) {
			t.Errorf("Stat(%s)=%+v, %v; want size %d", key, info, err, len(want))
		}
	}
	assertKeys(t, s, []string{"abcdef", "abcdxy", "abzzzz"})
	for _, prefix := range []string{"abcd", "abcdx", "ab", "a"} {
		var got []string
		if err := s.List(ctx, prefix, func(info beifen.BlobInfo) error { got = append(got, info.Key); return nil }); err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		var want []string
		for _, k := range []string{"abcdef", "abcdxy", "abzzzz"} {
			if strings.HasPrefix(k, prefix) {
				want = append(want, k)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("List(%q)=%q, want %q", prefix, got, want)
		}
	}

	for _, key := range []string{"abcdef", "abcdxy"} {
		if err := s.Delete(ctx, key); err != nil {
			t.Fatalf("Delete(%s): %v", key, err)
		}
		if _, err := s.Stat(ctx, key); beifen.ErrorCode(err) != beifen.ENOTFOUND {
			t.Errorf("Stat(%s) after Delete: %v, want ENOTFOUND", key, err)
		}
		if err := s.Delete(ctx, key); beifen.ErrorCode(err) != beifen.ENOTFOUND {
			t.Errorf("second Delete(%s): %v, want ENOTFOUND", key, err)
		}
	}
	if got, want := files(t, dir), []string{"ab/abzzzz"}; !slices.Equal(got, want) {
		t.Fatalf("files=%q, want %q", got, want)
	}
}
