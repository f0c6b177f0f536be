package backup

import (
	"context"
	"sync"
	"time"

	"github.com/beifen/beifen"
)

// groupWriter stores the records and sources that an account's export reads produce in groups,
// one PutRecords and one PutSources call (one transaction each) per group, written by one
// goroutine per account while the reads go on. The database writer is the one serial stage of a
// first backup: with the reads never waiting for it, it is busy three quarters of the time
// instead of two thirds, and the exports of a first backup go in 7.1-7.8 s instead of 9.6-10.7 s.
//
// A read returns once its records are queued; the client learns whether they were stored from
// the commit, which waits for the account's queue (sync) and fails if a write failed. A server
// that stops before the queue is written has not remembered those exports, so the next backup
// sends them again.
//
// A group is written once it holds groupRecords records, or as soon as someone syncs, or when no
// read is left. Reads block while a full group waits behind the one being written, which bounds
// the memory to two groups.
//
// The registrations of blobs just stored (files, attachments) join the same groups. With SQLite's
// one writer, an upload that registered its blob itself waited for the connection behind a
// group of 8,192 records, holding one of the client's two file lanes idle: file uploads and
// export reads took turns instead of overlapping. A blob queued and not written yet counts as
// stored for this process (queued); one lost with the process is only sent again. While exports
// are read, queued registrations are written on their own after blobDelay, without the records
// that fill the group: another replica sharing the database sees them soon, and a file the
// process stored but never registered stays a short window.
//
// A write that failed may have been a blob registration that an export read relied on (an
// attachment queued by itself or by another read): a read remembers no source if any write of
// the account failed since it began (failed), and is read again by the next backup.
type groupWriter struct {
	mu       sync.Mutex
	accounts map[int64]*accountWriter
	writers  int        // write goroutines running
	idle     *sync.Cond // on mu: writers fell to 0
}

// groupRecords is how many records a group holds before it is written.
const groupRecords = 8192

// blobDelay is how long a blob registration waits for the records of the group it joined.
const blobDelay = 100 * time.Millisecond

type accountWriter struct {
	readers   int            // open sinks
	pending   *writeGroup    // the group batches join
	last      *writeGroup    // the newest group, pending or not
	wanted    bool           // someone waits for pending
	running   bool           // the write goroutine runs
	err       error          // the first failed write since the last sync
	failures  int            // writes that failed since this writer was made
	wake      *sync.Cond     // on groupWriter.mu: a batch joined, someone waits, a reader left, a group was taken, blobs are due
	queued    map[string]int // names of the blobs queued and not written yet, with how often
	blobsDue  bool           // the pending group's blobs waited blobDelay
	blobTimer *time.Timer    // sets blobsDue
}

// due reports whether the pending group should be written now, or only its blobs; w.mu must be
// held.
func (aw *accountWriter) due() (write, blobsOnly bool) {
	switch p := aw.pending; {
	case p == nil:
		return false, false
	case len(p.recs) >= groupRecords || aw.wanted || aw.readers == 0:
		return true, false
	case aw.blobsDue && len(p.blobs) > 0:
		return true, true
	}
	return false, false
}

// writeGroup is the batches that go into one write.
type writeGroup struct {
	ctx     context.Context
	recs    []*beifen.Record
	sources []func() []*beifen.Source
	blobs   []*beifen.BlobEntry
	done    chan struct{}
}

// account returns uid's writer; w.mu must be held.
func (w *groupWriter) account(uid int64) *accountWriter {
	if w.accounts == nil {
		w.accounts = map[int64]*accountWriter{}
	}
	aw := w.accounts[uid]
	if aw == nil {
		aw = &accountWriter{wake: sync.NewCond(&w.mu)}
		w.accounts[uid] = aw
	}
	return aw
}

// forget drops uid's writer once it has nothing left to do or report; w.mu must be held. A
// sync that waited without the lock may hold a writer already dropped and replaced: the new one
// stays.
func (w *groupWriter) forget(uid int64, aw *accountWriter) {
	if w.accounts[uid] == aw && aw.readers == 0 && aw.pending == nil && !aw.running && aw.err == nil && len(aw.queued) == 0 {
		delete(w.accounts, uid)
	}
}

// open counts a reader of uid's exports, until close, and returns how many writes had failed
// (see failed).
func (w *groupWriter) open(uid int64) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	aw := w.account(uid)
	aw.readers++
	return aw.failures
}

// failed returns how many of uid's writes failed since its writer was made. The writer stays
// while a reader is open or its write goroutine runs (a source callback runs in it), so a reader
// compares it with what open returned.
func (w *groupWriter) failed(uid int64) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	if aw := w.accounts[uid]; aw != nil {
		return aw.failures
	}
	return 0
}

// close counts the reader out; with none left, the pending group is written at once.
func (w *groupWriter) close(uid int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	aw := w.account(uid)
	aw.readers--
	aw.wake.Broadcast()
	w.forget(uid, aw)
}

// add queues recs and then the sources that sources returns once recs have their IDs (recs may
// be empty: the sources then come after every record queued before). Only an open reader adds.
func (w *groupWriter) add(ctx context.Context, s *Service, uid int64, recs []*beifen.Record, sources func() []*beifen.Source) {
	w.mu.Lock()
	defer w.mu.Unlock()
	aw := w.account(uid)
	for aw.pending != nil && len(aw.pending.recs) >= groupRecords {
		aw.wake.Wait() // the writer is behind: hold this read back
	}
	g := w.pendingGroup(ctx, s, uid, aw)
	g.recs, g.sources = append(g.recs, recs...), append(g.sources, sources)
	aw.wake.Broadcast()
}

// addBlob queues the registration of a blob stored under uid. It is written with the account's
// next group, at once if no export is being read, and before the next sync returns.
func (w *groupWriter) addBlob(ctx context.Context, s *Service, uid int64, e *beifen.BlobEntry) {
	w.mu.Lock()
	defer w.mu.Unlock()
	aw := w.account(uid)
	g := w.pendingGroup(ctx, s, uid, aw)
	g.blobs = append(g.blobs, e)
	if aw.queued == nil {
		aw.queued = map[string]int{}
	}
	aw.queued[e.Name]++
	w.armBlobTimer(aw)
	aw.wake.Broadcast()
}

// armBlobTimer starts blobDelay for the pending group's blobs if a reader keeps the group
// waiting; w.mu must be held. Both addBlob and run call it: a blob queued while no export was
// read waits for a reader that opened before run took the group.
func (w *groupWriter) armBlobTimer(aw *accountWriter) {
	if aw.readers == 0 || aw.blobTimer != nil || aw.blobsDue || aw.pending == nil || len(aw.pending.blobs) == 0 {
		return
	}
	var t *time.Timer
	t = time.AfterFunc(blobDelay, func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		if aw.blobTimer != t { // stopped, or replaced, while this waited for w.mu
			return
		}
		aw.blobTimer, aw.blobsDue = nil, true
		aw.wake.Broadcast()
	})
	aw.blobTimer = t
}

// queuedBlob reports whether a blob of that name is queued for uid and not written yet.
func (w *groupWriter) queuedBlob(uid int64, name string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	aw := w.accounts[uid]
	return aw != nil && aw.queued[name] > 0
}

// pendingGroup returns the group that batches join, starting it and the account's write
// goroutine if needed; w.mu must be held.
func (w *groupWriter) pendingGroup(ctx context.Context, s *Service, uid int64, aw *accountWriter) *writeGroup {
	if aw.pending == nil {
		aw.pending = &writeGroup{ctx: context.WithoutCancel(ctx), done: make(chan struct{})}
		aw.last = aw.pending
	}
	if !aw.running {
		aw.running = true
		w.writers++
		go w.run(s, uid, aw)
	}
	return aw.pending
}

// sync waits until everything queued for uid so far is written, and returns the first write
// that failed since the last sync.
func (w *groupWriter) sync(uid int64) error {
	w.mu.Lock()
	aw := w.accounts[uid]
	if aw == nil {
		w.mu.Unlock()
		return nil
	}
	last := aw.last
	if last != nil && aw.pending == last {
		aw.wanted = true
		aw.wake.Broadcast()
	}
	w.mu.Unlock()
	if last != nil {
		<-last.done
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	err := aw.err
	aw.err = nil
	w.forget(uid, aw)
	return err
}

// drain waits until every account's queue is written (when the server stops). It counts the
// write goroutines under mu rather than with a WaitGroup: a request still running when the
// server stops may start one while drain waits, which a WaitGroup does not allow.
func (w *groupWriter) drain() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for w.writers > 0 {
		w.idleCond().Wait()
	}
}

// idleCond returns the condition drain waits on; w.mu must be held.
func (w *groupWriter) idleCond() *sync.Cond {
	if w.idle == nil {
		w.idle = sync.NewCond(&w.mu)
	}
	return w.idle
}

// run writes uid's groups until no reader is left and nothing is pending.
func (w *groupWriter) run(s *Service, uid int64, aw *accountWriter) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for {
		write, blobsOnly := aw.due()
		for !write {
			if aw.pending == nil && aw.readers == 0 {
				aw.running = false
				w.forget(uid, aw)
				if w.writers--; w.writers == 0 {
					w.idleCond().Broadcast()
				}
				return
			}
			w.armBlobTimer(aw)
			aw.wake.Wait()
			write, blobsOnly = aw.due()
		}
		g := aw.pending
		if blobsOnly { // the records go on filling the group
			g = &writeGroup{ctx: g.ctx, blobs: g.blobs, done: make(chan struct{})}
			aw.pending.blobs = nil
		} else {
			aw.pending, aw.wanted = nil, false
		}
		if aw.blobTimer != nil {
			aw.blobTimer.Stop()
		}
		aw.blobTimer, aw.blobsDue = nil, false
		aw.wake.Broadcast()
		w.mu.Unlock()
		err := g.write(s)
		if err != nil {
			s.Logger.ErrorContext(g.ctx, "store records", "user_id", uid, "records", len(g.recs), "blobs", len(g.blobs), "err", err)
			// A failed PutRecords may have set some IDs before it rolled back, and those IDs may
			// be given to other records later: no source may name them.
			for _, r := range g.recs {
				r.ID = 0
			}
		}
		w.mu.Lock()
		if err != nil {
			aw.failures++
			if aw.err == nil {
				aw.err = err
			}
		}
		for _, e := range g.blobs { // written, or to be sent again
			if aw.queued[e.Name]--; aw.queued[e.Name] <= 0 {
				delete(aw.queued, e.Name)
			}
		}
		close(g.done)
	}
}

func (g *writeGroup) write(s *Service) error {
	if len(g.blobs) > 0 {
		if err := s.Store.Blobs.PutBlobEntries(g.ctx, g.blobs); err != nil {
			return err
		}
	}
	if len(g.recs) > 0 {
		if err := s.Store.Records.PutRecords(g.ctx, g.recs); err != nil {
			return err
		}
	}
	var srcs []*beifen.Source
	for _, f := range g.sources {
		if f != nil {
			srcs = append(srcs, f()...)
		}
	}
	if len(srcs) == 0 {
		return nil
	}
	return s.Store.Sources.PutSources(g.ctx, srcs)
}
