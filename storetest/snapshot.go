package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

// mustRecords stores n records of kind named prefix0..prefixN and returns their IDs.
func mustRecords(tb testing.TB, ctx context.Context, s Services, kind beifen.RecordKind, prefix string, n int) []int64 {
	tb.Helper()
	var recs []*beifen.Record
	for i := 0; i < n; i++ {
		recs = append(recs, newRecord(kind, fmt.Sprint(prefix, i), fmt.Sprint(prefix, "v", i)))
	}
	if err := s.Records.PutRecords(ctx, recs); err != nil {
		tb.Fatal(err)
	}
	ids := make([]int64, n)
	for i, r := range recs {
		ids[i] = r.ID
	}
	return ids
}

// snapshotIDs returns the record IDs of kind in snapshot id.
func snapshotIDs(tb testing.TB, ctx context.Context, s Services, id int64, kind beifen.RecordKind) []int64 {
	tb.Helper()
	var ids []int64
	err := s.Snapshots.SnapshotRecords(ctx, id, kind, func(r *beifen.Record) error { ids = append(ids, r.ID); return nil })
	if err != nil {
		tb.Fatal(err)
	}
	return ids
}

func mustSnapshot(tb testing.TB, ctx context.Context, s Services, ids ...[]int64) *beifen.Snapshot {
	tb.Helper()
	all := slices.Concat(ids...)
	slices.Sort(all)
	sn := &beifen.Snapshot{}
	if err := s.Snapshots.CreateSnapshot(ctx, sn, all); err != nil {
		tb.Fatal(err)
	}
	return sn
}

func testSnapshot(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	t.Run("DeleteOrphanRecords", func(t *testing.T) {
		s := open(t)
		_, uctx := MustCreateUser(t, ctx, s)
		held := mustRecords(t, uctx, s, beifen.KindSMS, "h", 2)
		mustSnapshot(t, uctx, s, held)
		orphans := mustRecords(t, uctx, s, beifen.KindSMS, "o", 3)
		if err := s.Sources.PutSources(uctx, []*beifen.Source{{Hash: []byte("h"), Records: []byte("list")}}); err != nil {
			t.Fatal(err)
		}
		// Another user's call deletes none of them; nothing is older than an hour ago.
		_, other := MustCreateUser(t, ctx, s)
		if n, err := s.Records.DeleteOrphanRecords(other, time.Now().Add(time.Hour)); err != nil || n != 0 {
			t.Fatalf("another user's collection deleted %d, %v", n, err)
		}
		if n, err := s.Records.DeleteOrphanRecords(uctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
			t.Fatalf("deleted %d records younger than the cutoff, %v", n, err)
		}
		if _, err := s.Sources.FindSource(uctx, []byte("h")); err != nil {
			t.Fatalf("sources went with nothing deleted: %v", err)
		}
		n, err := s.Records.DeleteOrphanRecords(uctx, time.Now().Add(time.Hour))
		if err != nil || n != len(orphans) {
			t.Fatalf("DeleteOrphanRecords=%d, %v; want %d", n, err, len(orphans))
		}
		if recs, _ := s.Records.FindRecordsByIDs(uctx, slices.Concat(held, orphans)); len(recs) != len(held) {
			t.Fatalf("%d records left, want the %d a snapshot holds", len(recs), len(held))
		}
		if _, err := s.Sources.FindSource(uctx, []byte("h")); beifen.ErrorCode(err) != beifen.ENOTFOUND {
			t.Fatalf("sources kept after deleting records: %v", err)
		}
	})
	t.Run("DeleteRecords", func(t *testing.T) {
		s := open(t)
		_, uctx := MustCreateUser(t, ctx, s)
		a := mustRecords(t, uctx, s, beifen.KindSMS, "a", 3)
		f := mustRecords(t, uctx, s, beifen.KindFile, "f", 1)
		s1 := mustSnapshot(t, uctx, s, a, f)
		s2 := mustSnapshot(t, uctx, s, a[1:], f)
		s3 := mustSnapshot(t, uctx, s, a[2:])
		if err := s.Sources.PutSources(uctx, []*beifen.Source{{Hash: []byte("h"), Records: []byte("list")}}); err != nil {
			t.Fatal(err)
		}
		// Another user cannot delete them, and a wrong kind deletes nothing either.
		_, other := MustCreateUser(t, ctx, s)
		if _, err := s.Records.DeleteRecords(other, []beifen.RecordDeletion{{ID: a[1], Kind: beifen.KindSMS}}); beifen.ErrorCode(err) != beifen.ENOTFOUND {
			t.Fatalf("another user's delete: %v", err)
		}
		_, err := s.Records.DeleteRecords(uctx, []beifen.RecordDeletion{{ID: a[1], Kind: beifen.KindSMS}, {ID: a[2], Kind: beifen.KindCall}})
		if beifen.ErrorCode(err) != beifen.ENOTFOUND || len(snapshotIDs(t, uctx, s, s2.ID, beifen.KindSMS)) != 2 {
			t.Fatalf("delete with a wrong kind: %v", err)
		}
		touched, err := s.Records.DeleteRecords(uctx, []beifen.RecordDeletion{{ID: a[1], Kind: beifen.KindSMS}, {ID: f[0], Kind: beifen.KindFile, Bytes: 100}})
		if err != nil || touched != 2 { // a1 was in s1 and s2, f0 in s1 and s2; s3 held neither
			t.Fatalf("DeleteRecords touched %d snapshots, %v; want 2", touched, err)
		}
		for _, tt := range []struct {
			snap     *beifen.Snapshot
			want     []int64
			files    int
			messages int
		}{{s1, []int64{a[0], a[2]}, 0, 2}, {s2, []int64{a[2]}, 0, 1}, {s3, []int64{a[2]}, 0, 1}} {
			got := snapshotIDs(t, uctx, s, tt.snap.ID, beifen.KindSMS)
			sn, err := s.Snapshots.FindSnapshotByID(uctx, tt.snap.ID)
			if err != nil || !slices.Equal(got, tt.want) || len(snapshotIDs(t, uctx, s, tt.snap.ID, beifen.KindFile)) != tt.files ||
				sn.Messages != tt.messages || sn.Files != tt.files {
				t.Fatalf("snapshot %d after delete: IDs=%v, %+v, %v; want %v", tt.snap.ID, got, sn, err, tt.want)
			}
		}
		// The snapshots whose content changed have a new revision, the other one has not.
		for _, tt := range []struct {
			snap    *beifen.Snapshot
			changed bool
		}{{s1, true}, {s2, true}, {s3, false}} {
			sn, err := s.Snapshots.FindSnapshotByID(uctx, tt.snap.ID)
			if err != nil || (sn.Revision != tt.snap.Revision) != tt.changed {
				t.Fatalf("snapshot %d: revision %d before the delete, %d after (%v); want changed=%v",
					tt.snap.ID, tt.snap.Revision, sn.Revision, err, tt.changed)
			}
		}
		if recs, err := s.Records.FindRecordsByIDs(uctx, []int64{a[1], f[0]}); err != nil || len(recs) != 0 {
			t.Fatalf("deleted records still found: %d, %v", len(recs), err)
		}
		if _, err := s.Sources.FindSource(uctx, []byte("h")); beifen.ErrorCode(err) != beifen.ENOTFOUND {
			t.Fatalf("sources kept after a delete: %v", err)
		}
	})
	t.Run("History", func(t *testing.T) {
		s := open(t)
		_, uctx := MustCreateUser(t, ctx, s)
		a := mustRecords(t, uctx, s, beifen.KindSMS, "a", 3)
		b := mustRecords(t, uctx, s, beifen.KindSMS, "b", 2)
		s1 := mustSnapshot(t, uctx, s, a)
		s2 := mustSnapshot(t, uctx, s, a[1:], b) // a0 gone, b new
		s3 := mustSnapshot(t, uctx, s, a, b)     // a0 back
		s4 := mustSnapshot(t, uctx, s)           // phone wiped
		for _, tt := range []struct {
			snap *beifen.Snapshot
			want []int64
		}{{s1, a}, {s2, slices.Concat(a[1:], b)}, {s3, slices.Concat(a, b)}, {s4, nil}} {
			if got := snapshotIDs(t, uctx, s, tt.snap.ID, beifen.KindSMS); !slices.Equal(got, tt.want) {
				t.Fatalf("snapshot %d: IDs=%v, want %v", tt.snap.ID, got, tt.want)
			}
		}
		refs, err := s.Snapshots.SnapshotRefs(uctx, s2.ID)
		if err != nil || len(refs) != 4 || refs[0].Kind != beifen.KindSMS || string(refs[0].Ident) != "a1" {
			t.Fatalf("SnapshotRefs=%v, %v", refs, err)
		}
	})
	t.Run("Kinds", func(t *testing.T) {
		s := open(t)
		_, uctx := MustCreateUser(t, ctx, s)
		calls := mustRecords(t, uctx, s, beifen.KindCall, "c", 2)
		cards := mustRecords(t, uctx, s, beifen.KindContact, "k", 1)
		sn := mustSnapshot(t, uctx, s, calls, cards)
		if sn.Calls != 2 || sn.Contacts != 1 || sn.Messages != 0 || sn.Files != 0 {
			t.Fatalf("counts calls=%d contacts=%d messages=%d files=%d, want 2 1 0 0", sn.Calls, sn.Contacts, sn.Messages, sn.Files)
		}
		if got := snapshotIDs(t, uctx, s, sn.ID, beifen.KindCall); !slices.Equal(got, calls) {
			t.Fatalf("calls=%v, want %v", got, calls)
		}
		if got := snapshotIDs(t, uctx, s, sn.ID, beifen.KindSMS); len(got) != 0 {
			t.Fatalf("sms=%v, want none", got)
		}
	})
	t.Run("Find", func(t *testing.T) {
		s := open(t)
		_, uctx := MustCreateUser(t, ctx, s)
		s1 := mustSnapshot(t, uctx, s, mustRecords(t, uctx, s, beifen.KindSMS, "a", 2))
		s2 := mustSnapshot(t, uctx, s)
		snaps, n, err := s.Snapshots.FindSnapshots(uctx, beifen.SnapshotFilter{})
		if err != nil || n != 2 || snaps[0].ID != s2.ID || snaps[1].ID != s1.ID || snaps[1].Messages != 2 {
			t.Fatalf("FindSnapshots=%v n=%d, %v", snaps, n, err)
		}
		got, err := s.Snapshots.FindSnapshotByID(uctx, s1.ID)
		if err != nil || got.Messages != 2 || got.Calls != 0 || !near(got.CreatedAt, s1.CreatedAt) {
			t.Fatalf("FindSnapshotByID=%+v, %v", got, err)
		}
	})
	t.Run("ClaimsBlobs", func(t *testing.T) {
		s := open(t)
		_, uctx := MustCreateUser(t, ctx, s)
		if err := s.Blobs.PutBlobEntries(uctx, []*beifen.BlobEntry{{Name: "n1", Size: 10}, {Name: "n2", Size: 5}}); err != nil {
			t.Fatal(err)
		}
		s1 := mustSnapshot(t, uctx, s)
		s2 := mustSnapshot(t, uctx, s)
		if s1.NewBlobs != 2 || s1.NewBytes != 15 || s2.NewBlobs != 0 || s2.NewBytes != 0 {
			t.Fatalf("new blobs %d/%d then %d/%d, want 2/15 then 0/0", s1.NewBlobs, s1.NewBytes, s2.NewBlobs, s2.NewBytes)
		}
		got, _ := s.Snapshots.FindSnapshotByID(uctx, s1.ID)
		if got.NewBlobs != 2 {
			t.Fatalf("stored NewBlobs=%d, want 2", got.NewBlobs)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		_, uctx := MustCreateUser(t, ctx, s)
		_, other := MustCreateUser(t, ctx, s)
		sn := mustSnapshot(t, uctx, s, mustRecords(t, uctx, s, beifen.KindSMS, "a", 1))
		_, err := s.Snapshots.FindSnapshotByID(other, sn.ID)
		wantError(t, err, beifen.ENOTFOUND, "Snapshot not found.")
		err = s.Snapshots.SnapshotRecords(other, sn.ID, beifen.KindSMS, func(*beifen.Record) error { return nil })
		wantError(t, err, beifen.ENOTFOUND, "Snapshot not found.")
		_, err = s.Snapshots.SnapshotRefs(other, sn.ID)
		wantError(t, err, beifen.ENOTFOUND, "Snapshot not found.")
	})
	t.Run("RunsAndScattered", func(t *testing.T) {
		// A long run of consecutive IDs next to scattered ones, with a foreign ID inside a run's
		// range: the run and the list are both checked to be the user's.
		s := open(t)
		_, uctx := MustCreateUser(t, ctx, s)
		_, other := MustCreateUser(t, ctx, s)
		run := mustRecords(t, uctx, s, beifen.KindSMS, "r", 40)
		foreign := mustRecords(t, other, s, beifen.KindSMS, "x", 1)
		more := mustRecords(t, uctx, s, beifen.KindCall, "c", 40)
		var scattered []int64
		for i := 0; i < len(more); i += 2 {
			scattered = append(scattered, more[i])
		}
		// First all of them at once, the foreign ID inside the one long run of new IDs (the run's
		// range is checked, not a list): refused, and nothing of it committed.
		all := slices.Concat(run, foreign, more)
		slices.Sort(all)
		err := s.Snapshots.CreateSnapshot(uctx, &beifen.Snapshot{}, all)
		wantError(t, err, beifen.ECONFLICT, "Snapshot refers to records that do not exist (removed before this backup finished?): send them again.")
		sn := mustSnapshot(t, uctx, s, run, scattered)
		if got := snapshotIDs(t, uctx, s, sn.ID, beifen.KindSMS); !slices.Equal(got, run) {
			t.Fatalf("sms=%v, want %v", got, run)
		}
		if got := snapshotIDs(t, uctx, s, sn.ID, beifen.KindCall); !slices.Equal(got, scattered) {
			t.Fatalf("calls=%v, want %v", got, scattered)
		}
		if sn.Messages != 40 || sn.Calls != 20 {
			t.Fatalf("Messages=%d Calls=%d, want 40 20", sn.Messages, sn.Calls)
		}
		// Then again with scattered new IDs (a list is checked).
		err = s.Snapshots.CreateSnapshot(uctx, &beifen.Snapshot{}, all)
		wantError(t, err, beifen.ECONFLICT, "Snapshot refers to records that do not exist (removed before this backup finished?): send them again.")
	})
	t.Run("ErrOtherUsersRecords", func(t *testing.T) {
		s := open(t)
		_, uctx := MustCreateUser(t, ctx, s)
		_, other := MustCreateUser(t, ctx, s)
		ids := mustRecords(t, uctx, s, beifen.KindSMS, "a", 2)
		err := s.Snapshots.CreateSnapshot(other, &beifen.Snapshot{}, ids)
		wantError(t, err, beifen.ECONFLICT, "Snapshot refers to records that do not exist (removed before this backup finished?): send them again.")
		if _, n, _ := s.Snapshots.FindSnapshots(other, beifen.SnapshotFilter{}); n != 0 {
			t.Fatalf("a failed snapshot left %d behind", n)
		}
	})
}
