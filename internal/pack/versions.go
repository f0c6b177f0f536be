package pack

import (
	"bytes"
	"cmp"
	"hash/maphash"
	"slices"
	"sync"
	"time"

	"github.com/beifen/beifen"
)

// Versions finds a user's stored record by kind and version without an index row per record in
// the database: it keeps, per user, a sorted list from a hash of kind and version to the record's
// ID (16 bytes per record), read from the packs' heads. The database stays the truth. Each store
// of records first reads the user's epoch, which every deletion changes (a changed epoch empties
// the list), and the heads of the packs stored since the list was last brought up to date (by
// another process or replica). A hit is only a candidate, to be confirmed against its pack's
// head, so a hash collision costs a duplicate at worst, never a wrong record.
//
// At most max IDs are kept across users. A store that would pass the limit first drops the lists
// of users idle for a while; if that is not enough, its user is "big": each of their stores reads
// all their heads again and keeps only the IDs that store asks about.
type Versions struct {
	seed maphash.Seed
	max  int // IDs kept across users

	mu    sync.Mutex
	users map[int64]*UserVersions
	total int            // IDs in the users' lists
	big   map[int64]bool // users over the limit alone in their last store: theirs drop no list
}

// DefaultLimit is the IDs a server keeps in its users' lists: 32 MB, 16 bytes each.
const DefaultLimit = 2 << 20

// idle is how long a user's list must go unused before another user's store may drop it.
const idle = 30 * time.Second

// NewVersions returns a Versions that keeps at most max IDs in memory.
func NewVersions(max int) *Versions {
	return &Versions{seed: maphash.MakeSeed(), max: max, users: map[int64]*UserVersions{}, big: map[int64]bool{}}
}

// UserVersions is one user's list, locked by one store of records at a time.
type UserVersions struct {
	mu      sync.Mutex
	v       *Versions
	uid     int64
	counted int // IDs counted in v.total, under v.mu
	epoch   int64
	high    int64 // the Last of the newest pack read; -1 before the first read
	sorted  []kv  // by key
	added   []kv  // since the last sort
	used    time.Time
	big     bool     // over the limit: only wanted IDs are kept, and only during one store
	wanted  []uint64 // the keys the current store asks about, sorted
	ents    []Entry  // reused by Add
}

type kv struct {
	key uint64
	id  int64
}

// Lock returns the user's list, locked. A list dropped from the map while this waited for it is
// not returned: another store may have a new one.
func (v *Versions) Lock(uid int64) *UserVersions {
	for {
		v.mu.Lock()
		u := v.users[uid]
		if u == nil {
			u = &UserVersions{v: v, uid: uid, high: -1}
			v.users[uid] = u
		}
		v.mu.Unlock()
		u.mu.Lock()
		v.mu.Lock()
		kept := v.users[uid] == u
		v.mu.Unlock()
		if kept {
			return u
		}
		u.mu.Unlock()
	}
}

// Forget drops the user's list (after a deletion, or when the user is gone).
func (v *Versions) Forget(uid int64) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if u := v.users[uid]; u != nil {
		delete(v.users, uid)
		v.total -= u.counted
		u.counted = 0
	}
}

// Unlock releases the list; a big user's goes, and so does a list left empty.
func (u *UserVersions) Unlock() {
	u.used, u.wanted, u.ents = time.Now(), nil, nil
	if u.big {
		u.Reset()
	}
	v := u.v
	v.mu.Lock()
	if !u.big && u.high >= 0 {
		delete(v.big, u.uid) // it fit
	}
	if len(u.sorted)+len(u.added) == 0 && v.users[u.uid] == u {
		delete(v.users, u.uid)
	}
	v.mu.Unlock()
	u.mu.Unlock()
}

// Want names the records the current store asks about, before Sync: a big user keeps only
// their IDs.
func (u *UserVersions) Want(recs []*beifen.Record) {
	u.wanted = u.wanted[:0]
	for _, r := range recs {
		u.wanted = append(u.wanted, u.key(r.Kind, r.Version))
	}
	slices.Sort(u.wanted)
}

// Sync starts a store of records at the user's epoch, as read in its transaction: a list of
// another epoch is emptied. It returns the Last of the newest pack the list holds (0 for none):
// the packs after it are to be read and added.
func (u *UserVersions) Sync(epoch int64) (high int64) {
	if u.high < 0 || u.epoch != epoch {
		u.Reset()
		u.epoch, u.high, u.big = epoch, 0, false // big again only if it passes the limit again
	}
	return u.high
}

// Reset empties the list, so that the next store reads it again (after a failed transaction,
// whose records the list may name).
func (u *UserVersions) Reset() {
	u.v.mu.Lock()
	u.v.total -= u.counted
	u.counted = 0
	u.v.mu.Unlock()
	u.sorted, u.added, u.high, u.epoch = nil, nil, -1, 0
}

// Stored ends a store whose transaction committed the new packs, or failed with err: the list
// adds the packs, or, after a failure, is emptied (it may name records of the transaction).
func (u *UserVersions) Stored(packs []*Pack, err error) error {
	for i := 0; i < len(packs) && err == nil; i++ {
		err = u.Add(packs[i])
	}
	if err != nil {
		u.Reset()
	}
	return err
}

// Add adds a pack's records (heads are enough).
func (u *UserVersions) Add(p *Pack) error {
	var err error
	u.ents, err = (&Pack{First: p.First, Last: p.Last, Heads: p.Heads}).Entries(u.ents)
	if err != nil {
		return err
	}
	n := len(u.added)
	for i := range u.ents {
		k := u.key(u.ents[i].Kind, u.ents[i].Version)
		if !u.big || isWanted(u.wanted, k) {
			u.added = append(u.added, kv{k, u.ents[i].ID})
		}
	}
	u.high = max(u.high, p.Last)
	u.count(len(u.added) - n)
	return nil
}

func isWanted(wanted []uint64, k uint64) bool {
	_, ok := slices.BinarySearch(wanted, k)
	return ok
}

// count adds n IDs to the total; past the limit, it drops idle users' lists, and then, if still
// past it, makes this user big.
func (u *UserVersions) count(n int) {
	v := u.v
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.users[u.uid] != u { // dropped while held (Forget): uncounted, so kept only for this store
		if !u.big {
			u.big = true
			u.keepWanted()
		}
		return
	}
	v.total, u.counted = v.total+n, u.counted+n
	// A user over the limit alone, now or in their last store, drops no other user's list.
	for v.total > v.max && u.counted <= v.max && !v.big[u.uid] && v.dropIdle(u) {
	}
	if v.total > v.max && !u.big {
		u.big = true
		if u.counted > v.max {
			v.big[u.uid] = true // over the limit alone: its next stores drop nobody
		}
		gone := u.keepWanted()
		v.total, u.counted = v.total-gone, u.counted-gone
	}
}

// dropIdle drops the list of the user other than u idle the longest, if one has been idle long
// enough and is not locked, and reports whether it did.
func (v *Versions) dropIdle(u *UserVersions) bool {
	var lru *UserVersions
	for _, o := range v.users {
		if o == u || o.counted == 0 || !o.mu.TryLock() {
			continue
		}
		if time.Since(o.used) > idle && (lru == nil || o.used.Before(lru.used)) {
			if lru != nil {
				lru.mu.Unlock()
			}
			lru = o
		} else {
			o.mu.Unlock()
		}
	}
	if lru == nil {
		return false
	}
	delete(v.users, lru.uid)
	v.total -= lru.counted
	lru.counted = 0
	lru.mu.Unlock()
	return true
}

// keepWanted drops the IDs the current store does not ask about and returns how many went.
func (u *UserVersions) keepWanted() int {
	n := len(u.sorted) + len(u.added)
	keep := func(s []kv) []kv {
		return slices.DeleteFunc(s, func(e kv) bool { return !isWanted(u.wanted, e.key) })
	}
	u.sorted, u.added = keep(u.sorted), keep(u.added)
	return n - len(u.sorted) - len(u.added)
}

// Find returns the ID of the user's record that may have kind and version, or 0.
func (u *UserVersions) Find(kind beifen.RecordKind, version []byte) int64 {
	if len(u.added) > 0 {
		u.merge()
	}
	k := u.key(kind, version)
	if i, ok := slices.BinarySearchFunc(u.sorted, k, func(e kv, k uint64) int { return cmp.Compare(e.key, k) }); ok {
		return u.sorted[i].id
	}
	return 0
}

// merge sorts the added IDs into the list, in place from the end.
func (u *UserVersions) merge() {
	slices.SortFunc(u.added, func(a, b kv) int { return cmp.Compare(a.key, b.key) })
	if len(u.sorted) == 0 { // the first read: its array is the list
		u.sorted, u.added = u.added, nil
		return
	}
	s, a := u.sorted, u.added
	i, j := len(s)-1, len(a)-1
	s = slices.Grow(s, len(a))[:len(s)+len(a)]
	for k := len(s) - 1; j >= 0; k-- {
		if i >= 0 && s[i].key > a[j].key {
			s[k], i = s[i], i-1
		} else {
			s[k], j = a[j], j-1
		}
	}
	u.sorted, u.added = s, nil // not added[:0]: its array would double what the limit counts
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

// Match gives each record the user has stored already its ID (a hit of the list, confirmed
// against its pack's head, read through read) and returns the records still to store: each kind
// and version once, in the order given. Once the store has numbered those, settle gives every
// other copy in recs the ID of its first.
func (u *UserVersions) Match(recs []*beifen.Record, read ReadFunc) (fresh []*beifen.Record, settle func(), err error) {
	first := make(map[string]*beifen.Record, len(recs)) // the first record of each kind and version
	var found []*beifen.Record
	for _, r := range recs {
		r.UserID, r.ID = u.uid, 0
		key := recordKey(r)
		if _, ok := first[key]; ok {
			continue // a second copy in the same call is stored once
		}
		first[key] = r
		if r.ID = u.Find(r.Kind, r.Version); r.ID != 0 {
			found = append(found, r)
		}
	}
	if err := confirm(found, read); err != nil {
		return nil, nil, err
	}
	for _, r := range recs {
		if first[recordKey(r)] == r && r.ID == 0 {
			fresh = append(fresh, r)
			r.ID = -1 // listed: the same *Record given twice is stored once
		}
	}
	return fresh, func() {
		for _, r := range recs {
			r.ID = first[recordKey(r)].ID
		}
	}, nil
}

func recordKey(r *beifen.Record) string {
	return string(r.Kind) + "\x00" + string(r.Version)
}

// confirm checks each record the list found against its pack's head; one that is not what the
// list said (a hash collision) gets ID 0, to be stored as new.
func confirm(found []*beifen.Record, read ReadFunc) error {
	if len(found) == 0 {
		return nil
	}
	byID := make(map[int64][]*beifen.Record, len(found))
	ids := make([]int64, 0, len(found))
	for _, r := range found {
		if byID[r.ID] == nil {
			ids = append(ids, r.ID)
		}
		byID[r.ID] = append(byID[r.ID], r)
	}
	slices.Sort(ids)
	ok := make(map[*beifen.Record]bool, len(found))
	err := Walk(beifen.ConsecutiveRuns(ids), read, func(e *Entry) error {
		for _, r := range byID[e.ID] {
			ok[r] = Same(e, r.Kind, r.Version)
		}
		return nil
	})
	for _, r := range found {
		if !ok[r] {
			r.ID = 0
		}
	}
	return err
}
