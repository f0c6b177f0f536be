package backup

import (
	"context"
	"sync"
	"time"

	"github.com/beifen/beifen"
)

// groupWriter stores the record batches of an account's concurrent export reads together: a
// backup sends several chunks of its exports at once, and their batches go in as one PutRecords
// and one PutSources call (one transaction each). The records' version index has random keys,
// so each transaction rewrites most of its pages whatever its size.
//
// A group is written once every open reader of the account has a batch in it (none can join
// without waiting for its own), or after maxGroupWait: a reader may be busy with an attachment.
type groupWriter struct {
	mu       sync.Mutex
	accounts map[int64]*accountWriter
}

// maxGroupWait bounds how long a batch waits for the other readers' batches.
const maxGroupWait = 50 * time.Millisecond

type accountWriter struct {
	readers int           // open sinks
	pending *writeGroup   // the group batches join
	changed chan struct{} // closed when a batch joins or a reader closes
	writing sync.Mutex    // held while a group is written
}

// writeGroup is the batches that go into one write.
type writeGroup struct {
	recs    []*beifen.Record
	sources []func() []*beifen.Source
	done    chan struct{}
	err     error
}

// account returns uid's writer; w.mu must be held.
func (w *groupWriter) account(uid int64) *accountWriter {
	if w.accounts == nil {
		w.accounts = map[int64]*accountWriter{}
	}
	aw := w.accounts[uid]
	if aw == nil {
		aw = &accountWriter{changed: make(chan struct{})}
		w.accounts[uid] = aw
	}
	return aw
}

// open counts a reader of uid's exports, until close.
func (w *groupWriter) open(uid int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.account(uid).readers++
}

// close counts the reader out. The account's writer is dropped with its last reader (all of
// whose writes are done by then).
func (w *groupWriter) close(uid int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	aw := w.account(uid)
	aw.readers--
	aw.signal()
	if aw.readers == 0 {
		delete(w.accounts, uid)
	}
}

func (aw *accountWriter) signal() {
	close(aw.changed)
	aw.changed = make(chan struct{})
}

// put stores recs and then the sources that sources returns once recs have their IDs. It
// returns when both are stored, with the group's error. Only an open reader puts.
func (w *groupWriter) put(ctx context.Context, s *Service, uid int64, recs []*beifen.Record, sources func() []*beifen.Source) error {
	w.mu.Lock()
	aw := w.account(uid)
	g, leader := aw.pending, false
	if g == nil {
		g, leader = &writeGroup{done: make(chan struct{})}, true
		aw.pending = g
	}
	g.recs, g.sources = append(g.recs, recs...), append(g.sources, sources)
	aw.signal()
	w.mu.Unlock()
	if !leader {
		<-g.done
		return g.err
	}
	aw.writing.Lock() // batches arriving while the previous group is written join this one
	w.gather(aw, g)
	// The group outlives the leader's request if it is cancelled: the other members wait on it.
	g.err = g.write(context.WithoutCancel(ctx), s)
	aw.writing.Unlock()
	close(g.done)
	return g.err
}

// gather waits until every open reader has a batch in g, or maxGroupWait, and closes g to
// newcomers.
func (w *groupWriter) gather(aw *accountWriter, g *writeGroup) {
	timeout := time.NewTimer(maxGroupWait)
	defer timeout.Stop()
	w.mu.Lock()
	defer w.mu.Unlock()
	for len(g.sources) < aw.readers {
		changed := aw.changed
		w.mu.Unlock()
		select {
		case <-changed:
		case <-timeout.C:
			w.mu.Lock()
			aw.pending = nil
			return
		}
		w.mu.Lock()
	}
	aw.pending = nil
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
