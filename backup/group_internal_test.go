package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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

// fakeBlobs registers blob entries, or fails while fail is set.
type fakeBlobs struct {
	beifen.BlobEntryService
	mu      sync.Mutex
	fail    error
	entries map[string]int64
}

func (f *fakeBlobs) PutBlobEntries(ctx context.Context, entries []*beifen.BlobEntry) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return f.fail
	}
	for _, e := range entries {
		f.entries[e.Name] = e.Size
	}
	return nil
}

func (f *fakeBlobs) registered(name string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.entries[name]
	return ok
}

func newGroupService(fail error) (*Service, *fakeRecords, *fakeSources) {
	recs, srcs := &fakeRecords{fail: fail}, &fakeSources{srcs: map[string]*beifen.Source{}}
	blobs := &fakeBlobs{entries: map[string]int64{}}
	s := &Service{Store: beifen.Store{Records: recs, Sources: srcs, Blobs: blobs}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
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

// waitUntil polls cond until it holds, failing the test if it does not within d.
func waitUntil(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(d); !cond(); time.Sleep(d / 200) {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", d, what)
		}
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
	t.Run("Blobs", func(t *testing.T) {
		s, recs, _ := newGroupService(nil)
		blobs := s.Store.Blobs.(*fakeBlobs)
		// While an export is read, a blob's registration waits for the group (at most blobDelay),
		// and the blob counts as stored meanwhile.
		s.writer.open(1)
		s.writer.add(ctx, s, 1, newRecs(10), nil)
		s.writer.addBlob(ctx, s, 1, &beifen.BlobEntry{Name: "file", Size: 3})
		if !s.writer.queuedBlob(1, "file") || s.writer.queuedBlob(2, "file") || s.writer.queuedBlob(1, "other") {
			t.Fatal("queuedBlob does not tell the queued blob of account 1 from the rest")
		}
		if blobs.registered("file") {
			t.Fatal("the blob was registered before its group was written")
		}
		if err := s.writer.sync(1); err != nil {
			t.Fatal(err)
		}
		if !blobs.registered("file") || s.writer.queuedBlob(1, "file") || recs.writes != 1 {
			t.Fatalf("after sync: registered %v, still queued %v, %d record writes; want true, false, 1",
				blobs.registered("file"), s.writer.queuedBlob(1, "file"), recs.writes)
		}
		s.writer.close(1)
		// With no export being read, it is registered at once, without a sync.
		s.writer.addBlob(ctx, s, 1, &beifen.BlobEntry{Name: "alone", Size: 1})
		s.WaitWrites()
		if !blobs.registered("alone") || len(s.writer.accounts) != 0 {
			t.Fatalf("registered %v with %d account writers left; want true and none", blobs.registered("alone"), len(s.writer.accounts))
		}
	})
	t.Run("ErrBlobs", func(t *testing.T) {
		s, _, _ := newGroupService(nil)
		blobs := s.Store.Blobs.(*fakeBlobs)
		blobs.fail = errors.New("disk full")
		s.writer.addBlob(ctx, s, 1, &beifen.BlobEntry{Name: "file", Size: 3})
		if err := s.writer.sync(1); err == nil || err.Error() != "disk full" {
			t.Fatalf("sync=%v, want the failed registration", err)
		}
		// Not registered, so no longer counted as stored: the client is told to send it again.
		if s.writer.queuedBlob(1, "file") {
			t.Fatal("a blob whose registration failed still counts as stored")
		}
	})
	t.Run("BlobsAloneAfterDelay", func(t *testing.T) {
		s, recs, _ := newGroupService(nil)
		blobs := s.Store.Blobs.(*fakeBlobs)
		// An export is being read and its group is far from full: the registration is written
		// on its own after blobDelay, and the records keep waiting for their group.
		s.writer.open(1)
		s.writer.add(ctx, s, 1, newRecs(10), nil)
		s.writer.addBlob(ctx, s, 1, &beifen.BlobEntry{Name: "file", Size: 3})
		waitUntil(t, 10*blobDelay, "the blob registered while an export was read", func() bool { return blobs.registered("file") })
		if s.writer.queuedBlob(1, "file") {
			t.Fatal("a registered blob still counts as queued")
		}
		recs.mu.Lock()
		writes := recs.writes
		recs.mu.Unlock()
		if writes != 0 {
			t.Fatalf("%d record writes; the records should wait for their group", writes)
		}
		s.writer.close(1)
		if err := s.writer.sync(1); err != nil {
			t.Fatal(err)
		}
		if recs.writes != 1 {
			t.Fatalf("%d record writes after sync, want 1", recs.writes)
		}
	})
	t.Run("SameBlobTwice", func(t *testing.T) {
		s, _, _ := newGroupService(nil)
		blobs := s.Store.Blobs.(*fakeBlobs)
		blobs.fail = errors.New("disk full")
		s.writer.open(1)
		s.writer.addBlob(ctx, s, 1, &beifen.BlobEntry{Name: "file", Size: 3})
		if err := s.writer.sync(1); err == nil {
			t.Fatal("sync succeeded, want the failed registration")
		}
		blobs.mu.Lock()
		blobs.fail = nil
		blobs.mu.Unlock()
		// Queued twice (two reads found the same attachment): it counts as queued until the
		// last of the two is written.
		s.writer.add(ctx, s, 1, newRecs(1), nil)
		s.writer.addBlob(ctx, s, 1, &beifen.BlobEntry{Name: "twice", Size: 1})
		s.writer.addBlob(ctx, s, 1, &beifen.BlobEntry{Name: "twice", Size: 1})
		if !s.writer.queuedBlob(1, "twice") {
			t.Fatal("not queued")
		}
		if err := s.writer.sync(1); err != nil {
			t.Fatal(err)
		}
		if s.writer.queuedBlob(1, "twice") || !blobs.registered("twice") {
			t.Fatal("after sync: still queued, or not registered")
		}
		s.writer.close(1)
	})
	t.Run("Failed", func(t *testing.T) {
		s, _, _ := newGroupService(nil)
		blobs := s.Store.Blobs.(*fakeBlobs)
		if n := s.writer.open(1); n != 0 {
			t.Fatalf("open=%d, want 0 failures", n)
		}
		blobs.fail = errors.New("disk full")
		s.writer.addBlob(ctx, s, 1, &beifen.BlobEntry{Name: "a", Size: 1})
		s.writer.sync(1)
		// A reader that began before the failure sees it; one that begins after does not.
		if got := s.writer.failed(1); got != 1 {
			t.Fatalf("failed=%d, want 1", got)
		}
		if n := s.writer.open(1); n != 1 {
			t.Fatalf("open after the failure=%d, want 1", n)
		}
		s.writer.close(1)
		s.writer.close(1)
	})
}

// failingBlobs fails PutBlobEntries while fail is set, and passes every call through otherwise.
type failingBlobs struct {
	beifen.BlobEntryService
	mu   sync.Mutex
	fail bool
}

func (f *failingBlobs) PutBlobEntries(ctx context.Context, entries []*beifen.BlobEntry) error {
	f.mu.Lock()
	fail := f.fail
	f.mu.Unlock()
	if fail {
		return errors.New("disk full")
	}
	return f.BlobEntryService.PutBlobEntries(ctx, entries)
}

// TestIngest_FailedAttachmentRegistration: an export read whose attachment's registration
// failed in a write of its own (the blobs written alone while the read went on) must not be
// remembered as read, though its records were stored: the commit fails, and the next backup
// reads the export again, which registers the attachment.
func TestIngest_FailedAttachmentRegistration(t *testing.T) {
	s, uctx := testService(t)
	blobs := &failingBlobs{BlobEntryService: s.Store.Blobs, fail: true}
	s.Store.Blobs = blobs
	a, err := s.account(uctx)
	if err != nil {
		t.Fatal(err)
	}
	var ref beifen.BlobRef
	read := func() {
		k := newSink(uctx, s, a)
		ref, err = k.PutBlob(strings.NewReader("a picture"))
		if err != nil {
			t.Fatal(err)
		}
		// The attachment's registration is written alone after blobDelay, before the records.
		waitUntil(t, 20*blobDelay, "the attachment's registration written while the export was read", func() bool {
			return !s.writer.queuedBlob(a.id, a.blobName(ref.Key))
		})
		m := &beifen.Message{Kind: beifen.MessageMMS, Attrs: beifen.Attrs{{Name: "m_id", Value: "1"}},
			Parts: []beifen.MessagePart{{Attrs: beifen.Attrs{{Name: "ct", Value: "image/jpeg"}}, Blob: &ref}}}
		if err := k.Message(m); err != nil {
			t.Fatal(err)
		}
		if err := k.finish(); err != nil {
			t.Fatal(err)
		}
		k.remember(a.sourceHash("export"))
		s.writer.close(a.id)
	}
	read()
	if err := s.writer.sync(a.id); err == nil || err.Error() != "disk full" {
		t.Fatalf("sync=%v, want the failed registration", err)
	}
	if _, err := s.Store.Sources.FindSource(uctx, a.sourceHash("export")); beifen.ErrorCode(err) != beifen.ENOTFOUND {
		t.Fatalf("the export is remembered as read although its attachment is not registered: %v", err)
	}
	blobs.mu.Lock()
	blobs.fail = false
	blobs.mu.Unlock()
	read()
	if err := s.writer.sync(a.id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store.Sources.FindSource(uctx, a.sourceHash("export")); err != nil {
		t.Fatalf("the second read is not remembered: %v", err)
	}
	if _, err := s.Store.Blobs.FindBlobEntry(uctx, a.blobName(ref.Key)); err != nil {
		t.Fatalf("the attachment is not registered after the second read: %v", err)
	}
	n := 0
	if err := s.Store.Records.ScanRecords(uctx, func(*beifen.Record) error { n++; return nil }); err != nil || n != 1 {
		t.Fatalf("%d records (%v), want the one MMS once", n, err)
	}
}

// gateRecords blocks the first PutRecords until release is closed.
type gateRecords struct {
	*fakeRecords
	entered chan struct{}
	release chan struct{}
	once    sync.Once
}

func (g *gateRecords) PutRecords(ctx context.Context, recs []*beifen.Record) error {
	g.once.Do(func() { close(g.entered); <-g.release })
	return g.fakeRecords.PutRecords(ctx, recs)
}

// TestGroupWriter_BlobQueuedBeforeReaderOpened: a blob queued while no export was read (an
// upload), and picked up by the writer only after a read began, is still written after
// blobDelay, not when the read ends.
func TestGroupWriter_BlobQueuedBeforeReaderOpened(t *testing.T) {
	ctx := context.Background()
	s, recs, _ := newGroupService(nil)
	g := &gateRecords{fakeRecords: recs, entered: make(chan struct{}), release: make(chan struct{})}
	s.Store.Records = g
	blobs := s.Store.Blobs.(*fakeBlobs)
	s.writer.open(1)
	s.writer.add(ctx, s, 1, newRecs(1), nil)
	s.writer.close(1) // the writer takes the group and blocks in PutRecords
	<-g.entered
	s.writer.addBlob(ctx, s, 1, &beifen.BlobEntry{Name: "file", Size: 1}) // no reader: no timer
	s.writer.open(1)                                                      // an export read begins
	close(g.release)
	waitUntil(t, 20*blobDelay, "the blob registered while a read went on", func() bool { return blobs.registered("file") })
	s.writer.close(1)
	if err := s.writer.sync(1); err != nil {
		t.Fatal(err)
	}
}

// TestGroupWriter_SyncKeepsNewerWriter: a sync that waited while its account's writer was
// dropped and made again must not drop the new one, whose reader and goroutine are still at work
// (drain would then hang, and failed would read another writer's count).
func TestGroupWriter_SyncKeepsNewerWriter(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newGroupService(nil)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
				s.writer.sync(1)
			}
		}
	}()
	for range 20000 {
		s.writer.open(1)
		s.writer.add(ctx, s, 1, newRecs(1), nil)
		s.writer.close(1)
	}
	close(stop)
	wg.Wait()
	s.writer.sync(1)
	drained := make(chan struct{})
	go func() { s.writer.drain(); close(drained) }()
	select {
	case <-drained:
	case <-time.After(10 * time.Second):
		t.Fatal("drain hangs: a writer in use was dropped")
	}
	s.writer.mu.Lock()
	defer s.writer.mu.Unlock()
	for uid, aw := range s.writer.accounts {
		t.Errorf("account %d's writer left with %d readers", uid, aw.readers)
	}
}

// flakyBlobs fails some PutBlobEntries at random, with a small delay.
type flakyBlobs struct {
	*fakeBlobs
	fails   atomic.Int64
	outcome sync.Map // *BlobEntry -> bool (ok)
}

func (f *flakyBlobs) PutBlobEntries(ctx context.Context, e []*beifen.BlobEntry) error {
	time.Sleep(time.Duration(rand.Intn(200)) * time.Microsecond)
	if rand.Intn(10) == 0 {
		f.fails.Add(1)
		for _, x := range e {
			f.outcome.Store(x, false)
		}
		return errors.New("flaky")
	}
	for _, x := range e {
		f.outcome.Store(x, true)
	}
	return f.fakeBlobs.PutBlobEntries(ctx, e)
}

type slowRecords struct{ *fakeRecords }

func (f slowRecords) PutRecords(ctx context.Context, recs []*beifen.Record) error {
	time.Sleep(time.Duration(rand.Intn(300)) * time.Microsecond)
	return f.fakeRecords.PutRecords(ctx, recs)
}

// TestGroupWriter_Stress runs reads, uploads and commits of four accounts at once, with one
// registration in ten failing, and checks that every source callback runs after its read's
// registrations were written or, if one failed, that the read sees the failure; and that no
// writer is left.
func TestGroupWriter_Stress(t *testing.T) {
	ctx := context.Background()
	s, recs, _ := newGroupService(nil)
	fb := &flakyBlobs{fakeBlobs: s.Store.Blobs.(*fakeBlobs)}
	s.Store.Blobs = fb
	s.Store.Records = slowRecords{recs}
	g0 := runtime.NumGoroutine()
	var wg sync.WaitGroup
	var syncErrs atomic.Int64
	var violations atomic.Int64
	for uid := int64(1); uid <= 4; uid++ {
		for w := 0; w < 6; w++ {
			wg.Add(1)
			go func(uid int64, w int) {
				defer wg.Done()
				r := rand.New(rand.NewSource(uid*100 + int64(w)))
				for it := 0; it < 150; it++ {
					switch r.Intn(4) {
					case 0: // a read
						base := s.writer.open(uid)
						var mine []*beifen.BlobEntry
						for b := 0; b < r.Intn(5); b++ {
							name := fmt.Sprintf("att-%d", r.Intn(30))
							if !s.writer.queuedBlob(uid, name) {
								e := &beifen.BlobEntry{Name: name, Size: 1}
								mine = append(mine, e)
								s.writer.addBlob(ctx, s, uid, e)
							}
							batch := newRecs(r.Intn(3000))
							deps := slices.Clone(mine)
							s.writer.add(ctx, s, uid, batch, func() []*beifen.Source {
								for _, e := range deps {
									ok, known := fb.outcome.Load(e)
									if !known || (!ok.(bool) && s.writer.failed(uid) == base) {
										violations.Add(1)
									}
								}
								return nil
							})
							if r.Intn(3) == 0 {
								time.Sleep(time.Duration(r.Intn(150)) * time.Millisecond)
							}
						}
						s.writer.close(uid)
					case 1: // an upload
						s.writer.addBlob(ctx, s, uid, &beifen.BlobEntry{Name: fmt.Sprintf("file-%d-%d", w, it), Size: 1})
					case 2: // a commit
						if err := s.writer.sync(uid); err != nil {
							syncErrs.Add(1)
						}
					case 3:
						time.Sleep(time.Duration(r.Intn(20)) * time.Millisecond)
					}
				}
			}(uid, w)
		}
	}
	wg.Wait()
	for uid := int64(1); uid <= 4; uid++ {
		s.writer.sync(uid)
	}
	s.writer.drain()
	time.Sleep(3 * blobDelay) // stale timers fire
	s.writer.mu.Lock()
	n := len(s.writer.accounts)
	for uid, aw := range s.writer.accounts {
		t.Logf("left: uid %d readers=%d pending=%v running=%v err=%v queued=%d", uid, aw.readers, aw.pending != nil, aw.running, aw.err, len(aw.queued))
	}
	s.writer.mu.Unlock()
	if n != 0 {
		t.Errorf("%d account writers left", n)
	}
	if v := violations.Load(); v != 0 {
		t.Errorf("%d violations", v)
	}
	t.Logf("blob failures %d, sync errors %d, goroutines %d -> %d", fb.fails.Load(), syncErrs.Load(), g0, runtime.NumGoroutine())
}
