package storetest

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

// fakeSeal seals e with a chain hash of prev plus 'x', one tree hash naming its leaf (stored at
// index 10×leaf), and a checkpoint naming the log's new size: enough to check that the store
// hands the sealer the right inputs and stores what it returns, in one order.
func fakeSeal(t *testing.T, e *beifen.AuditEvent) beifen.AuditSealer {
	return func(prev []byte, read func([]int64) ([][]byte, error)) (*beifen.AuditSeal, error) {
		if e.Leaf > 0 {
			got, err := read([]int64{10 * (e.Leaf - 1)})
			if err != nil || len(got) != 1 || string(got[0]) != fmt.Sprint("leaf ", e.Leaf-1) {
				t.Errorf("leaf %d: reading the previous leaf's hash: %q, %v", e.Leaf, got, err)
			}
		}
		return &beifen.AuditSeal{
			Hash:       append(append([]byte{}, prev...), 'x'),
			Tree:       [][]byte{fmt.Append(nil, "leaf ", e.Leaf)},
			TreeIndex:  10 * e.Leaf,
			Checkpoint: fmt.Append(nil, "size ", e.Leaf+1),
		}, nil
	}
}

func testAudit(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	s := open(t)
	if c, err := s.Audit.AuditCheckpoint(ctx); c != nil || err != nil {
		t.Fatalf("checkpoint of an empty log: %q, %v", c, err)
	}
	// Concurrent appends to one scope still form one chain, and take the leaves 0..19 in one
	// order: each entry names the one before.
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := &beifen.AuditEvent{Scope: "team:1", ActorID: 7, Action: "recording.play", Object: "recording:1", At: time.Now()}
			if err := s.Audit.AppendAudit(ctx, e, fakeSeal(t, e)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	other := &beifen.AuditEvent{Scope: "user:2", ActorID: 2, Action: "snapshot.export", Object: "snapshot:1", At: time.Now()}
	if err := s.Audit.AppendAudit(ctx, other, fakeSeal(t, other)); err != nil || len(other.Prev) != 0 || other.Leaf != 20 {
		t.Fatalf("first entry of a scope: prev=%q leaf=%d, %v", other.Prev, other.Leaf, err)
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
	// The whole log in leaf order, the stored tree hashes, the newest checkpoint.
	var leaves []int64
	err = s.Audit.ScanAuditLog(ctx, func(e *beifen.AuditEvent) error { leaves = append(leaves, e.Leaf); return nil })
	if err != nil || len(leaves) != 21 {
		t.Fatalf("ScanAuditLog: %v, %v", leaves, err)
	}
	for i, l := range leaves {
		if l != int64(i) {
			t.Fatalf("ScanAuditLog leaves %v, want 0..20 in order", leaves)
		}
	}
	hs, err := s.Audit.AuditHashes(ctx, []int64{200, 0, 50})
	if err != nil || len(hs) != 3 || string(hs[0]) != "leaf 20" || string(hs[1]) != "leaf 0" || string(hs[2]) != "leaf 5" {
		t.Fatalf("AuditHashes: %q, %v", hs, err)
	}
	if _, err := s.Audit.AuditHashes(ctx, []int64{0, 7}); beifen.ErrorCode(err) != beifen.ENOTFOUND {
		t.Fatalf("AuditHashes of a missing index: %v, want ENOTFOUND", err)
	}
	if c, err := s.Audit.AuditCheckpoint(ctx); string(c) != "size 21" || err != nil {
		t.Fatalf("checkpoint: %q, %v", c, err)
	}
	// A sealer that fails leaves nothing behind.
	bad := &beifen.AuditEvent{Scope: "team:1", ActorID: 7, Action: "x", Object: "y", At: time.Now()}
	err = s.Audit.AppendAudit(ctx, bad, func([]byte, func([]int64) ([][]byte, error)) (*beifen.AuditSeal, error) {
		return nil, fmt.Errorf("no")
	})
	if err == nil {
		t.Fatal("AppendAudit with a failing sealer succeeded")
	}
	if c, _ := s.Audit.AuditCheckpoint(ctx); string(c) != "size 21" {
		t.Fatalf("checkpoint after a failed append: %q", c)
	}
}
