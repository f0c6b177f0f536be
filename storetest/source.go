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
		if err := s.Sources.PutSources(uctx, []*beifen.Source{src}); err != nil {
			t.Fatal(err)
		}
		src.Records = []byte("list2")
		other := &beifen.Source{Hash: []byte("h2"), Records: []byte("x")}
		if err := s.Sources.PutSources(uctx, []*beifen.Source{src, other}); err != nil {
			t.Fatal(err)
		}
		got, err := s.Sources.FindSource(uctx, []byte("h"))
		if err != nil || string(got.Records) != "list2" || got.Skipped != 2 {
			t.Fatalf("FindSource=%+v, %v", got, err)
		}
		found, err := s.Sources.FindSources(uctx, [][]byte{[]byte("h2"), []byte("nope"), []byte("h")})
		if err != nil || len(found) != 2 {
			t.Fatalf("FindSources found %d, %v; want 2", len(found), err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		_, uctx := MustCreateUser(t, ctx, s)
		_, other := MustCreateUser(t, ctx, s)
		if err := s.Sources.PutSources(uctx, []*beifen.Source{{Hash: []byte("h"), Records: []byte("x")}}); err != nil {
			t.Fatal(err)
		}
		_, err := s.Sources.FindSource(other, []byte("h"))
		wantError(t, err, beifen.ENOTFOUND, "Source not found.")
		if found, err := s.Sources.FindSources(other, [][]byte{[]byte("h")}); err != nil || len(found) != 0 {
			t.Fatalf("another user finds %d sources, %v", len(found), err)
		}
	})
}
