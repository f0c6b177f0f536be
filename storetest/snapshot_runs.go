package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

// testSnapshotRuns checks the snapshots of two users against a model (a plain set of record IDs
// per snapshot) through random backups and deletions: records of several kinds stored in
// interleaved batches, so that the users' IDs and the kinds alternate; snapshots that keep,
// drop, and bring back records in the middle of long runs; and deletions of single records from
// the whole history. After every step each snapshot must list exactly its records of each kind,
// in ID order, with matching counts.
func testSnapshotRuns(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	s := open(t)
	rng := rand.New(rand.NewPCG(7, 11))
	type user struct {
		ctx   context.Context
		recs  map[int64]beifen.RecordKind // every record stored and not deleted
		snaps map[int64][]int64           // snapshot ID -> its record IDs, sorted
		order []int64                     // snapshot IDs, oldest first
	}
	users := make([]*user, 2)
	for i := range users {
		_, uctx := MustCreateUser(t, ctx, s)
		users[i] = &user{ctx: uctx, recs: map[int64]beifen.RecordKind{}, snaps: map[int64][]int64{}}
	}
	kinds := []beifen.RecordKind{beifen.KindSMS, beifen.KindSMS, beifen.KindSMS, beifen.KindMMS, beifen.KindCall, beifen.KindContact}
	n := 0
	store := func(u *user, count int) {
		var recs []*beifen.Record
		for range count {
			n++
			recs = append(recs, newRecord(kinds[rng.IntN(len(kinds))], fmt.Sprint("i", n), fmt.Sprint("v", n)))
		}
		if err := s.Records.PutRecords(u.ctx, recs); err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			u.recs[r.ID] = r.Kind
		}
	}
	check := func(step string) {
		t.Helper()
		for ui, u := range users {
			for _, id := range u.order {
				want := u.snaps[id]
				refs, err := s.Snapshots.SnapshotRefs(u.ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				var got []int64
				for _, ref := range refs {
					if ref.Kind != u.recs[ref.ID] {
						t.Fatalf("%s: user %d snapshot %d: record %d has kind %s, want %s", step, ui, id, ref.ID, ref.Kind, u.recs[ref.ID])
					}
					got = append(got, ref.ID)
				}
				if !slices.Equal(got, want) {
					t.Fatalf("%s: user %d snapshot %d refs:\n got %v\nwant %v", step, ui, id, got, want)
				}
				counts := map[string]int{}
				for _, kind := range beifen.RecordKinds {
					var byKind, wantKind []int64
					err := s.Snapshots.SnapshotRecords(u.ctx, id, kind, func(r *beifen.Record) error {
						byKind = append(byKind, r.ID)
						return nil
					})
					if err != nil {
						t.Fatal(err)
					}
					for _, rid := range want {
						if u.recs[rid] == kind {
							wantKind = append(wantKind, rid)
						}
					}
					if !slices.Equal(byKind, wantKind) {
						t.Fatalf("%s: user %d snapshot %d %s records:\n got %v\nwant %v", step, ui, id, kind, byKind, wantKind)
					}
					counts[kind.SnapshotColumn()] += len(wantKind)
				}
				sn, err := s.Snapshots.FindSnapshotByID(u.ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if sn.Contacts != counts["contacts"] || sn.Messages != counts["messages"] || sn.Calls != counts["calls"] {
					t.Fatalf("%s: user %d snapshot %d counts %+v, want %v", step, ui, id, sn, counts)
				}
			}
		}
	}
	for step := range 12 {
		for _, u := range users {
			store(u, 20+rng.IntN(60)) // the two users' batches interleave their IDs
		}
		for ui, u := range users {
			switch {
			case step > 0 && rng.IntN(4) == 0 && len(u.order) > 0:
				// Delete a few records, each from every snapshot that holds it.
				var dels []beifen.RecordDeletion
				deleted := map[int64]bool{}
				for id, kind := range u.recs {
					if len(dels) < 3 && rng.IntN(10) == 0 {
						dels = append(dels, beifen.RecordDeletion{ID: id, Kind: kind})
						deleted[id] = true
					}
				}
				if _, err := s.Records.DeleteRecords(u.ctx, dels); err != nil {
					t.Fatal(err)
				}
				for id := range deleted {
					delete(u.recs, id)
				}
				for sid, ids := range u.snaps {
					u.snaps[sid] = slices.DeleteFunc(ids, func(id int64) bool { return deleted[id] })
				}
			default:
				// Back up: most records stay, some go, some come back.
				var ids []int64
				for id := range u.recs {
					if rng.IntN(8) != 0 {
						ids = append(ids, id)
					}
				}
				slices.Sort(ids)
				sn := &beifen.Snapshot{}
				if err := s.Snapshots.CreateSnapshot(u.ctx, sn, ids); err != nil {
					t.Fatal(err)
				}
				u.snaps[sn.ID], u.order = ids, append(u.order, sn.ID)
			}
			check(fmt.Sprintf("step %d user %d", step, ui))
		}
	}
	// What no snapshot holds goes with DeleteOrphanRecords, and only that.
	for ui, u := range users {
		held := map[int64]bool{}
		for _, ids := range u.snaps {
			for _, id := range ids {
				held[id] = true
			}
		}
		var orphans int
		for id := range u.recs {
			if !held[id] {
				orphans++
			}
		}
		got, err := s.Records.DeleteOrphanRecords(u.ctx, time.Now().Add(time.Hour))
		if err != nil || got != orphans {
			t.Fatalf("user %d: DeleteOrphanRecords=%d, %v; want %d", ui, got, err, orphans)
		}
		check(fmt.Sprintf("after orphans of user %d", ui))
	}
}
