package backup

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"

	"github.com/beifen/beifen"
)

// fakeRecords numbers records from 1, or fails every PutRecords after setting some IDs, as a
// store that fails in the middle of a transaction may.
type fakeRecords struct {
	beifen.RecordService
	mu     sync.Mutex
	next   int64
	fail   error
	writes int
}

func (f *fakeRecords) PutRecords(ctx context.Context, recs []*beifen.Record) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.writes++
	for i, r := range recs {
		if f.fail != nil && i == len(recs)/2 {
			return f.fail
		}
		f.next++
		r.ID = f.next
	}
	return nil
}

type fakeSources struct {
	beifen.SourceService
	mu   sync.Mutex
	srcs map[string]*beifen.Source
}

func (f *fakeSources) PutSources(ctx context.Context, srcs []*beifen.Source) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, s := range srcs {
		f.srcs[string(s.Hash)] = s
	}
	return nil
}

func newGroupService(fail error) (*Service, *fakeRecords, *fakeSources) {
	recs, srcs := &fakeRecords{fail: fail}, &fakeSources{srcs: map[string]*beifen.Source{}}
	s := &Service{Store: beifen.Store{Records: recs, Sources: srcs}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	return s, recs, srcs
}

// sourceOf returns a sources callback like remember's: no source once a record has no ID.
func sourceOf(hash string, recs []*beifen.Record) func() []*beifen.Source {
	return func() []*beifen.Source {
		for _, r := range recs {
			if r.ID == 0 {
				return nil
			}
		}
		return []*beifen.Source{{Hash: []byte(hash)}}
	}
}

func newRecs(n int) []*beifen.Record {
	recs := make([]*beifen.Record, n)
	for i := range recs {
		recs[i] = &beifen.Record{}
	}
	return recs
}

func TestGroupWriter(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		s, recs, srcs := newGroupService(nil)
		var all []*beifen.Record
		for reader := 0; reader < 3; reader++ {
			s.writer.open(1)
			for b := 0; b < 4; b++ {
				batch := newRecs(1000)
				all = append(all, batch...)
				s.writer.add(ctx, s, 1, batch, sourceOf(string(rune('a'+reader))+string(rune('0'+b)), batch))
			}
		}
		for reader := 0; reader < 3; reader++ {
			s.writer.close(1)
		}
		if err := s.writer.sync(1); err != nil {
			t.Fatal(err)
		}
		for _, r := range all {
			if r.ID == 0 {
				t.Fatal("a record has no ID after sync")
			}
		}
		if len(srcs.srcs) != 12 || recs.writes > 2 {
			t.Fatalf("%d sources in %d writes, want 12 in at most 2", len(srcs.srcs), recs.writes)
		}
		s.WaitWrites()
		if len(s.writer.accounts) != 0 {
			t.Fatalf("%d account writers left", len(s.writer.accounts))
		}
	})
	t.Run("ErrWrite", func(t *testing.T) {
		s, _, srcs := newGroupService(errors.New("disk full"))
		s.writer.open(1)
		batch := newRecs(10)
		s.writer.add(ctx, s, 1, batch, sourceOf("chunk", batch))
		s.writer.close(1)
		if err := s.writer.sync(1); err == nil || err.Error() != "disk full" {
			t.Fatalf("sync=%v, want the failed write", err)
		}
		// A source queued behind the failed group names none of its records.
		s.writer.open(1)
		s.writer.add(ctx, s, 1, nil, sourceOf("file", batch))
		s.writer.close(1)
		if err := s.writer.sync(1); err != nil {
			t.Fatalf("second sync=%v, want the error reported once", err)
		}
		if len(srcs.srcs) != 0 {
			t.Fatalf("sources %v stored after a failed write", srcs.srcs)
		}
		for _, r := range batch {
			if r.ID != 0 {
				t.Fatalf("ID %d kept after a failed write", r.ID)
			}
		}
	})
}
