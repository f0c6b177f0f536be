package pack

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

func records(first int64, n int, payload int) []*beifen.Record {
	var recs []*beifen.Record
	for i := 0; i < n; i++ {
		kind := beifen.RecordKinds[i%len(beifen.RecordKinds)]
		recs = append(recs, &beifen.Record{ID: first + int64(i), Kind: kind, Ident: []byte(fmt.Sprint("i", i)),
			Version: []byte(fmt.Sprint("v", i)), Payload: bytes.Repeat([]byte{byte(i)}, payload*(i%3))})
	}
	return recs
}

func TestBuildEntries(t *testing.T) {
	at := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	recs := records(100, 200, 700)
	packs, err := Build(recs, at)
	if err != nil {
		t.Fatal(err)
	}
	var got []*beifen.Record
	for _, p := range packs {
		if p.Last-p.First >= MaxRecords {
			t.Fatalf("pack %d-%d spans more than %d IDs", p.First, p.Last, MaxRecords)
		}
		ents, err := p.Entries(nil)
		if err != nil {
			t.Fatal(err)
		}
		if ents[0].ID != p.First || ents[len(ents)-1].ID != p.Last {
			t.Fatalf("pack %d-%d holds %d-%d", p.First, p.Last, ents[0].ID, ents[len(ents)-1].ID)
		}
		for i := range ents {
			got = append(got, ents[i].Record(7))
		}
	}
	if len(packs) != 4 { // 200 records in packs of 64
		t.Fatalf("%d packs, want 4", len(packs))
	}
	for i, r := range recs {
		g := got[i]
		if g.ID != r.ID || g.Kind != r.Kind || !bytes.Equal(g.Ident, r.Ident) || !bytes.Equal(g.Version, r.Version) ||
			!bytes.Equal(g.Payload, r.Payload) || g.UserID != 7 || !g.CreatedAt.Equal(at) {
			t.Fatalf("record %d came back as %+v", i, g)
		}
	}
	// Large payloads close a pack before 64 records.
	big, err := Build(records(1, 64, 4000), at)
	if err != nil || len(big) < 2 {
		t.Fatalf("64 records of up to 8 KB: %d packs, %v; want a pack to close at 64 KiB", len(big), err)
	}
	// A gap in IDs wider than a pack may span starts another.
	gap := records(1, 2, 1)
	gap[1].ID = 1 + MaxRecords
	if ps, _ := Build(gap, at); len(ps) != 2 {
		t.Fatalf("IDs 1 and %d in %d packs, want 2", gap[1].ID, len(ps))
	}
}

func TestBuildRefuses(t *testing.T) {
	for name, r := range map[string]*beifen.Record{
		"kind":    {ID: 1, Kind: "photo"},
		"version": {ID: 1, Kind: beifen.KindSMS, Version: make([]byte, 256)},
	} {
		if _, err := Build([]*beifen.Record{r}, time.Time{}); err == nil {
			t.Errorf("%s: Build took %+v", name, r)
		}
	}
}

func TestEntriesCorrupt(t *testing.T) {
	p := mustBuild(t, records(1, 3, 10))[0]
	for name, q := range map[string]Pack{
		"short head":     {First: p.First, Last: p.Last, Heads: p.Heads[:len(p.Heads)-1], Payloads: p.Payloads},
		"short payloads": {First: p.First, Last: p.Last, Heads: p.Heads, Payloads: p.Payloads[:len(p.Payloads)-1]},
		"long payloads":  {First: p.First, Last: p.Last, Heads: p.Heads, Payloads: append(slices.Clone(p.Payloads), 0)},
		"out of range":   {First: p.First + 1, Last: p.Last, Heads: p.Heads, Payloads: p.Payloads},
	} {
		if _, err := q.Entries(nil); err == nil || !strings.Contains(err.Error(), "record pack") {
			t.Errorf("%s: err=%v", name, err)
		}
	}
	// Without payloads, the heads alone decode.
	ents, err := (&Pack{First: p.First, Last: p.Last, Heads: p.Heads}).Entries(nil)
	if err != nil || len(ents) != 3 || ents[1].Payload != nil {
		t.Fatalf("heads only: %v, %v", ents, err)
	}
}

func mustBuild(t *testing.T, recs []*beifen.Record) []*Pack {
	t.Helper()
	packs, err := Build(recs, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return packs
}

func TestWithout(t *testing.T) {
	p := mustBuild(t, records(10, 5, 10))[0]
	rest, n, err := p.Without([]int64{10, 12})
	if err != nil || n != 2 {
		t.Fatalf("Without: %d, %v", n, err)
	}
	ents, err := rest.Entries(nil)
	if err != nil || rest.First != 11 || rest.Last != 14 || len(ents) != 3 || ents[1].ID != 13 || !bytes.Equal(ents[1].Payload, bytes.Repeat([]byte{3}, 0)) {
		t.Fatalf("rest %d-%d: %+v, %v", rest.First, rest.Last, ents, err)
	}
	if none, n, err := p.Without([]int64{10, 11, 12, 13, 14}); none != nil || n != 5 || err != nil {
		t.Fatalf("Without all: %v, %d, %v", none, n, err)
	}
}

// store is a user's packs as a database holds them, read the way the dialects' ReadFunc does.
type store struct {
	packs []*Pack
	reads int
}

func (s *store) read(lo, hi int64, fn func(*Pack) error) error {
	s.reads++
	for _, p := range s.packs {
		if p.First <= hi && p.Last >= lo && p.Last <= hi+MaxRecords-1 {
			if err := fn(p); err != nil {
				return err
			}
		}
	}
	return nil
}

func TestWalk(t *testing.T) {
	// IDs 1-200 in packs 1-64, 65-128, 129-192, 193-200, with 70-79 gone.
	packs := mustBuild(t, records(1, 200, 1))
	packs[1], _, _ = packs[1].Without([]int64{70, 71, 72, 73, 74, 75, 76, 77, 78, 79})
	s := &store{packs: packs}
	walk := func(ranges ...[2]int64) []int64 {
		var ids []int64
		if err := Walk(ranges, s.read, func(e *Entry) error { ids = append(ids, e.ID); return nil }); err != nil {
			t.Fatal(err)
		}
		return ids
	}
	if got := walk([2]int64{60, 81}); !slices.Equal(got, []int64{60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 80, 81}) {
		t.Fatalf("60-81: %v", got)
	}
	// Ranges inside one pack read it once.
	s.reads = 0
	if got := walk([2]int64{1, 2}, [2]int64{5, 5}, [2]int64{64, 66}); !slices.Equal(got, []int64{1, 2, 5, 64, 65, 66}) || s.reads != 2 {
		t.Fatalf("1-2, 5, 64-66: %v in %d reads, want 2", got, s.reads)
	}
	// IDs no pack holds are left out.
	if got := walk([2]int64{75, 75}, [2]int64{199, 205}); !slices.Equal(got, []int64{199, 200}) {
		t.Fatalf("75, 199-205: %v", got)
	}
	// Packs visits each pack once, in order.
	var firsts []int64
	err := Packs([][2]int64{{1, 1}, {63, 130}, {131, 131}}, s.read, func(p *Pack) error { firsts = append(firsts, p.First); return nil })
	if err != nil || !slices.Equal(firsts, []int64{1, 65, 129}) {
		t.Fatalf("Packs: %v, %v", firsts, err)
	}
}

func FuzzEntries(f *testing.F) {
	p := mustBuildF(records(1, 5, 3))
	f.Add(p.Heads, p.Payloads, int64(1), int64(5))
	f.Fuzz(func(t *testing.T, heads, payloads []byte, first, last int64) {
		q := &Pack{First: first, Last: last, Heads: heads, Payloads: payloads}
		ents, err := q.Entries(nil)
		if err != nil {
			return
		}
		// What decodes, packs again to the same bytes.
		var recs []*beifen.Record
		for i := range ents {
			recs = append(recs, ents[i].Record(1))
		}
		again, err := Build(recs, time.Time{})
		if err != nil {
			t.Fatalf("decoded entries do not pack again: %v", err)
		}
		var h, pl []byte
		for _, a := range again {
			h, pl = append(h, a.Heads...), append(pl, a.Payloads...)
		}
		if !bytes.Equal(h, heads) || !bytes.Equal(pl, payloads) {
			t.Fatalf("packed again differently")
		}
	})
}

func mustBuildF(recs []*beifen.Record) *Pack {
	packs, err := Build(recs, time.Time{})
	if err != nil {
		panic(err)
	}
	return packs[0]
}

func TestPlanDrop(t *testing.T) {
	s := &store{packs: mustBuild(t, records(1, 200, 1))} // 1-64, 65-128, 129-192, 193-200
	ids := []int64{65, 66, 193, 194, 195, 196, 197, 198, 199, 200}
	for id := int64(1); id <= 64; id++ {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	whole, partial, n, err := PlanDrop(ids, s.read)
	if err != nil || !slices.Equal(whole, []int64{64, 200}) || !slices.Equal(partial, []int64{128}) || n != 74 {
		t.Fatalf("PlanDrop: whole %v, partial %v, %d records, %v; want [64 200], [128], 74", whole, partial, n, err)
	}
}
