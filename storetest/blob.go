package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/beifen/beifen"
)

func testBlob(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		_, uctx := MustCreateUser(t, ctx, s)
		// A name twice in one call, and again in a second call, is registered once, with the
		// size it was first given.
		if err := s.Blobs.PutBlobEntries(uctx, []*beifen.BlobEntry{{Name: "abc", Size: 42}, {Name: "abc", Size: 42}}); err != nil {
			t.Fatal(err)
		}
		if err := s.Blobs.PutBlobEntries(uctx, []*beifen.BlobEntry{{Name: "abc", Size: 7}, {Name: "def", Size: 3}}); err != nil {
			t.Fatal(err)
		}
		if err := s.Blobs.PutBlobEntries(uctx, nil); err != nil {
			t.Fatal(err)
		}
		got, err := s.Blobs.FindBlobEntry(uctx, "abc")
		if err != nil || got.Size != 42 || got.SnapshotID != 0 {
			t.Fatalf("FindBlobEntry=%+v, %v", got, err)
		}
		var names []string
		if err := s.Blobs.ScanBlobEntries(uctx, func(e *beifen.BlobEntry) error { names = append(names, e.Name); return nil }); err != nil || !slices.Equal(names, []string{"abc", "def"}) {
			t.Fatalf("ScanBlobEntries saw %q, %v; want abc and def", names, err)
		}
	})
	t.Run("ManyInOneCall", func(t *testing.T) {
		s := open(t)
		_, uctx := MustCreateUser(t, ctx, s)
		var entries []*beifen.BlobEntry
		for i := range 1234 { // more than one statement's worth in the SQL stores
			entries = append(entries, &beifen.BlobEntry{Name: fmt.Sprintf("b%04d", i), Size: int64(i)})
		}
		if err := s.Blobs.PutBlobEntries(uctx, entries); err != nil {
			t.Fatal(err)
		}
		n := 0
		err := s.Blobs.ScanBlobEntries(uctx, func(e *beifen.BlobEntry) error {
			if e.Name != fmt.Sprintf("b%04d", n) || e.Size != int64(n) {
				return fmt.Errorf("entry %d is %+v", n, e)
			}
			n++
			return nil
		})
		if err != nil || n != len(entries) {
			t.Fatalf("ScanBlobEntries saw %d of %d: %v", n, len(entries), err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		_, uctx := MustCreateUser(t, ctx, s)
		_, other := MustCreateUser(t, ctx, s)
		if err := s.Blobs.PutBlobEntries(uctx, []*beifen.BlobEntry{{Name: "abc", Size: 1}}); err != nil {
			t.Fatal(err)
		}
		_, err := s.Blobs.FindBlobEntry(other, "abc")
		wantError(t, err, beifen.ENOTFOUND, "Blob not found.")
		// Another user's delete leaves it; the owner's removes it.
		if err := s.Blobs.DeleteBlobEntries(other, []string{"abc"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Blobs.FindBlobEntry(uctx, "abc"); err != nil {
			t.Fatalf("another user's delete removed a blob entry: %v", err)
		}
		if err := s.Blobs.DeleteBlobEntries(uctx, []string{"abc", "nope"}); err != nil {
			t.Fatal(err)
		}
		_, err = s.Blobs.FindBlobEntry(uctx, "abc")
		wantError(t, err, beifen.ENOTFOUND, "Blob not found.")
	})
}
