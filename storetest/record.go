package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

// newRecord returns an unsaved record of kind with a version made from v.
func newRecord(kind beifen.RecordKind, ident, v string) *beifen.Record {
	return &beifen.Record{Kind: kind, Ident: []byte(ident), Version: []byte(v), Payload: []byte("sealed " + v)}
}

func testRecord(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	t.Run("PutDedups", func(t *testing.T) {
		s := open(t)
		_, uctx := MustCreateUser(t, ctx, s)
		a, b := newRecord(beifen.KindSMS, "i1", "v1"), newRecord(beifen.KindSMS, "i2", "v2")
		dup := newRecord(beifen.KindSMS, "i1", "v1")
		// The same record twice (one *Record) is one record too.
		if err := s.Records.PutRecords(uctx, []*beifen.Record{a, b, dup, a}); err != nil {
			t.Fatal(err)
		}
		if a.ID == 0 || b.ID == 0 || a.ID == b.ID || dup.ID != a.ID {
			t.Fatalf("IDs a=%d b=%d dup=%d, want a and dup equal, b different", a.ID, b.ID, dup.ID)
		}
		again := newRecord(beifen.KindSMS, "i1", "v1")
		if err := s.Records.PutRecords(uctx, []*beifen.Record{again}); err != nil {
			t.Fatal(err)
		}
		if again.ID != a.ID {
			t.Fatalf("ID=%d, want existing %d", again.ID, a.ID)
		}
		got, err := s.Records.FindRecordsByIDs(uctx, []int64{b.ID, a.ID})
		if err != nil || len(got) != 2 || got[0].ID != a.ID || string(got[1].Payload) != "sealed v2" {
			t.Fatalf("FindRecordsByIDs=%v, %v", got, err)
		}
	})
	t.Run("Many", func(t *testing.T) {
		s := open(t)
		_, uctx := MustCreateUser(t, ctx, s)
		var recs []*beifen.Record
		for i := 0; i < 1234; i++ {
			recs = append(recs, newRecord(beifen.KindCall, fmt.Sprint(i), fmt.Sprint("v", i)))
		}
		if err := s.Records.PutRecords(uctx, recs); err != nil {
			t.Fatal(err)
		}
		n := 0
		if err := s.Records.ScanRecords(uctx, func(*beifen.Record) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		if n != len(recs) {
			t.Fatalf("ScanRecords saw %d, want %d", n, len(recs))
		}
		// New records are numbered in the order given (their versions "v0", "v1", ... "v10" are
		// not in that order).
		for i := 1; i < len(recs); i++ {
			if recs[i].ID <= recs[i-1].ID {
				t.Fatalf("record %d got ID %d after %d", i, recs[i].ID, recs[i-1].ID)
			}
		}
		// Every ID names its own record, in a batch of new records and in one mixing new and
		// stored ones.
		mixed := []*beifen.Record{newRecord(beifen.KindCall, "new1", "nv1"), newRecord(beifen.KindCall, "7", "v7"),
			newRecord(beifen.KindSMS, "new2", "nv2"), newRecord(beifen.KindCall, "1000", "v1000")}
		if err := s.Records.PutRecords(uctx, mixed); err != nil {
			t.Fatal(err)
		}
		if mixed[1].ID != recs[7].ID || mixed[3].ID != recs[1000].ID {
			t.Fatalf("stored records got IDs %d and %d, want %d and %d", mixed[1].ID, mixed[3].ID, recs[7].ID, recs[1000].ID)
		}
		if last := recs[len(recs)-1].ID; mixed[0].ID <= last || mixed[2].ID <= mixed[0].ID {
			t.Fatalf("new records beside stored ones got IDs %d and %d after %d", mixed[0].ID, mixed[2].ID, last)
		}
		for _, r := range append(recs, mixed...) {
			got, err := s.Records.FindRecordsByIDs(uctx, []int64{r.ID})
			if err != nil || len(got) != 1 || string(got[0].Version) != string(r.Version) || got[0].Kind != r.Kind {
				t.Fatalf("record %d is %+v, %v; want version %q", r.ID, got, err, r.Version)
			}
		}
	})
	t.Run("DeletedIsStoredAgain", func(t *testing.T) {
		s := open(t)
		_, uctx := MustCreateUser(t, ctx, s)
		_, octx := MustCreateUser(t, ctx, s)
		a := newRecord(beifen.KindSMS, "i1", "v1")
		if err := s.Records.PutRecords(uctx, []*beifen.Record{a, newRecord(beifen.KindCall, "i2", "v1")}); err != nil {
			t.Fatal(err)
		}
		// The same version of another user, or of another kind, is another record.
		other := newRecord(beifen.KindSMS, "i1", "v1")
		if err := s.Records.PutRecords(octx, []*beifen.Record{other}); err != nil {
			t.Fatal(err)
		}
		if other.ID == a.ID {
			t.Fatalf("another user's put of the same version got ID %d, the first user's", a.ID)
		}
		if n, err := s.Records.DeleteOrphanRecords(uctx, time.Now().Add(time.Hour)); err != nil || n != 2 {
			t.Fatalf("DeleteOrphanRecords=%d, %v, want 2", n, err)
		}
		again := newRecord(beifen.KindSMS, "i1", "v1")
		if err := s.Records.PutRecords(uctx, []*beifen.Record{again}); err != nil {
			t.Fatal(err)
		}
		if again.ID == a.ID || again.ID == 0 {
			t.Fatalf("a deleted record put again got ID %d (deleted one: %d), want a new ID", again.ID, a.ID)
		}
		got, err := s.Records.FindRecordsByIDs(uctx, []int64{again.ID, a.ID})
		if err != nil || len(got) != 1 || got[0].ID != again.ID || string(got[0].Version) != "v1" {
			t.Fatalf("FindRecordsByIDs=%v, %v, want only the new record", got, err)
		}
		// Another put finds the new record, not the deleted one.
		third := newRecord(beifen.KindSMS, "i1", "v1")
		if err := s.Records.PutRecords(uctx, []*beifen.Record{third}); err != nil || third.ID != again.ID {
			t.Fatalf("put again: ID=%d, %v, want %d", third.ID, err, again.ID)
		}
	})

	t.Run("ErrOtherUsersRecord", func(t *testing.T) {
		s := open(t)
		_, uctx := MustCreateUser(t, ctx, s)
		_, other := MustCreateUser(t, ctx, s)
		r := newRecord(beifen.KindContact, "i", "v")
		if err := s.Records.PutRecords(uctx, []*beifen.Record{r}); err != nil {
			t.Fatal(err)
		}
		got, err := s.Records.FindRecordsByIDs(other, []int64{r.ID})
		if err != nil || len(got) != 0 {
			t.Fatalf("other user sees %d records (%v), want none", len(got), err)
		}
		// The same content under another account is another record.
		r2 := newRecord(beifen.KindContact, "i", "v")
		if err := s.Records.PutRecords(other, []*beifen.Record{r2}); err != nil {
			t.Fatal(err)
		}
		if r2.ID == r.ID {
			t.Fatal("two accounts share a record")
		}
	})
	t.Run("ErrUnauthorized", func(t *testing.T) {
		s := open(t)
		err := s.Records.PutRecords(ctx, []*beifen.Record{newRecord(beifen.KindSMS, "i", "v")})
		wantError(t, err, beifen.EUNAUTHORIZED, "You must be signed in.")
	})
}
