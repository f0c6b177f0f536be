package backup

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

// fakeSnapshots hands out sealed calls 1..n for any snapshot.
type fakeSnapshots struct {
	beifen.SnapshotService
	recs []*beifen.Record
}

// SnapshotRecords reuses one record and its slices from call to call, as the stores may.
func (f *fakeSnapshots) SnapshotRecords(ctx context.Context, id int64, kind beifen.RecordKind, fn func(*beifen.Record) error) error {
	var r beifen.Record
	var version, payload []byte
	for _, src := range f.recs {
		version, payload = append(version[:0], src.Version...), append(payload[:0], src.Payload...)
		r = beifen.Record{ID: src.ID, UserID: src.UserID, Kind: src.Kind, Version: version, Payload: payload}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return nil
}

// TestEach: each hands every record to fn in order, stops at fn's first error and returns it,
// returns the reader's error, and leaves no goroutine behind either way.
func TestEach(t *testing.T) {
	a := testAccount(t)
	snaps := &fakeSnapshots{}
	for i := range 1000 {
		c := &beifen.Call{Attrs: beifen.Attrs{{Name: "number", Value: fmt.Sprint(i)}}}
		r, err := a.newRecord(beifen.KindCall, c.Identity(), c)
		if err != nil {
			t.Fatal(err)
		}
		r.ID = int64(i + 1)
		snaps.recs = append(snaps.recs, r)
	}
	s := &Service{Store: beifen.Store{Snapshots: snaps}}
	ctx := context.Background()
	before := runtime.NumGoroutine()

	var got []int64
	if err := each(ctx, s, a, 1, beifen.KindCall, func(c *beifen.Call) error { got = append(got, c.RecordID); return nil }); err != nil {
		t.Fatal(err)
	}
	for i, id := range got {
		if id != int64(i+1) {
			t.Fatalf("record %d came as %d", i+1, id)
		}
	}
	if len(got) != 1000 {
		t.Fatalf("%d records, want 1000", len(got))
	}

	stop := errors.New("stop")
	n := 0
	err := each(ctx, s, a, 1, beifen.KindCall, func(c *beifen.Call) error {
		if n++; n == 300 {
			return stop
		}
		return nil
	})
	if err != stop || n != 300 {
		t.Fatalf("each after fn failed at 300: %v after %d calls", err, n)
	}

	good := snaps.recs[700].Payload
	snaps.recs[700].Payload = []byte("damaged")
	n = 0
	err = each(ctx, s, a, 1, beifen.KindCall, func(c *beifen.Call) error { n++; return nil })
	if err == nil || n > 700 {
		t.Fatalf("each over a damaged record: %v after %d calls", err, n)
	}

	snaps.recs[700].Payload = good // else reading ahead may reach it before fn's first call

	// A panic in fn is the walk's error, not the server's end.
	err = each(ctx, s, a, 1, beifen.KindCall, func(c *beifen.Call) error { panic("boom") })
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("each after fn panicked: %v", err)
	}

	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > before {
		t.Fatalf("%d goroutines left, %d before", g, before)
	}
}
