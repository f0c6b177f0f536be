package blobtest

import (
	"errors"
	"strings"
	"testing"

	"github.com/beifen/beifen"
)

func testList(t *testing.T, newStore NewStoreFunc) {
	s := newStore(t)
	hash := keyOf([]byte("listed"))
	all := map[string]int64{}
	// Short keys and keys sharing leading characters catch stores that fan keys out into folders.
	for i, key := range []string{"x", "ab", "abc", "abcd1", "abcd2", "abce", "b0", "b0-1.ext", hash} {
		all[key] = int64(i * 10)
		mustPut(t, s, key, randomData(i*10, byte(i)))
	}
	for _, prefix := range []string{"", "a", "ab", "abc", "abcd", "abcd1", "abcd12", "b", "b0-", "x", "zz", hash[:2], hash[:5], hash} {
		t.Run("Prefix="+prefix, func(t *testing.T) {
			assertList(t, s, prefix, withPrefix(all, prefix))
		})
	}
}

func withPrefix(m map[string]int64, prefix string) map[string]int64 {
	out := map[string]int64{}
	for k, v := range m {
		if strings.HasPrefix(k, prefix) {
			out[k] = v
		}
	}
	return out
}

// testListStop checks that List stops at fn's first error and returns it.
func testListStop(t *testing.T, newStore NewStoreFunc) {
	s := newStore(t)
	for i := range 3 {
		b := randomData(10, byte(i))
		mustPut(t, s, keyOf(b), b)
	}
	errStop := errors.New("blobtest: stop")
	calls := 0
	err := s.List(t.Context(), "", func(beifen.BlobInfo) error {
		calls++
		return errStop
	})
	if !errors.Is(err, errStop) {
		t.Fatalf("List err=%v, want %v", err, errStop)
	}
	if calls != 1 {
		t.Fatalf("fn called %d times, want 1", calls)
	}
}
