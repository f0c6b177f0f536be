package pack

import (
	"fmt"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

// fill adds records first.. of user u's list in packs, as a store's catch-up read does.
func fill(t *testing.T, u *UserVersions, first int64, n int) []*beifen.Record {
	t.Helper()
	recs := records(first, n, 1)
	for i, r := range recs {
		r.Version = []byte(fmt.Sprint("v", first+int64(i)))
	}
	for _, p := range mustBuild(t, recs) {
		if err := u.Add(p); err != nil {
			t.Fatal(err)
		}
	}
	return recs
}

func TestVersions(t *testing.T) {
	v := NewVersions(300)
	u := v.Lock(1)
	if high := u.Sync(5); high != 0 {
		t.Fatalf("a new list starts at %d", high)
	}
	recs := fill(t, u, 1, 100)
	recs = append(recs, fill(t, u, 101, 100)...) // added in two reads, merged
	for _, r := range recs {
		if id := u.Find(r.Kind, r.Version); id != r.ID {
			t.Fatalf("Find %s = %d, want %d", r.Version, id, r.ID)
		}
	}
	if id := u.Find(beifen.KindSMS, []byte("nothing")); id != 0 {
		t.Fatalf("Find of an unknown version = %d", id)
	}
	u.Unlock()

	// The same epoch keeps the list and says where it ends; another empties it.
	u = v.Lock(1)
	if high := u.Sync(5); high != 200 {
		t.Fatalf("Sync at the same epoch: high %d, want 200", high)
	}
	if high := u.Sync(6); high != 0 || u.Find(recs[7].Kind, recs[7].Version) != 0 || v.total != 0 {
		t.Fatalf("Sync at another epoch: high %d, total %d, list kept", high, v.total)
	}
	fill(t, u, 1, 200)
	u.Unlock()

	// Past the limit with user 1 in use lately, user 2 is big: it keeps only what its store
	// asks about, and nothing after.
	w := v.Lock(2)
	ask := records(1000, 150, 1)
	for i, r := range ask {
		r.Version = []byte(fmt.Sprint("v", 1000+i))
	}
	w.Want(ask[:2])
	w.Sync(1)
	fill(t, w, 1000, 150)
	if !w.big || v.total != 202 || w.Find(ask[1].Kind, ask[1].Version) != ask[1].ID || w.Find(ask[2].Kind, ask[2].Version) != 0 {
		t.Fatalf("big=%v total=%d: want big, 202, the asked ID found and no other", w.big, v.total)
	}
	w.Unlock()
	if v.total != 200 {
		t.Fatalf("after a big user's store: total %d, want 200", v.total)
	}

	// With user 1 idle, its list goes instead.
	u = v.Lock(1)
	u.used = time.Now().Add(-2 * idle)
	u.mu.Unlock()
	w = v.Lock(2)
	w.Want(nil)
	w.Sync(1)
	fill(t, w, 1000, 150)
	if _, ok := v.users[1]; ok || w.big || v.total != 150 {
		t.Fatalf("user 1 kept=%v, user 2 big=%v, total %d; want user 1 dropped, 150", ok, w.big, v.total)
	}
	w.Unlock()

	// Forget drops a list.
	v.Forget(2)
	if x := v.Lock(2); x.Sync(1) != 0 || v.total != 0 {
		t.Fatalf("a forgotten list was kept: total %d", v.total)
	}
}

// TestVersionsDroppedWhileWaiting: a store waiting for a list that a deletion drops gets a new
// list, counted against the limit, not the dropped one (found by a review).
func TestVersionsDroppedWhileWaiting(t *testing.T) {
	v := NewVersions(100)
	u := v.Lock(1)
	u.Sync(1)
	got := make(chan *UserVersions)
	go func() { got <- v.Lock(1) }()
	time.Sleep(20 * time.Millisecond) // the second store waits for the list
	v.Forget(1)
	u.Unlock()
	w := <-got
	if w == u {
		t.Fatal("Lock returned the list Forget dropped")
	}
	w.Want(nil)
	w.Sync(2)
	fill(t, w, 1, 1000)
	if n := len(w.sorted) + len(w.added); n > 100 || !w.big {
		t.Fatalf("the new list holds %d IDs (limit 100), big=%v", n, w.big)
	}
	w.Unlock()
}

// TestVersionsFootprint: after the first read is sorted, the list's array is the only one, and
// a user over the limit alone drops no other user's list.
func TestVersionsFootprint(t *testing.T) {
	v := NewVersions(1000)
	u := v.Lock(1)
	u.Sync(1)
	fill(t, u, 1, 600)
	u.Find(beifen.KindSMS, nil)
	if u.added != nil || len(u.sorted) != 600 {
		t.Fatalf("after the first sort: %d sorted, added %v", len(u.sorted), u.added != nil)
	}
	fill(t, u, 601, 100)
	u.Find(beifen.KindSMS, nil)
	if u.added != nil || len(u.sorted) != 700 {
		t.Fatalf("after a merge: %d sorted, added %v", len(u.sorted), u.added != nil)
	}
	u.used = time.Now().Add(-2 * idle)
	u.mu.Unlock()
	store2 := func() *UserVersions {
		w := v.Lock(2)
		w.Want(nil)
		w.Sync(1)
		fill(t, w, 5000, 1500)
		return w
	}
	// The first time, user 2 may drop the idle user 1 before it passes the limit alone.
	w := store2()
	if !w.big {
		t.Fatal("1,500 IDs with a limit of 1,000: not big")
	}
	w.Unlock()
	u = v.Lock(1)
	u.Sync(1)
	fill(t, u, 1, 700)
	u.used = time.Now().Add(-2 * idle)
	u.mu.Unlock()
	// The next time, user 2 is known to be big and drops nobody.
	w = store2()
	if _, ok := v.users[1]; !ok || !w.big {
		t.Fatalf("a user known to be big: user 1 kept=%v, user 2 big=%v; want kept, big", ok, w.big)
	}
	w.Unlock()
}
