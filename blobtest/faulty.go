package blobtest

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/beifen/beifen"
)

// Faulty is a beifen.BlobStore that passes calls to Base but fails the ones it was told to, for
// testing how callers cope with storage errors: upload resume, retries, broken downloads.
//
// Faults are queued per method name: "Put", "Open", "OpenRange", "Stat", "Delete" or "List". Each
// call takes the first fault queued for its method, if any. Faulty is safe for concurrent use.
type Faulty struct {
	// Base does the work of every call that does not fail outright.
	Base beifen.BlobStore

	// Faults holds the queued faults. A call whose method has one fails with it, without
	// calling Base. Set it before the store is in use; add faults later with FailNext.
	Faults map[string][]error

	mu sync.Mutex
}

var (
	_ beifen.BlobStore       = (*Faulty)(nil)
	_ beifen.BlobRangeOpener = (*Faulty)(nil)
)

var methods = []string{"Put", "Open", "OpenRange", "Stat", "Delete", "List"}

// FailNext makes the next call of method fail with err without calling Base.
// It panics if method is not a BlobStore or BlobRangeOpener method.
func (f *Faulty) FailNext(method string, err error) {
	if !slices.Contains(methods, method) {
		panic("blobtest: unknown method " + method)
	}
	f.queue(method, err)
}

// FailAfter makes the next call of method reach Base but break after n bytes: for "Put" the
// reader Base.Put consumes returns err after n bytes, for "Open" and "OpenRange" the returned
// reader does. It panics for other methods.
func (f *Faulty) FailAfter(method string, n int64, err error) {
	if method != "Put" && method != "Open" && method != "OpenRange" {
		panic("blobtest: FailAfter does not apply to " + method)
	}
	f.queue(method, &partialFault{n: n, err: err})
}

func (f *Faulty) queue(method string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Faults == nil {
		f.Faults = map[string][]error{}
	}
	f.Faults[method] = append(f.Faults[method], err)
}

// next takes the fault queued for method. It returns the fault to apply to the data stream, or
// the error to fail with at once, or neither.
func (f *Faulty) next(method string) (*partialFault, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	q := f.Faults[method]
	if len(q) == 0 {
		return nil, nil
	}
	f.Faults[method] = q[1:]
	if p, ok := q[0].(*partialFault); ok {
		return p, nil
	}
	return nil, q[0]
}

// partialFault is queued by FailAfter: the stream breaks with err after n bytes.
type partialFault struct {
	n   int64
	err error
}

func (p *partialFault) Error() string {
	return fmt.Sprintf("blobtest: fail after %d bytes: %s", p.n, p.err)
}

// wrap applies p, if any, to r.
func (p *partialFault) wrap(r io.Reader) io.Reader {
	if p == nil {
		return r
	}
	return &failReader{r: r, n: p.n, err: p.err}
}

// failReader reads n bytes from r and then fails with err.
type failReader struct {
	r   io.Reader
	n   int64
	err error
}

func (r *failReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, r.err
	}
	if int64(len(p)) > r.n {
		p = p[:r.n]
	}
	n, err := r.r.Read(p)
	r.n -= int64(n)
	return n, err
}

type readCloser struct {
	io.Reader
	io.Closer
}

// Put stores r in Base unless a fault is due.
func (f *Faulty) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	p, err := f.next("Put")
	if err != nil {
		return err
	}
	return f.Base.Put(ctx, key, p.wrap(r), size)
}

// Open opens the blob in Base unless a fault is due.
func (f *Faulty) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	p, err := f.next("Open")
	if err != nil {
		return nil, err
	}
	rc, err := f.Base.Open(ctx, key)
	if err != nil || p == nil {
		return rc, err
	}
	return readCloser{p.wrap(rc), rc}, nil
}

// OpenRange opens part of the blob in Base unless a fault is due. When Base is not a
// beifen.BlobRangeOpener, it opens the whole blob and skips to offset.
func (f *Faulty) OpenRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	p, err := f.next("OpenRange")
	if err != nil {
		return nil, err
	}
	rc, err := openRange(ctx, f.Base, key, offset, length)
	if err != nil || p == nil {
		return rc, err
	}
	return readCloser{p.wrap(rc), rc}, nil
}

// openRange opens a range of s's blob, by OpenRange if s can and by reading and skipping if not.
func openRange(ctx context.Context, s beifen.BlobStore, key string, offset, length int64) (io.ReadCloser, error) {
	if ro, ok := s.(beifen.BlobRangeOpener); ok {
		return ro.OpenRange(ctx, key, offset, length)
	}
	info, err := s.Stat(ctx, key)
	if err != nil {
		return nil, err
	}
	if offset < 0 || offset > info.Size {
		return nil, beifen.Errorf(beifen.EINVALID, "Blob range is invalid.")
	}
	rc, err := s.Open(ctx, key)
	if err != nil {
		return nil, err
	}
	if _, err := io.CopyN(io.Discard, rc, offset); err != nil {
		rc.Close()
		return nil, fmt.Errorf("open blob range %s: %w", key, err)
	}
	if length < 0 {
		return rc, nil
	}
	return readCloser{io.LimitReader(rc, length), rc}, nil
}

// Stat asks Base unless a fault is due.
func (f *Faulty) Stat(ctx context.Context, key string) (beifen.BlobInfo, error) {
	if _, err := f.next("Stat"); err != nil {
		return beifen.BlobInfo{}, err
	}
	return f.Base.Stat(ctx, key)
}

// Delete deletes from Base unless a fault is due.
func (f *Faulty) Delete(ctx context.Context, key string) error {
	if _, err := f.next("Delete"); err != nil {
		return err
	}
	return f.Base.Delete(ctx, key)
}

// List lists Base unless a fault is due.
func (f *Faulty) List(ctx context.Context, prefix string, fn func(beifen.BlobInfo) error) error {
	if _, err := f.next("List"); err != nil {
		return err
	}
	return f.Base.List(ctx, prefix, fn)
}
