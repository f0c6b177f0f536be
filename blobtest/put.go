package blobtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/beifen/beifen"
)

func testPutOpen(t *testing.T, newStore NewStoreFunc) {
	for _, size := range []int{0, 1, 64<<10 + 1, 5 << 20} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			s := newStore(t)
			want := randomData(size, byte(size))
			mustPut(t, s, keyOf(want), want)
			if got := mustRead(t, s, keyOf(want)); !bytes.Equal(got, want) {
				t.Fatalf("Open after Put: %s", diff(got, want))
			}
		})
	}
}

func testStat(t *testing.T, newStore NewStoreFunc) {
	s := newStore(t)
	b := randomData(1234, 3)
	mustPut(t, s, keyOf(b), b)
	info, err := s.Stat(t.Context(), keyOf(b))
	if err != nil {
		t.Fatalf("Stat: %v", err)
	}
	if info.Key != keyOf(b) {
		t.Errorf("Key=%q, want %q", info.Key, keyOf(b))
	}
	if info.Size != 1234 {
		t.Errorf("Size=%d, want 1234", info.Size)
	}
	if d := time.Since(info.ModTime).Abs(); info.ModTime.IsZero() || d > time.Hour {
		t.Errorf("ModTime=%v, want about now", info.ModTime)
	}
}

var errReader = errors.New("blobtest: reader broke")

// failedPuts are Puts that must fail and store nothing; check inspects the error.
var failedPuts = []struct {
	name  string
	put   func(ctx context.Context, s beifen.BlobStore, key string, b []byte) error
	check func(tb testing.TB, err error)
}{
	{
		name: "ShortReader",
		put: func(ctx context.Context, s beifen.BlobStore, key string, b []byte) error {
			return s.Put(ctx, key, bytes.NewReader(b[:len(b)-1]), int64(len(b)))
		},
		check: func(tb testing.TB, err error) { assertCode(tb, "Put", err, beifen.EINVALID) },
	},
	{
		name: "LongReader",
		put: func(ctx context.Context, s beifen.BlobStore, key string, b []byte) error {
			return s.Put(ctx, key, bytes.NewReader(b), int64(len(b)-1))
		},
		check: func(tb testing.TB, err error) { assertCode(tb, "Put", err, beifen.EINVALID) },
	},
	{
		name: "ReaderError",
		put: func(ctx context.Context, s beifen.BlobStore, key string, b []byte) error {
			r := io.MultiReader(bytes.NewReader(b[:len(b)/2]), iotest.ErrReader(errReader))
			return s.Put(ctx, key, r, int64(len(b)))
		},
		check: func(tb testing.TB, err error) { assertIs(tb, err, errReader) },
	},
	{
		name: "Cancelled",
		put: func(ctx context.Context, s beifen.BlobStore, key string, b []byte) error {
			ctx, cancel := context.WithCancel(ctx)
			cancel()
			return s.Put(ctx, key, bytes.NewReader(b), int64(len(b)))
		},
		check: func(tb testing.TB, err error) { assertIs(tb, err, context.Canceled) },
	},
	{
		name: "CancelledMidway",
		put: func(ctx context.Context, s beifen.BlobStore, key string, b []byte) error {
			ctx, cancel := context.WithCancel(ctx)
			defer cancel()
			r := &cancelReader{r: bytes.NewReader(b), cancel: cancel}
			return s.Put(ctx, key, r, int64(len(b)))
		},
		check: func(tb testing.TB, err error) { assertIs(tb, err, context.Canceled) },
	},
}

// cancelReader cancels its context after the first read and goes on reading.
type cancelReader struct {
	r      io.Reader
	cancel context.CancelFunc
}

func (c *cancelReader) Read(p []byte) (int, error) {
	defer c.cancel()
	return c.r.Read(p[:min(len(p), 4096)])
}

func assertIs(tb testing.TB, err, target error) {
	tb.Helper()
	if !errors.Is(err, target) {
		tb.Fatalf("err=%v, want %v", err, target)
	}
}

// testPutFails checks that a failed Put leaves no blob behind, and that a failed overwrite leaves
// the older blob whole.
func testPutFails(t *testing.T, newStore NewStoreFunc) {
	b := randomData(1<<20, 4)
	key := keyOf(b)
	for _, tt := range failedPuts {
		t.Run(tt.name+"/New", func(t *testing.T) {
			s := newStore(t)
			tt.check(t, tt.put(t.Context(), s, key, b))
			assertGone(t, s, key)
			assertList(t, s, "", map[string]int64{})
		})
		t.Run(tt.name+"/Existing", func(t *testing.T) {
			s := newStore(t)
			old := randomData(1000, 5)
			mustPut(t, s, key, old)
			tt.check(t, tt.put(t.Context(), s, key, b))
			if got := mustRead(t, s, key); !bytes.Equal(got, old) {
				t.Fatalf("blob after failed overwrite: %s", diff(got, old))
			}
			assertList(t, s, "", map[string]int64{key: 1000})
		})
	}
}

func testOverwrite(t *testing.T, newStore NewStoreFunc) {
	s := newStore(t)
	const key = "overwritten"
	first, second := randomData(5000, 6), randomData(10, 7)
	mustPut(t, s, key, first)
	mustPut(t, s, key, second)
	if got := mustRead(t, s, key); !bytes.Equal(got, second) {
		t.Fatalf("Open after overwrite: %s", diff(got, second))
	}
	info, err := s.Stat(t.Context(), key)
	if err != nil {
		t.Fatalf("Stat: %v", err)
	}
	if info.Size != 10 {
		t.Fatalf("Size=%d, want 10", info.Size)
	}
	assertList(t, s, "", map[string]int64{key: 10})
}

// testConcurrentPut puts the same blob from several goroutines at once, as two uploads of one
// photo do: all must succeed and leave one whole blob.
func testConcurrentPut(t *testing.T, newStore NewStoreFunc) {
	s := newStore(t)
	b := randomData(1<<20+3, 8)
	key := keyOf(b)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			errs[i] = s.Put(t.Context(), key, bytes.NewReader(b), int64(len(b)))
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Put #%d: %v", i, err)
		}
	}
	if got := mustRead(t, s, key); !bytes.Equal(got, b) {
		t.Fatalf("Open after concurrent Puts: %s", diff(got, b))
	}
	assertList(t, s, "", map[string]int64{key: int64(len(b))})
}
