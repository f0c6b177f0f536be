package blobtest

import (
	"bytes"
	"io"
	"testing"

	"github.com/beifen/beifen"
)

// testRange checks OpenRange of stores that implement beifen.BlobRangeOpener.
func testRange(t *testing.T, newStore NewStoreFunc) {
	s := newStore(t)
	ro, ok := s.(beifen.BlobRangeOpener)
	if !ok {
		t.Skip("store does not implement beifen.BlobRangeOpener")
	}
	const size = 100_000
	b := randomData(size, 9)
	key := keyOf(b)
	mustPut(t, s, key, b)
	mustPut(t, s, "empty", nil)
	tests := []struct {
		name           string
		key            string
		offset, length int64
		want           []byte
	}{
		{"Start", key, 0, 10, b[:10]},
		{"Middle", key, 40_000, 5000, b[40_000:45_000]},
		{"End", key, size - 10, 10, b[size-10:]},
		{"ToEnd", key, 99_000, -1, b[99_000:]},
		{"Whole", key, 0, -1, b},
		{"ZeroLength", key, 123, 0, nil},
		{"AtEnd", key, size, -1, nil},
		{"PastEnd", key, size - 5, 100, b[size-5:]},
		{"EmptyBlob", "empty", 0, -1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readRange(t, ro, tt.key, tt.offset, tt.length)
			if !bytes.Equal(got, tt.want) {
				t.Fatalf("OpenRange(%d, %d): %s", tt.offset, tt.length, diff(got, tt.want))
			}
		})
	}
	t.Run("BeyondEnd", func(t *testing.T) {
		_, err := ro.OpenRange(t.Context(), key, size+1, -1)
		assertCode(t, "OpenRange", err, beifen.EINVALID)
	})
	t.Run("NegativeOffset", func(t *testing.T) {
		_, err := ro.OpenRange(t.Context(), key, -1, 10)
		assertCode(t, "OpenRange", err, beifen.EINVALID)
	})
}

func readRange(tb testing.TB, ro beifen.BlobRangeOpener, key string, offset, length int64) []byte {
	tb.Helper()
	rc, err := ro.OpenRange(tb.Context(), key, offset, length)
	if err != nil {
		tb.Fatalf("OpenRange(%d, %d): %v", offset, length, err)
	}
	defer rc.Close()
	got, err := io.ReadAll(rc)
	if err != nil {
		tb.Fatalf("read range: %v", err)
	}
	if err := rc.Close(); err != nil {
		tb.Fatalf("close range: %v", err)
	}
	return got
}
