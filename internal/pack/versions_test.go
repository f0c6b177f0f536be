package pack

import (
	"testing"

	"github.com/beifen/beifen"
)

func TestVersions(t *testing.T) {
	v := NewVersions(300)
	u := v.Lock(1)
	if high := u.Sync(5); high != 0 {
		t.Fatalf("a new map starts at %d", high)
	}
	for _, p := range mustBuild(t, records(1, 200, 1)) {
		if err := u.Add(p); err != nil {
			t.Fatal(err)
		}
	}
	if id := u.Find(beifen.RecordKinds[7%5], []byte("v7")); id != 8 {
		t.Fatalf("Find v7 = %d, want 8", id)
	}
	if id := u.Find(beifen.KindSMS, []byte("v7")); id != 0 && id != 8 {
		t.Fatalf("Find of another kind = %d", id)
	}
	u.Unlock()

	// The same epoch keeps the map and says where it ends; another empties it.
	u = v.Lock(1)
	if high := u.Sync(5); high != 200 {
		t.Fatalf("Sync at the same epoch: high %d, want 200", high)
	}
	if high := u.Sync(6); high != 0 || u.Find(beifen.RecordKinds[7%5], []byte("v7")) != 0 {
		t.Fatalf("Sync at another epoch: high %d, map kept", high)
	}
	for _, p := range mustBuild(t, records(1, 200, 1)) {
		u.Add(p)
	}
	u.Unlock()

	// Over the limit, the least recently used map goes, then this one if it alone is over.
	w := v.Lock(2)
	w.Sync(1)
	for _, p := range mustBuild(t, records(1000, 150, 1)) {
		w.Add(p)
	}
	w.Unlock()
	if _, ok := v.users[1]; ok || v.total != 150 {
		t.Fatalf("after user 2: user 1 kept=%v, total %d; want user 1 dropped, 150", ok, v.total)
	}
	w = v.Lock(2)
	w.Sync(1)
	for _, p := range mustBuild(t, records(2000, 350, 1)) {
		w.Add(p)
	}
	w.Unlock()
	if _, ok := v.users[2]; ok || v.total != 0 {
		t.Fatalf("user 2 alone over the limit: kept=%v, total %d", ok, v.total)
	}

	// Forget drops a map.
	x := v.Lock(3)
	x.Sync(1)
	x.Add(mustBuild(t, records(1, 3, 1))[0])
	x.Unlock()
	v.Forget(3)
	if x = v.Lock(3); x.Sync(1) != 0 {
		t.Fatal("a forgotten map was kept")
	}
	x.Unlock()
}
