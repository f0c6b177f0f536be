package backup

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/disk"
	"github.com/beifen/beifen/keyring"
	"github.com/beifen/beifen/sqlite"
)

// testService returns a Service on a new SQLite database and blob folder, and a context signed
// in as a new account of it.
func testService(t *testing.T) (*Service, context.Context) {
	t.Helper()
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "beifen.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	master, err := keyring.NewMaster(bytes.Repeat([]byte{3}, keyring.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	s := NewService(sqlite.NewStore(db), disk.NewStore(t.TempDir()), master, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx := context.Background()
	u := &beifen.User{PhoneHash: []byte("phone hash"), Sealed: []byte("sealed")}
	if err := s.Store.Users.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	key := master.NewDataKey(u.ID)
	if u, err = s.Store.Users.UpdateUser(ctx, u.ID, beifen.UserUpdate{WrappedKey: &key}); err != nil {
		t.Fatal(err)
	}
	return s, beifen.NewContextWithUser(ctx, u)
}

// putSMS stores one SMS from 10086 per body, a second apart, as records of the account.
func putSMS(t *testing.T, s *Service, uctx context.Context, a *account, bodies ...string) []*beifen.Record {
	t.Helper()
	var recs []*beifen.Record
	for i, body := range bodies {
		m := &beifen.Message{Kind: beifen.MessageSMS, Attrs: beifen.Attrs{{Name: "address", Value: "10086"},
			{Name: "date", Value: fmt.Sprint(1000 + i)}, {Name: "type", Value: "1"}, {Name: "body", Value: body}}}
		r, err := a.newRecord(beifen.KindSMS, m.Identity(), m)
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	if err := s.Store.Records.PutRecords(uctx, recs); err != nil {
		t.Fatal(err)
	}
	return recs
}

// TestIndexWaitsForDeletion: a conversation index is not built (or stored) while the account's
// items are being deleted, and a deletion waits for an index being built, so that an index made
// from records read before a deletion never outlives it with a deleted message's text.
func TestIndexWaitsForDeletion(t *testing.T) {
	s, uctx := testService(t)
	u := beifen.UserFromContext(uctx)
	sn := &beifen.Snapshot{}
	if err := s.Store.Snapshots.CreateSnapshot(uctx, sn, nil); err != nil {
		t.Fatal(err)
	}
	l := s.indexLock(u.ID)

	// A deletion under way: the first page of conversations waits for it.
	l.Lock()
	listed := make(chan error, 1)
	go func() { _, _, err := s.FindConversations(uctx, sn.ID, beifen.Page{Limit: 10}); listed <- err }()
	select {
	case err := <-listed:
		t.Fatalf("conversations listed during a deletion: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	l.Unlock()
	if err := <-listed; err != nil {
		t.Fatal(err)
	}

	// An index being built: a deletion waits for it.
	s.threads.forget(u.ID)
	l.RLock()
	deleted := make(chan error, 1)
	go func() { _, err := s.DeleteItems(uctx, []int64{12345}); deleted <- err }()
	select {
	case err := <-deleted:
		t.Fatalf("items deleted while an index was being built: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	l.RUnlock()
	if err := <-deleted; beifen.ErrorCode(err) != beifen.ENOTFOUND {
		t.Fatalf("deleting an item that does not exist: %v, want ENOTFOUND", err)
	}
}

// TestDeleteItemsBesideBackgroundIndex: a deletion waiting for a conversation page, and a
// commit's background index started meanwhile (which waits behind the deletion), all finish.
// DeleteItems used to wait for the background indexes while it held the account's index lock.
func TestDeleteItemsBesideBackgroundIndex(t *testing.T) {
	s, uctx := testService(t)
	u := beifen.UserFromContext(uctx)
	a, err := s.account(uctx)
	if err != nil {
		t.Fatal(err)
	}
	c := &beifen.Call{Attrs: beifen.Attrs{{Name: "number", Value: "10086"}, {Name: "date", Value: "1"}}}
	r, err := a.newRecord(beifen.KindCall, c.Identity(), c)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Store.Records.PutRecords(uctx, []*beifen.Record{r}); err != nil {
		t.Fatal(err)
	}
	sn := &beifen.Snapshot{}
	if err := s.Store.Snapshots.CreateSnapshot(uctx, sn, []int64{r.ID}); err != nil {
		t.Fatal(err)
	}
	l := s.indexLock(u.ID)

	l.RLock() // a conversation page being built
	deleted := make(chan error, 1)
	go func() { _, err := s.DeleteItems(uctx, []int64{r.ID}); deleted <- err }()
	time.Sleep(100 * time.Millisecond) // the deletion waits for the write lock
	// A commit finishing now starts its background index, as create does.
	s.indexing.Add(1)
	go func() {
		defer s.indexing.Done()
		s.index(context.WithoutCancel(uctx), a, sn.ID)
	}()
	time.Sleep(100 * time.Millisecond) // the index waits for the read lock behind the writer
	l.RUnlock()
	select {
	case err := <-deleted:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("DeleteItems did not finish: it holds the index write lock while waiting for the background index, which waits for the read lock")
	}
}

// TestIndexAfterAnotherReplicasDeletion: with several replicas, a deletion on one leaves no
// conversation index naming the deleted message on another, in memory or stored, including an
// index built before the deletion and stored after it.
func TestIndexAfterAnotherReplicasDeletion(t *testing.T) {
	s1, uctx := testService(t)
	replica := func() *Service { return NewService(s1.Store, s1.Blobs, s1.Master, s1.Logger) }
	s2 := replica()
	a, err := s1.account(uctx)
	if err != nil {
		t.Fatal(err)
	}
	recs := putSMS(t, s1, uctx, a, "old secret", "newest secret")
	sn := &beifen.Snapshot{Messages: 2}
	if err := s1.Store.Snapshots.CreateSnapshot(uctx, sn, []int64{recs[0].ID, recs[1].ID}); err != nil {
		t.Fatal(err)
	}
	conversation := func(s *Service) string {
		t.Helper()
		convs, _, err := s.FindConversations(uctx, sn.ID, beifen.Page{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(convs) == 0 {
			return "none"
		}
		return fmt.Sprintf("%d %s", convs[0].Count, convs[0].Snippet)
	}
	if got := conversation(s1); got != "2 newest secret" {
		t.Fatalf("first replica before the deletion: %q", got)
	}
	if _, err := s2.DeleteItems(uctx, []int64{recs[1].ID}); err != nil {
		t.Fatal(err)
	}
	// The first replica's index in memory is of the snapshot before the deletion.
	if got := conversation(s1); got != "1 old secret" {
		t.Fatalf("first replica after the second deleted the newest message: %q, want 1 old secret", got)
	}
	if got := conversation(replica()); got != "1 old secret" {
		t.Fatalf("a new replica after the deletion: %q", got)
	}

	// An index built before a deletion and stored after it is taken back.
	before, err := s1.Store.Snapshots.FindSnapshotByID(uctx, sn.ID)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := s1.buildIndex(uctx, a, sn.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s2.DeleteItems(uctx, []int64{recs[0].ID}); err != nil {
		t.Fatal(err)
	}
	s1.keepIndex(uctx, a, before, idx)
	if _, err := a.blobs.Open(uctx, a.indexName(before)); beifen.ErrorCode(err) != beifen.ENOTFOUND {
		t.Fatalf("index of the revision before the deletion still stored: %v", err)
	}
	if got := conversation(replica()); got != "none" {
		t.Fatalf("a new replica after both messages were deleted: %q", got)
	}
}

// TestDeleteItemsKeepsUntouchedIndexes: deleting an item drops the stored conversation index of
// the snapshots that held it, and keeps the others', which stay valid.
func TestDeleteItemsKeepsUntouchedIndexes(t *testing.T) {
	s, uctx := testService(t)
	a, err := s.account(uctx)
	if err != nil {
		t.Fatal(err)
	}
	recs := putSMS(t, s, uctx, a, "kept", "deleted")
	older, newer := &beifen.Snapshot{Messages: 1}, &beifen.Snapshot{Messages: 2}
	if err := s.Store.Snapshots.CreateSnapshot(uctx, older, []int64{recs[0].ID}); err != nil {
		t.Fatal(err)
	}
	if err := s.Store.Snapshots.CreateSnapshot(uctx, newer, []int64{recs[0].ID, recs[1].ID}); err != nil {
		t.Fatal(err)
	}
	for _, sn := range []*beifen.Snapshot{older, newer} {
		if _, err := s.index(uctx, a, sn.ID); err != nil {
			t.Fatal(err)
		}
		stored, err := s.Store.Snapshots.FindSnapshotByID(uctx, sn.ID)
		if err != nil {
			t.Fatal(err)
		}
		*sn = *stored
		if _, err := s.Blobs.Stat(uctx, a.indexName(sn)); err != nil {
			t.Fatalf("snapshot %d's index not stored: %v", sn.ID, err)
		}
	}
	if _, err := s.DeleteItems(uctx, []int64{recs[1].ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Blobs.Stat(uctx, a.indexName(older)); err != nil {
		t.Errorf("the index of a snapshot that never held the item was dropped: %v", err)
	}
	if _, err := s.Blobs.Stat(uctx, a.indexName(newer)); beifen.ErrorCode(err) != beifen.ENOTFOUND {
		t.Errorf("the index of the snapshot that held the item is still stored: %v", err)
	}
	convs, _, err := s.FindConversations(uctx, newer.ID, beifen.Page{Limit: 10})
	if err != nil || len(convs) != 1 || convs[0].Count != 1 || convs[0].Snippet != "kept" {
		t.Fatalf("conversations of the snapshot after the deletion: %+v, %v; want one, of 1 message, kept", convs, err)
	}
}
