package blobtest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

// NewStoreFunc returns a new, empty store for one test; cleanup is registered on tb.
type NewStoreFunc = func(tb testing.TB) beifen.BlobStore

// Run runs the conformance suite, one subtest per behaviour, against stores from newStore. Each
// subtest asks for a fresh store. Stores that implement beifen.BlobRangeOpener also have their
// ranges checked.
func Run(t *testing.T, newStore NewStoreFunc) {
	tests := []struct {
		name string
		fn   func(*testing.T, NewStoreFunc)
	}{
		{"NotFound", testNotFound},
		{"PutOpen", testPutOpen},
		{"Stat", testStat},
		{"PutFails", testPutFails},
		{"Overwrite", testOverwrite},
		{"Delete", testDelete},
		{"List", testList},
		{"ListStop", testListStop},
		{"ConcurrentPut", testConcurrentPut},
		{"Range", testRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, newStore) })
	}
}

func testNotFound(t *testing.T, newStore NewStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	key := keyOf([]byte("missing"))
	_, err := s.Open(ctx, key)
	assertNotFound(t, "Open", err)
	_, err = s.Stat(ctx, key)
	assertNotFound(t, "Stat", err)
	assertNotFound(t, "Delete", s.Delete(ctx, key))
	if ro, ok := s.(beifen.BlobRangeOpener); ok {
		_, err := ro.OpenRange(ctx, key, 0, -1)
		assertNotFound(t, "OpenRange", err)
	}
}

func testDelete(t *testing.T, newStore NewStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	gone, kept := randomData(100, 1), randomData(200, 2)
	mustPut(t, s, keyOf(gone), gone)
	mustPut(t, s, keyOf(kept), kept)
	if err := s.Delete(ctx, keyOf(gone)); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	assertGone(t, s, keyOf(gone))
	assertNotFound(t, "Delete again", s.Delete(ctx, keyOf(gone)))
	if got := mustRead(t, s, keyOf(kept)); !bytes.Equal(got, kept) {
		t.Fatalf("other blob after Delete: %s", diff(got, kept))
	}
	assertList(t, s, "", map[string]int64{keyOf(kept): 200})
}

// randomData returns n reproducible pseudo-random bytes; different seeds give different data.
func randomData(n int, seed byte) []byte {
	b := make([]byte, n)
	rand.NewChaCha8([32]byte{seed}).Read(b)
	return b
}

// keyOf returns b's content address, the kind of key stores hold in production.
func keyOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func mustPut(tb testing.TB, s beifen.BlobStore, key string, b []byte) {
	tb.Helper()
	if err := s.Put(tb.Context(), key, bytes.NewReader(b), int64(len(b))); err != nil {
		tb.Fatalf("Put(%s, %d bytes): %v", key, len(b), err)
	}
}

func mustRead(tb testing.TB, s beifen.BlobStore, key string) []byte {
	tb.Helper()
	rc, err := s.Open(tb.Context(), key)
	if err != nil {
		tb.Fatalf("Open(%s): %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		tb.Fatalf("read %s: %v", key, err)
	}
	if err := rc.Close(); err != nil {
		tb.Fatalf("close %s: %v", key, err)
	}
	return b
}

// diff describes how got differs from want without printing megabytes.
func diff(got, want []byte) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return fmt.Sprintf("first difference at byte %d of %d", i, len(want))
		}
	}
	return fmt.Sprintf("got %d bytes, want %d", len(got), len(want))
}

func assertCode(tb testing.TB, op string, err error, code string) {
	tb.Helper()
	if got := beifen.ErrorCode(err); got != code {
		tb.Fatalf("%s: ErrorCode=%q, want %q (err: %v)", op, got, code, err)
	}
}

func assertNotFound(tb testing.TB, op string, err error) {
	tb.Helper()
	assertCode(tb, op, err, beifen.ENOTFOUND)
	if got, want := beifen.ErrorMessage(err), "Blob not found."; got != want {
		tb.Fatalf("%s: ErrorMessage=%q, want %q", op, got, want)
	}
}

// assertGone checks that key is neither stat-able nor openable.
func assertGone(tb testing.TB, s beifen.BlobStore, key string) {
	tb.Helper()
	_, err := s.Stat(tb.Context(), key)
	assertNotFound(tb, "Stat", err)
	_, err = s.Open(tb.Context(), key)
	assertNotFound(tb, "Open", err)
}

// assertList checks that List(prefix) reports exactly the keys of want, with their sizes.
func assertList(tb testing.TB, s beifen.BlobStore, prefix string, want map[string]int64) {
	tb.Helper()
	got := map[string]int64{}
	err := s.List(tb.Context(), prefix, func(info beifen.BlobInfo) error {
		if _, dup := got[info.Key]; dup {
			tb.Errorf("List(%q) reported %s twice", prefix, info.Key)
		}
		if d := time.Since(info.ModTime).Abs(); info.ModTime.IsZero() || d > time.Hour {
			tb.Errorf("List(%q): %s ModTime=%v, want about now", prefix, info.Key, info.ModTime)
		}
		got[info.Key] = info.Size
		return nil
	})
	if err != nil {
		tb.Fatalf("List(%q): %v", prefix, err)
	}
	if !maps.Equal(got, want) {
		tb.Fatalf("List(%q)=%v, want %v", prefix, sorted(got), sorted(want))
	}
}

func sorted(m map[string]int64) []string {
	keys := make([]string, 0, len(m))
	for k, size := range m {
		keys = append(keys, fmt.Sprintf("%s=%d", k, size))
	}
	slices.Sort(keys)
	return keys
}
