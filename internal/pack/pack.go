// Package pack is how the sqlite and postgres packages store records: a row holds a pack of up
// to MaxRecords records of one user with increasing IDs, instead of one row per record. A first
// backup of 270,000 records then writes a few thousand rows, not 270,000, each with its index
// entries and WAL frames. A pack is two blobs: the heads (each record's ID, kind, ident, version
// and payload length, fixed-width fields that SQL can build too) and the payloads, in the same
// order, so that what reads only heads (a diff, a commit's check of IDs, the version index)
// leaves the payloads unread.
package pack

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/beifen/beifen"
)

const (
	// MaxRecords bounds a pack's span of IDs: Last-First < MaxRecords. A pack holding an ID
	// therefore has Last in [ID, ID+MaxRecords-1], which bounds every look-up by ID range.
	MaxRecords = 64

	// maxPayload closes a pack once its payloads reach this many bytes, so that reading one
	// record reads little else.
	maxPayload = 64 << 10

	// headSize is a head's fixed part: ID (8), kind (1), ident and version lengths (1 each),
	// payload length (4), all big-endian; the ident and version follow.
	headSize = 15

	maxHash = math.MaxUint8 // longest ident or version
)

// Pack is the stored form of records of one user with IDs First..Last (some may be gone).
type Pack struct {
	First, Last int64
	CreatedAt   time.Time
	Heads       []byte
	Payloads    []byte // nil when read without them
}

// Entry is one record in a pack. Its slices point into the pack.
type Entry struct {
	ID        int64
	Kind      beifen.RecordKind
	Ident     []byte
	Version   []byte
	Payload   []byte // nil when the pack was read without payloads
	CreatedAt time.Time
}

// Record returns the entry as a record of user uid, its bytes copied (in one allocation) so
// that it does not keep the pack alive.
func (e *Entry) Record(uid int64) *beifen.Record {
	b := make([]byte, 0, len(e.Ident)+len(e.Version)+len(e.Payload))
	b = append(append(append(b, e.Ident...), e.Version...), e.Payload...)
	ni, nv := len(e.Ident), len(e.Ident)+len(e.Version)
	r := &beifen.Record{ID: e.ID, UserID: uid, Kind: e.Kind, Ident: b[:ni:ni], Version: b[ni:nv:nv], CreatedAt: e.CreatedAt}
	if e.Payload != nil {
		r.Payload = b[nv:]
	}
	return r
}

// KindCode is the byte a kind is stored as; the migrations from one row per record use the same.
func KindCode(k beifen.RecordKind) (byte, bool) {
	for i, kind := range kinds {
		if kind == k && i > 0 {
			return byte(i), true
		}
	}
	return 0, false
}

var kinds = [...]beifen.RecordKind{1: beifen.KindContact, 2: beifen.KindSMS, 3: beifen.KindMMS,
	4: beifen.KindCall, 5: beifen.KindFile}

// Build packs records whose IDs are set and increasing, consecutive ones together.
func Build(recs []*beifen.Record, created time.Time) ([]*Pack, error) {
	var packs []*Pack
	for len(recs) > 0 {
		// The pack's records and sizes first, so that its blobs are allocated once: growing them
		// by appends cost five times the bytes stored.
		n, heads, payloads := 0, 0, 0
		for n < len(recs) && (n == 0 || recs[n].ID-recs[0].ID < MaxRecords && recs[n].ID > recs[n-1].ID && payloads < maxPayload) {
			heads += headSize + len(recs[n].Ident) + len(recs[n].Version)
			payloads += len(recs[n].Payload)
			n++
		}
		p := &Pack{CreatedAt: created, Heads: make([]byte, 0, heads), Payloads: make([]byte, 0, payloads)}
		for _, r := range recs[:n] {
			if err := p.add(r.ID, r.Kind, r.Ident, r.Version, r.Payload); err != nil {
				return nil, err
			}
		}
		packs, recs = append(packs, p), recs[n:]
	}
	return packs, nil
}

func (p *Pack) add(id int64, kind beifen.RecordKind, ident, version, payload []byte) error {
	code, ok := KindCode(kind)
	if !ok {
		return fmt.Errorf("pack record %d: unknown kind %q", id, kind)
	} else if len(ident) > maxHash || len(version) > maxHash {
		return fmt.Errorf("pack record %d: ident or version longer than %d bytes", id, maxHash)
	} else if len(p.Heads) > 0 && id <= p.Last {
		return fmt.Errorf("pack record %d: after %d", id, p.Last)
	} else if len(p.Heads) == 0 {
		p.First = id
	}
	var h [headSize]byte
	binary.BigEndian.PutUint64(h[0:], uint64(id))
	h[8], h[9], h[10] = code, byte(len(ident)), byte(len(version))
	binary.BigEndian.PutUint32(h[11:], uint32(len(payload)))
	p.Heads = append(append(append(p.Heads, h[:]...), ident...), version...)
	p.Payloads = append(p.Payloads, payload...)
	p.Last = id
	return nil
}

// Entries decodes the pack's records into dst[:0], in ID order.
func (p *Pack) Entries(dst []Entry) ([]Entry, error) {
	dst = dst[:0]
	h, off := p.Heads, 0
	for len(h) > 0 {
		if len(h) < headSize {
			return nil, p.corrupt("short head")
		}
		e := Entry{ID: int64(binary.BigEndian.Uint64(h)), CreatedAt: p.CreatedAt}
		if int(h[8]) >= len(kinds) || h[8] == 0 {
			return nil, p.corrupt("unknown kind")
		}
		e.Kind = kinds[h[8]]
		ni, nv, np := int(h[9]), int(h[10]), int(binary.BigEndian.Uint32(h[11:]))
		if len(h) < headSize+ni+nv {
			return nil, p.corrupt("short head")
		}
		e.Ident, e.Version = h[headSize:headSize+ni:headSize+ni], h[headSize+ni:headSize+ni+nv:headSize+ni+nv]
		if p.Payloads != nil {
			if np > len(p.Payloads)-off {
				return nil, p.corrupt("short payloads")
			}
			e.Payload = p.Payloads[off : off+np : off+np]
		}
		off += np
		if e.ID < p.First || e.ID > p.Last || (len(dst) > 0 && e.ID <= dst[len(dst)-1].ID) {
			return nil, p.corrupt("IDs out of order")
		}
		dst = append(dst, e)
		h = h[headSize+ni+nv:]
	}
	if p.Payloads != nil && off != len(p.Payloads) {
		return nil, p.corrupt("payloads longer than heads say")
	}
	return dst, nil
}

func (p *Pack) corrupt(what string) error {
	return fmt.Errorf("record pack %d-%d: %s", p.First, p.Last, what)
}

// Without returns the pack without the records whose IDs are in drop (sorted); it must have
// been read with its payloads. It returns nil if none is left, and how many went.
func (p *Pack) Without(drop []int64) (*Pack, int, error) {
	ents, err := p.Entries(nil)
	if err != nil {
		return nil, 0, err
	}
	q := &Pack{CreatedAt: p.CreatedAt}
	n := 0
	for _, e := range ents {
		if _, ok := slices.BinarySearch(drop, e.ID); ok {
			n++
		} else if err := q.add(e.ID, e.Kind, e.Ident, e.Version, e.Payload); err != nil {
			return nil, 0, err
		}
	}
	if len(q.Heads) == 0 {
		return nil, n, nil
	}
	if q.Payloads == nil {
		q.Payloads = []byte{}
	}
	return q, n, nil
}

// PlanDrop reads the heads of the packs holding ids (sorted, distinct) and returns the Last of
// those that lose every record, of those that keep some, and how many records go: a store deletes
// the first unread and rewrites the others one at a time.
func PlanDrop(ids []int64, read ReadFunc) (whole, partial []int64, n int, err error) {
	var ents []Entry
	err = Packs(beifen.ConsecutiveRuns(ids), read, func(p *Pack) error {
		var err error
		if ents, err = p.Entries(ents); err != nil {
			return err
		}
		k := 0
		for i := range ents {
			if _, ok := slices.BinarySearch(ids, ents[i].ID); ok {
				k++
			}
		}
		switch n += k; {
		case k == len(ents):
			whole = append(whole, p.Last)
		case k > 0:
			partial = append(partial, p.Last)
		}
		return nil
	})
	return whole, partial, n, err
}

// ReadFunc reads, in ID order, the packs of a user that may hold IDs lo..hi: those with
// First <= hi and Last between lo and hi+MaxRecords-1. Each pack it passes is its own.
type ReadFunc func(lo, hi int64, fn func(*Pack) error) error

// Packs calls fn once for each pack holding an ID in one of ranges (sorted, disjoint, inclusive),
// in ID order.
func Packs(ranges [][2]int64, read ReadFunc, fn func(*Pack) error) error {
	last := int64(math.MinInt64) // the Last of the pack visited last
	for _, r := range ranges {
		lo := max(r[0], last+1)
		if lo > r[1] {
			continue // in the pack visited last
		}
		err := read(lo, r[1], func(p *Pack) error {
			if p.Last <= last || p.Last < lo || p.First > r[1] {
				return nil
			}
			last = p.Last
			return fn(p)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Walk calls fn for each stored record with an ID in one of ranges (sorted, disjoint,
// inclusive), in ID order. The entry and its slices are valid only during the call.
func Walk(ranges [][2]int64, read ReadFunc, fn func(*Entry) error) error {
	var ents []Entry
	ri := 0
	return Packs(ranges, read, func(p *Pack) error {
		var err error
		if ents, err = p.Entries(ents); err != nil {
			return err
		}
		for i := range ents {
			e := &ents[i]
			for ri < len(ranges) && ranges[ri][1] < e.ID {
				ri++
			}
			if ri == len(ranges) {
				return nil
			}
			if ranges[ri][0] <= e.ID {
				if err := fn(e); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// Runs returns the ranges of runs.
func Runs(runs []beifen.RecordRun) [][2]int64 {
	out := make([][2]int64, len(runs))
	for i, r := range runs {
		out[i] = [2]int64{r.First, r.Last}
	}
	return out
}

// ErrOutOfOrder is a snapshot read that met a record at or below the one before it.
var ErrOutOfOrder = errors.New("snapshot records read out of ID order")

// WalkRuns calls fn for each record of runs (a snapshot's, sorted by First) in ID order, and
// checks that order and that each record is of its run's kind.
func WalkRuns(runs []beifen.RecordRun, read ReadFunc, fn func(*Entry) error) error {
	var prev int64
	i := 0 // the run of the record
	return Walk(Runs(runs), read, func(e *Entry) error {
		for runs[i].Last < e.ID {
			i++
		}
		if e.ID <= prev {
			return ErrOutOfOrder
		} else if e.Kind != runs[i].Kind {
			return fmt.Errorf("record %d is a %s in a run of %s", e.ID, e.Kind, runs[i].Kind)
		}
		prev = e.ID
		return fn(e)
	})
}

// KindRuns reads the kinds of records ids (sorted, distinct) and returns them as runs. Finding each
// of them among the user's records also proves they are the user's: one missing is ECONFLICT.
func KindRuns(ids []int64, read ReadFunc) ([]beifen.RecordRun, error) {
	found := make([]int64, 0, len(ids))
	var kinds []beifen.RecordKind
	err := Walk(beifen.ConsecutiveRuns(ids), read, func(e *Entry) error {
		found, kinds = append(found, e.ID), append(kinds, e.Kind)
		return nil
	})
	if err != nil {
		return nil, err
	} else if len(found) != len(ids) {
		return nil, beifen.Errorf(beifen.ECONFLICT, "Snapshot refers to records that do not exist (removed before this backup finished?): send them again.")
	}
	return beifen.KindRuns(found, kinds), nil
}

// Kinds returns the stored kind of each record that dels name (repeats allowed), reading every
// head once; records the user has not are left out.
func Kinds(dels []beifen.RecordDeletion, read ReadFunc) (map[int64]beifen.RecordKind, error) {
	ids := make([]int64, len(dels))
	for i, d := range dels {
		ids[i] = d.ID
	}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	kinds := make(map[int64]beifen.RecordKind, len(ids))
	return kinds, Walk(beifen.ConsecutiveRuns(ids), read, func(e *Entry) error {
		kinds[e.ID] = e.Kind
		return nil
	})
}
