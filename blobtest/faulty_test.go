package blobtest_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/blobtest"
)

var errInjected = errors.New("injected")

// newFaulty returns a Faulty over a memory store holding blob "k".
func newFaulty(tb testing.TB, b []byte) (*blobtest.Faulty, beifen.BlobStore) {
	tb.Helper()
	base := newMemStore(tb)
	if err := base.Put(tb.Context(), "k", bytes.NewReader(b), int64(len(b))); err != nil {
		tb.Fatalf("Put: %v", err)
	}
	return &blobtest.Faulty{Base: base}, base
}

func readAll(rc io.ReadCloser, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

func TestFaultyFailNext(t *testing.T) {
	b := bytes.Repeat([]byte("0123456789"), 100)
	tests := []struct {
		method string
		call   func(ctx context.Context, f *blobtest.Faulty) error
	}{
		{"Put", func(ctx context.Context, f *blobtest.Faulty) error {
			return f.Put(ctx, "new", bytes.NewReader(b), int64(len(b)))
		}},
		{"Open", func(ctx context.Context, f *blobtest.Faulty) error {
			_, err := readAll(f.Open(ctx, "k"))
			return err
		}},
		{"OpenRange", func(ctx context.Context, f *blobtest.Faulty) error {
			_, err := readAll(f.OpenRange(ctx, "k", 10, 10))
			return err
		}},
		{"Stat", func(ctx context.Context, f *blobtest.Faulty) error {
			_, err := f.Stat(ctx, "k")
			return err
		}},
		{"List", func(ctx context.Context, f *blobtest.Faulty) error {
			return f.List(ctx, "", func(beifen.BlobInfo) error { return nil })
		}},
		{"Delete", func(ctx context.Context, f *blobtest.Faulty) error {
			return f.Delete(ctx, "k")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			f, base := newFaulty(t, b)
			f.FailNext(tt.method, errInjected)
			if err := tt.call(t.Context(), f); !errors.Is(err, errInjected) {
				t.Fatalf("first call err=%v, want %v", err, errInjected)
			}
			// The failed call must not have reached the base store.
			if _, err := base.Stat(t.Context(), "k"); err != nil {
				t.Fatalf("base Stat(k) after failed %s: %v", tt.method, err)
			}
			if _, err := base.Stat(t.Context(), "new"); beifen.ErrorCode(err) != beifen.ENOTFOUND {
				t.Fatalf("base Stat(new) after failed %s: err=%v, want ENOTFOUND", tt.method, err)
			}
			if err := tt.call(t.Context(), f); err != nil {
				t.Fatalf("second call err=%v, want nil", err)
			}
		})
	}
}

func TestFaultyQueue(t *testing.T) {
	errFirst, errSecond := errors.New("first"), errors.New("second")
	f, _ := newFaulty(t, []byte("abc"))
	f.Faults = map[string][]error{"Stat": {errFirst, errSecond}}
	for i, want := range []error{errFirst, errSecond, nil} {
		if _, err := f.Open(t.Context(), "k"); err != nil {
			t.Fatalf("Open #%d: %v (faults for Stat must not touch Open)", i, err)
		}
		if _, err := f.Stat(t.Context(), "k"); !errors.Is(err, want) {
			t.Fatalf("Stat #%d err=%v, want %v", i, err, want)
		}
	}
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func TestFaultyFailAfterPut(t *testing.T) {
	b := bytes.Repeat([]byte("x"), 100_000)
	f, base := newFaulty(t, nil)
	f.FailAfter("Put", 1000, errInjected)
	src := &countReader{r: bytes.NewReader(b)}
	if err := f.Put(t.Context(), "new", src, int64(len(b))); !errors.Is(err, errInjected) {
		t.Fatalf("Put err=%v, want %v", err, errInjected)
	}
	if src.n != 1000 {
		t.Fatalf("base read %d bytes, want 1000", src.n)
	}
	if _, err := base.Stat(t.Context(), "new"); beifen.ErrorCode(err) != beifen.ENOTFOUND {
		t.Fatalf("base Stat after failed Put: err=%v, want ENOTFOUND", err)
	}
	if err := f.Put(t.Context(), "new", bytes.NewReader(b), int64(len(b))); err != nil {
		t.Fatalf("second Put: %v", err)
	}
}

func TestFaultyFailAfterRead(t *testing.T) {
	b := make([]byte, 10_000)
	for i := range b {
		b[i] = byte(i)
	}
	tests := []struct {
		method string
		open   func(ctx context.Context, f *blobtest.Faulty) (io.ReadCloser, error)
		want   []byte // what a whole read gives
	}{
		{"Open", func(ctx context.Context, f *blobtest.Faulty) (io.ReadCloser, error) {
			return f.Open(ctx, "k")
		}, b},
		{"OpenRange", func(ctx context.Context, f *blobtest.Faulty) (io.ReadCloser, error) {
			return f.OpenRange(ctx, "k", 500, 5000)
		}, b[500:5500]},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			f, _ := newFaulty(t, b)
			f.FailAfter(tt.method, 1000, errInjected)
			got, err := readAll(tt.open(t.Context(), f))
			if !errors.Is(err, errInjected) {
				t.Fatalf("read err=%v, want %v", err, errInjected)
			}
			if !bytes.Equal(got, tt.want[:1000]) {
				t.Fatalf("read %d bytes before the fault, want the first 1000 of the blob", len(got))
			}
			got, err = readAll(tt.open(t.Context(), f))
			if err != nil || !bytes.Equal(got, tt.want) {
				t.Fatalf("second read: %d bytes, err=%v; want %d bytes, nil", len(got), err, len(tt.want))
			}
		})
	}
}

func TestFaultyUnknownMethod(t *testing.T) {
	tests := []struct {
		name string
		fn   func(f *blobtest.Faulty)
	}{
		{"FailNext lowercase", func(f *blobtest.Faulty) { f.FailNext("put", errInjected) }},
		{"FailNext unknown", func(f *blobtest.Faulty) { f.FailNext("Rename", errInjected) }},
		{"FailAfter Stat", func(f *blobtest.Faulty) { f.FailAfter("Stat", 1, errInjected) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("no panic, want one")
				}
			}()
			tt.fn(&blobtest.Faulty{})
		})
	}
}

// TestFaultyConcurrent queues faults while other goroutines call the store: every fault must be
// used at most once, and none lost (run with -race).
func TestFaultyConcurrent(t *testing.T) {
	const faults, calls = 100, 300
	f, _ := newFaulty(t, []byte("abc"))
	var failed atomic.Int64
	var wg sync.WaitGroup
	for range faults {
		wg.Go(func() { f.FailNext("Stat", errInjected) })
	}
	for range calls {
		wg.Go(func() {
			_, err := f.Stat(t.Context(), "k")
			if errors.Is(err, errInjected) {
				failed.Add(1)
			} else if err != nil {
				t.Errorf("Stat: %v", err)
			}
		})
	}
	wg.Wait()
	if got := failed.Load() + int64(len(f.Faults["Stat"])); got != faults {
		t.Fatalf("failed calls + faults left = %d, want %d", got, faults)
	}
}
