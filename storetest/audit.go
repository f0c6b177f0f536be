package storetest

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

func testAudit(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	s := open(t)
	// Concurrent appends to one scope still form one chain: each entry names the one before.
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := &beifen.AuditEvent{Scope: "team:1", ActorID: 7, Action: "recording.play", Object: "recording:1", At: time.Now()}
			if err := s.Audit.AppendAudit(ctx, e, func(prev []byte) []byte { return append(append([]byte{}, prev...), 'x') }); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	other := &beifen.AuditEvent{Scope: "user:2", ActorID: 2, Action: "snapshot.export", Object: "snapshot:1", At: time.Now()}
	if err := s.Audit.AppendAudit(ctx, other, func(prev []byte) []byte { return []byte("h") }); err != nil || len(other.Prev) != 0 {
		t.Fatalf("first entry of a scope: prev=%q, %v", other.Prev, err)
	}
	prev := []byte{}
	n := 0
	err := s.Audit.ScanAudit(ctx, "team:1", func(e *beifen.AuditEvent) error {
		n++
		if !bytes.Equal(e.Prev, prev) || !bytes.Equal(e.Hash, append(append([]byte{}, prev...), 'x')) || e.Object != "recording:1" {
			t.Fatalf("entry %d: prev=%q hash=%q, want prev %q", n, e.Prev, e.Hash, prev)
		}
		prev = e.Hash
		return nil
	})
	if err != nil || n != 20 {
		t.Fatalf("ScanAudit saw %d, %v; want 20", n, err)
	}
}
