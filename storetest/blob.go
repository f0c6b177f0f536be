package storetest

import (
	"context"
	"testing"

	"github.com/beifen/beifen"
)

func testBlob(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		_, uctx := MustCreateUser(t, ctx, s)
		for i := 0; i < 2; i++ { // the second registration changes nothing
			if err := s.Blobs.PutBlobEntry(uctx, &beifen.BlobEntry{Name: "abc", Size: 42}); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.Blobs.FindBlobEntry(uctx, "abc")
		if err != nil || got.Size != 42 || got.SnapshotID != 0 {
			t.Fatalf("FindBlobEntry=%+v, %v", got, err)
		}
		n := 0
		if err := s.Blobs.ScanBlobEntries(uctx, func(*beifen.BlobEntry) error { n++; return nil }); err != nil || n != 1 {
			t.Fatalf("ScanBlobEntries saw %d, %v; want 1", n, err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		_, uctx := MustCreateUser(t, ctx, s)
		_, other := MustCreateUser(t, ctx, s)
		if err := s.Blobs.PutBlobEntry(uctx, &beifen.BlobEntry{Name: "abc", Size: 1}); err != nil {
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
