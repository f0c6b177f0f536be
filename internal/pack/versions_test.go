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
