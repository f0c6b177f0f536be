package backup

import (
	"context"
	"sync"

	"github.com/beifen/beifen"
)

// groupWriter stores the record batches of an account's concurrent export reads together: a
// backup sends several chunks of its exports at once, and while one batch is being written the
// others queue up and then go in as one PutRecords and one PutSources call. Each call is one
// transaction, so the records' version index (random keys) is rewritten once per group instead
// of once per batch.
type groupWriter struct {
	mu      sync.Mutex
	pending map[int64]*writeGroup // the open group of each account
	writing map[int64]*sync.Mutex // held while an account's group is written
}

// writeGroup is the batches that go into one write.
type writeGroup struct {
	recs    []*beifen.Record
	sources []func() []*beifen.Source
	done    chan struct{}
	err     error
}

// put stores recs and then the sources that sources returns once recs have their IDs. It
// returns when both are stored, with the group's error.
func (w *groupWriter) put(ctx context.Context, s *Service, uid int64, recs []*beifen.Record, sources func() []*beifen.Source) error {
	w.mu.Lock()
	if w.pending == nil {
		w.pending, w.writing = map[int64]*writeGroup{}, map[int64]*sync.Mutex{}
	}
	g, leader := w.pending[uid], false
	if g == nil {
		g, leader = &writeGroup{done: make(chan struct{})}, true
		w.pending[uid] = g
	}
	g.recs, g.sources = append(g.recs, recs...), append(g.sources, sources)
	lock := w.writing[uid]
	if lock == nil {
		lock = &sync.Mutex{}
		w.writing[uid] = lock
	}
	w.mu.Unlock()
	if !leader {
		<-g.done
		return g.err
	}
	// Batches arriving while the previous group is written join this one.
	lock.Lock()
	w.mu.Lock()
	delete(w.pending, uid)
	w.mu.Unlock()
	// The group outlives the leader's request if it is cancelled: the other members wait on it.
	g.err = g.write(context.WithoutCancel(ctx), s)
	lock.Unlock()
	close(g.done)
	return g.err
}

func (g *writeGroup) write(ctx context.Context, s *Service) error {
	if err := s.Store.Records.PutRecords(ctx, g.recs); err != nil {
		return err
	}
	var srcs []*beifen.Source
	for _, f := range g.sources {
		srcs = append(srcs, f()...)
	}
	if len(srcs) == 0 {
		return nil
	}
	return s.Store.Sources.PutSources(ctx, srcs)
}
