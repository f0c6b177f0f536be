package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/beifen/beifen"
)

// SpansBeforeRuns is the data both dialects' tests of migration 0026 (one span per record
// becomes runs of records) put in a schema migrated up to 0025, and the runs they must find
// after it: records 1-8 are user 1's SMS 1-3, call 4, SMS 5-6, user 2's SMS 7 and user 1's SMS
// 8; user 1's snapshot 1 holds 1-6 and 8, snapshot 2 drops 2; user 2's snapshot 3 holds 7.
var SpansBeforeRuns = struct {
	Kinds []string // of records 1-8, by ID
	Owner []int64  // of records 1-8, by ID
	Spans [][4]any // user_id, record_id, from_snapshot, to_snapshot (nil while open)
	Runs  [][6]any // user_id, kind, first_id, last_id, from_snapshot, to_snapshot (0 while open), sorted
}{
	Kinds: []string{"", "sms", "sms", "sms", "call", "sms", "sms", "sms", "sms"},
	Owner: []int64{0, 1, 1, 1, 1, 1, 1, 2, 1},
	Spans: [][4]any{
		{1, 1, 1, nil}, {1, 2, 1, 2}, {1, 3, 1, nil}, {1, 4, 1, nil}, {1, 5, 1, nil}, {1, 6, 1, nil}, {1, 8, 1, nil}, {2, 7, 3, nil},
	},
	Runs: [][6]any{
		{int64(1), "sms", int64(1), int64(1), int64(1), int64(0)},
		{int64(1), "sms", int64(2), int64(2), int64(1), int64(2)},
		{int64(1), "sms", int64(3), int64(3), int64(1), int64(0)},
		{int64(1), "call", int64(4), int64(4), int64(1), int64(0)},
		{int64(1), "sms", int64(5), int64(6), int64(1), int64(0)},
		{int64(1), "sms", int64(8), int64(8), int64(1), int64(0)},
		{int64(2), "sms", int64(7), int64(7), int64(3), int64(0)},
	},
}

// CheckPackedRecords checks a database holding SpansBeforeRuns after migration 0028 (records
// become packs of one): each record reads back with its ID, kind and owner, its ident and version
// the byte of its ID and its payload empty; and a new record gets ID next, the one after the
// highest the old schema ever gave (deleted records' IDs are not reused).
func CheckPackedRecords(tb testing.TB, records beifen.RecordService, next int64) {
	tb.Helper()
	fx := SpansBeforeRuns
	for _, uid := range []int64{1, 2} {
		ctx := beifen.NewContextWithUser(context.Background(), &beifen.User{ID: uid})
		var want, got []string
		for id := 1; id < len(fx.Kinds); id++ {
			if fx.Owner[id] == uid {
				want = append(want, fmt.Sprintf("%d %s %02x %02x []", id, fx.Kinds[id], id, id))
			}
		}
		err := records.ScanRecords(ctx, func(r *beifen.Record) error {
			got = append(got, fmt.Sprintf("%d %s %x %x %v", r.ID, r.Kind, r.Ident, r.Version, r.Payload))
			return nil
		})
		if err != nil || !slices.Equal(got, want) {
			tb.Fatalf("user %d's records after migration: %q, %v; want %q", uid, got, err, want)
		}
		found, err := records.FindRecordsByIDs(ctx, []int64{7, 8})
		if err != nil || len(found) != 1 || found[0].ID != map[int64]int64{1: 8, 2: 7}[uid] {
			tb.Fatalf("user %d finds %v, %v among records 7 and 8", uid, found, err)
		}
	}
	ctx := beifen.NewContextWithUser(context.Background(), &beifen.User{ID: 1})
	again := &beifen.Record{Kind: beifen.KindSMS, Ident: []byte{3}, Version: []byte{3}, Payload: []byte{}}
	fresh := &beifen.Record{Kind: beifen.KindSMS, Ident: []byte("new"), Version: []byte("new"), Payload: []byte("p")}
	if err := records.PutRecords(ctx, []*beifen.Record{again, fresh}); err != nil {
		tb.Fatal(err)
	}
	if again.ID != 3 || fresh.ID != next {
		tb.Fatalf("after migration, a stored record got ID %d (want 3) and a new one %d (want %d)", again.ID, fresh.ID, next)
	}
}
