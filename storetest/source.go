package storetest

import (
	"context"
	"testing"

	"github.com/beifen/beifen"
)

func testSource(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		_, uctx := MustCreateUser(t, ctx, s)
		src := &beifen.Source{Hash: []byte("h"), Records: []byte("list"), Skipped: 2}
		if err := s.Sources.PutSource(uctx, src); err != nil {
			t.Fatal(err)
		}
		src.Records = []byte("list2")
		if err := s.Sources.PutSource(uctx, src); err != nil {
			t.Fatal(err)
		}
		got, err := s.Sources.FindSource(uctx, []byte("h"))
		if err != nil || string(got.Records) != "list2" || got.Skipped != 2 {
			t.Fatalf("FindSource=%+v, %v", got, err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		_, uctx := MustCreateUser(t, ctx, s)
		_, other := MustCreateUser(t, ctx, s)
		if err := s.Sources.PutSource(uctx, &beifen.Source{Hash: []byte("h"), Records: []byte("x")}); err != nil {
			t.Fatal(err)
		}
		_, err := s.Sources.FindSource(other, []byte("h"))
		wantError(t, err, beifen.ENOTFOUND, "Source not found.")
	})
}
