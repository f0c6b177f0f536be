package pack

import (
	"bytes"
	"hash/maphash"
	"sync"

	"github.com/beifen/beifen"
)

// Versions finds a user's stored record by kind and version without an index row per record in
// the database: it keeps, per user, a map from a hash of kind and version to the record's ID,
// read from the packs' heads. The database stays the truth. Each store of records first reads
// the user's epoch, which every deletion changes (a changed epoch empties the map), and the
// heads of the packs stored since the map was last brought up to date (by another process or
// replica). A hit is only a candidate, to be confirmed against its pack's head, so a hash
// collision costs a duplicate at worst, never a wrong record.
type Versions struct {
	seed maphash.Seed
	max  int // IDs kept across users

	mu    sync.Mutex
	users map[int64]*UserVersions
	total int    // IDs in the maps of users, as of their last Unlock
	tick  uint64 // for least recently used
}

// NewVersions returns a Versions that keeps at most max IDs in memory. A user with more is read
// from the database each time.
func NewVersions(max int) *Versions {
	return &Versions{seed: maphash.MakeSeed(), max: max, users: map[int64]*UserVersions{}}
}

// UserVersions is one user's map, locked by one store of records at a time.
type UserVersions struct {
	mu      sync.Mutex
	v       *Versions
	uid     int64
	epoch   int64
	high    int64 // the Last of the newest pack read
	ids     map[uint64]int64
	counted int // len(ids) as counted in v.total
	used    uint64
	ents    []Entry // reused by Add
}

// Lock returns the user's map, locked.
func (v *Versions) Lock(uid int64) *UserVersions {
	v.mu.Lock()
	u := v.users[uid]
	if u == nil {
		u = &UserVersions{v: v, uid: uid}
		v.users[uid] = u
	}
	v.tick++
	u.used = v.tick
	v.mu.Unlock()
	u.mu.Lock()
	return u
}

// Forget drops the user's map (after a deletion, or when the user is gone).
func (v *Versions) Forget(uid int64) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if u := v.users[uid]; u != nil {
		delete(v.users, uid)
		v.total -= u.counted
	}
}

// Unlock releases the map, and drops the maps least recently used while more IDs than the
// limit are kept (this one too, if it alone is over the limit).
func (u *UserVersions) Unlock() {
	v := u.v
	v.mu.Lock()
	if v.users[u.uid] == u {
		v.total += len(u.ids) - u.counted
		u.counted = len(u.ids)
	}
	u.mu.Unlock()
	for v.total > v.max {
		var lru *UserVersions
		for _, o := range v.users {
			if o.counted > 0 && (lru == nil || o.used < lru.used) {
				lru = o
			}
		}
		if lru == nil {
			break
		}
		delete(v.users, lru.uid)
		v.total -= lru.counted
	}
	v.mu.Unlock()
}

// Sync starts a store of records at the user's epoch, as read in its transaction: a map of
// another epoch is emptied. It returns the Last of the newest pack the map holds: the packs after
// it are to be read and added.
func (u *UserVersions) Sync(epoch int64) (high int64) {
	if u.ids == nil || u.epoch != epoch {
		u.Reset()
		u.epoch = epoch
		u.ids = map[uint64]int64{}
	}
	return u.high
}

// Reset empties the map, so that the next store reads it again (after a failed transaction,
// whose records the map may name).
func (u *UserVersions) Reset() { u.ids, u.high, u.epoch = nil, 0, 0 }

// Add adds a pack's records (heads are enough).
func (u *UserVersions) Add(p *Pack) error {
	var err error
	u.ents, err = (&Pack{First: p.First, Last: p.Last, Heads: p.Heads}).Entries(u.ents)
	if err != nil {
		return err
	}
	for i := range u.ents {
		u.ids[u.key(u.ents[i].Kind, u.ents[i].Version)] = u.ents[i].ID
	}
	u.high = max(u.high, p.Last)
	return nil
}

// Find returns the ID of the user's record that may have kind and version, or 0.
func (u *UserVersions) Find(kind beifen.RecordKind, version []byte) int64 {
	return u.ids[u.key(kind, version)]
}

func (u *UserVersions) key(kind beifen.RecordKind, version []byte) uint64 {
	var h maphash.Hash
	h.SetSeed(u.v.seed)
	h.WriteString(string(kind))
	h.WriteByte(0)
	h.Write(version)
	return h.Sum64()
}

// Same reports whether entry e is the record of kind and version (confirming a Find).
func Same(e *Entry, kind beifen.RecordKind, version []byte) bool {
	return e.Kind == kind && bytes.Equal(e.Version, version)
}
