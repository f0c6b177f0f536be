package storetest

import (
	"context"
	"fmt"
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
	t.Run("Many", func(t *testing.T) {
		// More sources than one statement holds, and a hash twice in one call: the last wins.
		s := open(t)
		_, uctx := MustCreateUser(t, ctx, s)
		var srcs []*beifen.Source
		for i := 0; i < 250; i++ {
			srcs = append(srcs, &beifen.Source{Hash: []byte(fmt.Sprint("h", i)), Records: []byte(fmt.Sprint("r", i))})
		}
		srcs = append(srcs, &beifen.Source{Hash: []byte("h7"), Records: []byte("again"), Skipped: 1})
		if err := s.Sources.PutSources(uctx, srcs); err != nil {
			t.Fatal(err)
		}
		got, err := s.Sources.FindSource(uctx, []byte("h7"))
		if err != nil || string(got.Records) != "again" || got.Skipped != 1 {
			t.Fatalf("FindSource=%+v, %v; want the last of its hash", got, err)
		}
		if got, err := s.Sources.FindSource(uctx, []byte("h249")); err != nil || string(got.Records) != "r249" {
			t.Fatalf("FindSource=%+v, %v", got, err)
		}
	})
	t.Run("Delete", func(t *testing.T) {
		s := open(t)
		_, uctx := MustCreateUser(t, ctx, s)
		_, other := MustCreateUser(t, ctx, s)
		for _, c := range []context.Context{uctx, other} {
			if err := s.Sources.PutSources(c, []*beifen.Source{{Hash: []byte("h"), Records: []byte("x")}}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Sources.DeleteSources(uctx); err != nil {
			t.Fatal(err)
		}
		_, err := s.Sources.FindSource(uctx, []byte("h"))
		wantError(t, err, beifen.ENOTFOUND, "Source not found.")
		if _, err := s.Sources.FindSource(other, []byte("h")); err != nil {
			t.Fatalf("another user's source went too: %v", err)
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
