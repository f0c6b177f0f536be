package pack

import (
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

// Random layouts: several PutRecords calls (IDs interleaved with other users' gaps), random
// deletions (pack rewrites), migrated one-record packs; random sorted disjoint ranges.
func TestReviewWalkRandom(t *testing.T) {
	for seed := uint64(0); seed < 3000; seed++ {
		rng := rand.New(rand.NewPCG(seed, 1))
		var packs []*Pack
		next := int64(1)
		// migrated one-record packs
		for i := rng.IntN(30); i > 0; i-- {
			next += int64(rng.IntN(3))
			ps, _ := Build([]*beifen.Record{{ID: next, Kind: beifen.KindSMS}}, time.Time{})
			packs = append(packs, ps...)
			next++
		}
		for c := rng.IntN(6); c > 0; c-- {
			next += int64(rng.IntN(100)) // other users' IDs
			n := 1 + rng.IntN(200)
			var recs []*beifen.Record
			for i := 0; i < n; i++ {
				recs = append(recs, &beifen.Record{ID: next, Kind: beifen.RecordKinds[rng.IntN(5)], Payload: make([]byte, rng.IntN(3000))})
				next++
			}
			ps, err := Build(recs, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			packs = append(packs, ps...)
		}
		// deletions
		var kept []*Pack
		for _, p := range packs {
			q, _, err := p.Without(func(int64) bool { return rng.IntN(4) == 0 })
			if err != nil {
				t.Fatal(err)
			}
			if q != nil {
				kept = append(kept, q)
			}
		}
		packs = kept
		sort.Slice(packs, func(i, j int) bool { return packs[i].Last < packs[j].Last })
		var all []int64
		for _, p := range packs {
			ents, _ := p.Entries(nil)
			for _, e := range ents {
				all = append(all, e.ID)
			}
		}
		// ranges
		var ranges [][2]int64
		x := int64(rng.IntN(5))
		for x < next+5 {
			lo := x + int64(rng.IntN(80))
			hi := lo + int64(rng.IntN(90))
			if rng.IntN(3) == 0 {
				hi = lo
			}
			ranges = append(ranges, [2]int64{lo, hi})
			x = hi + 1 + int64(rng.IntN(3))
		}
		var want []int64
		for _, id := range all {
			for _, r := range ranges {
				if r[0] <= id && id <= r[1] {
					want = append(want, id)
				}
			}
		}
		s := &store{packs: packs}
		var got []int64
		if err := Walk(ranges, s.read, func(e *Entry) error { got = append(got, e.ID); return nil }); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("seed %d: got %v want %v", seed, got, want)
		}
		seen := map[int64]bool{}
		err := Packs(ranges, s.read, func(p *Pack) error {
			if seen[p.Last] {
				t.Fatalf("seed %d: pack %d-%d twice", seed, p.First, p.Last)
			}
			seen[p.Last] = true
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
