package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/beifen/beifen"
	beifenhttp "github.com/beifen/beifen/http"
	"golang.org/x/sync/errgroup"
)

// hashAll hashes every file not in the cache, on every core, and sends each entry to out as soon
// as its hash is known, exports first: the upload of the first files overlaps the hashing of the
// rest. It closes out when done.
func hashAll(ctx context.Context, entries []*entry, cache *hashCache, out chan<- *entry) error {
	defer close(out)
	order := slices.Clone(entries)
	sort.SliceStable(order, func(i, j int) bool {
		return likelyExport(order[i].file.Path) && !likelyExport(order[j].file.Path)
	})
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.NumCPU())
	for _, e := range order {
		if cache.get(e) {
			out <- e
			continue
		}
		g.Go(func() error {
			h, err := hashFile(ctx, e.abs)
			if err != nil {
				return err
			}
			if e.chunks, err = splitExport(e.abs, e.file.Size); err != nil {
				return err
			}
			e.file.Hash = h
			cache.put(e)
			select {
			case out <- e:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}
	return g.Wait()
}

// job is one thing to send: a whole file, or one chunk of a large export.
type job struct {
	e     *entry
	hash  beifen.BlobKey
	chunk *chunk // nil for a whole file
}

func (j job) size() int64 {
	if j.chunk != nil {
		return j.chunk.Size
	}
	return j.e.file.Size
}

// jobs lists what a backup may send for one entry, each content once (seen holds what earlier
// entries sent), and how many of its bytes are a content already listed (done as far as the
// progress bar is concerned).
func jobs(e *entry, seen map[beifen.BlobKey]bool) (out []job, repeated int64) {
	add := func(j job) {
		if seen[j.hash] {
			repeated += j.size()
			return
		}
		seen[j.hash] = true
		out = append(out, j)
	}
	if len(e.chunks) == 0 {
		add(job{e: e, hash: e.file.Hash})
		return out, repeated
	}
	e.file.Chunks = e.file.Chunks[:0]
	for i := range e.chunks {
		c := &e.chunks[i]
		e.file.Chunks = append(e.file.Chunks, beifen.BlobRef{Key: c.Hash, Size: c.Size})
		add(job{e: e, hash: c.Hash, chunk: c})
	}
	return out, repeated
}

// upload hashes the entries and sends what the server lacks, each content once, resuming files
// sent in parts. Hashing and sending overlap: entries are asked about and sent in the groups the
// hashers hand over.
func upload(ctx context.Context, c *beifenhttp.Client, entries []*entry, cache *hashCache, stderr io.Writer) error {
	var total int64
	for _, e := range entries {
		total += e.file.Size
	}
	// A failed hash or upload cancels the rest, which then fail only with the cancellation.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	hashed := make(chan *entry, len(entries)) // never blocks the hashers
	hashErr := make(chan error, 1)
	go func() {
		err := hashAll(ctx, entries, cache, hashed)
		if err != nil {
			cancel()
		}
		hashErr <- err
	}()
	u := &uploader{c: c, cancel: cancel, prog: newProgress(stderr, "uploading", total),
		exports: make(chan struct{}, exportWorkers), files: make(chan struct{}, fileWorkers),
		tail: make(chan struct{})}
	defer u.prog.Finish()
	err := u.dispatch(ctx, hashed)
	u.exportStarted(true)
	if err != nil {
		cancel()
	}
	err = firstCause(<-hashErr, u.sends.Wait(), err)
	u.prog.Finish()
	for _, res := range u.results {
		reportSkipped(stderr, res)
	}
	return err
}

// firstCause returns the first error that is not a cancellation, or else the first error.
func firstCause(errs ...error) error {
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
	}
	return errors.Join(errs...)
}

// uploader sends jobs in two lanes, exports and other files, so that the server stores files
// (disk and cipher work) while it reads exports (database work) instead of after. Once every
// export has started, files take the export lane's free tokens too: the files left when the
// exports end would otherwise go two at a time, with a core idle between them.
type uploader struct {
	c       *beifenhttp.Client
	cancel  func()
	prog    *progress
	exports chan struct{} // one token per export being sent
	files   chan struct{} // one token per other file being sent
	sends   errgroup.Group
	mu      sync.Mutex
	results []*beifen.UploadResult

	waiting    int           // export jobs not started yet, under mu
	dispatched bool          // every entry is hashed and its jobs started, under mu
	tail       chan struct{} // closed once dispatched with no export waiting
}

// exportStarted counts an export job out of the waiting ones, or marks the dispatch done, and
// closes tail when both are over.
func (u *uploader) exportStarted(dispatched bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if dispatched {
		u.dispatched = true
	} else {
		u.waiting--
	}
	if u.dispatched && u.waiting == 0 && u.tail != nil {
		close(u.tail)
		u.tail = nil
	}
}

// Uploads in flight: the server reads up to exportWorkers exports while it stores fileWorkers
// other files, keeping its database writer and both cores busy.
const (
	exportWorkers = 3
	fileWorkers   = 2
)

// dispatch asks the server which of the hashed entries' contents it lacks, a group at a time,
// and starts sending those.
func (u *uploader) dispatch(ctx context.Context, hashed <-chan *entry) error {
	seen := map[beifen.BlobKey]bool{}
	for e := range hashed {
		group := u.jobs(e, seen)
		for more := true; more && len(group) < maxCheck; {
			select {
			case e, ok := <-hashed:
				if !ok {
					more = false
					break
				}
				group = append(group, u.jobs(e, seen)...)
			default:
				more = false
			}
		}
		if err := u.send(ctx, group); err != nil {
			return err
		}
	}
	return nil
}

// jobs returns jobs(e, seen), counting the bytes of contents already listed as done.
func (u *uploader) jobs(e *entry, seen map[beifen.BlobKey]bool) []job {
	out, repeated := jobs(e, seen)
	u.prog.Add(repeated)
	return out
}

// take waits for a token of the job's lane (of either lane for a file, once in the tail) and
// returns the lane it took.
func (u *uploader) take(ctx context.Context, export bool) (chan struct{}, error) {
	if export {
		select {
		case u.exports <- struct{}{}:
			u.exportStarted(false)
			return u.exports, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	u.mu.Lock()
	tail := u.tail
	u.mu.Unlock()
	if tail == nil { // closed already
		tail = closedChan
	}
	select {
	case u.files <- struct{}{}:
		return u.files, nil
	case <-tail:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case u.files <- struct{}{}:
		return u.files, nil
	case u.exports <- struct{}{}:
		return u.exports, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

var closedChan = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// maxCheck bounds the hashes of one check request.
const maxCheck = 1000

// send starts sending the jobs whose content the server lacks; the rest count as done.
func (u *uploader) send(ctx context.Context, group []job) error {
	if len(group) == 0 {
		return nil
	}
	byHash := map[beifen.BlobKey]job{}
	hashes := make([]beifen.BlobKey, len(group))
	for i, j := range group {
		byHash[j.hash], hashes[i] = j, j.hash
	}
	missing, err := u.c.MissingFiles(ctx, hashes)
	if err != nil {
		return err
	}
	for _, h := range missing {
		j := byHash[h]
		delete(byHash, h)
		if likelyExport(j.e.file.Path) {
			u.mu.Lock()
			u.waiting++
			u.mu.Unlock()
		}
		u.sends.Go(func() error { return u.run(ctx, j) })
	}
	for _, j := range byHash {
		u.prog.Add(j.size())
	}
	return nil
}

// run sends one job once its lane has room.
func (u *uploader) run(ctx context.Context, j job) error {
	lane, err := u.take(ctx, likelyExport(j.e.file.Path))
	if err != nil {
		return err
	}
	defer func() { <-lane }()
	res, err := uploadJob(ctx, u.c, j, u.prog)
	if err != nil {
		u.cancel()
		return err
	}
	u.mu.Lock()
	u.results = append(u.results, res...)
	u.mu.Unlock()
	return nil
}

func reportSkipped(stderr io.Writer, res *beifen.UploadResult) {
	for _, e := range res.Errors {
		fmt.Fprintf(stderr, "skipped: %s\n", e.Error())
	}
	if more := res.Skipped - len(res.Errors); more > 0 {
		fmt.Fprintf(stderr, "skipped: %d more items of the same file\n", more)
	}
}

// likelyExport guesses from its name whether the server will read a file as an export. It only
// orders uploads; the server decides by content.
func likelyExport(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xml", ".vcf", ".json", ".zip", ".ndjson":
		return true
	}
	return false
}

// retries is how often a part is sent again after a network error.
const retries = 3

// uploadJob sends a job and returns what the server said about each complete file.
func uploadJob(ctx context.Context, c *beifenhttp.Client, j job, prog *progress) ([]*beifen.UploadResult, error) {
	if j.chunk == nil {
		return uploadFile(ctx, c, j.e, prog)
	}
	res, err := withRetries(ctx, func() (*beifen.UploadResult, error) {
		return sendSection(j.e.abs, j.chunk.Off, j.chunk.Size, prog, func(r io.Reader) (*beifen.UploadResult, error) {
			return c.UploadFragment(ctx, j.hash, j.chunk.Size, j.e.file.Path, j.chunk.Line, r)
		})
	})
	if err != nil {
		return nil, fmt.Errorf("upload %s: %w", j.e.file.Path, err)
	}
	return []*beifen.UploadResult{res}, nil
}

func uploadFile(ctx context.Context, c *beifenhttp.Client, e *entry, prog *progress) ([]*beifen.UploadResult, error) {
	n := partsOf(e.file.Size)
	have := map[int]bool{}
	if n > 1 {
		got, err := c.UploadedParts(ctx, e.file.Hash, e.file.Size)
		if err != nil {
			return nil, err
		}
		for _, p := range got {
			have[p] = true
			prog.Add(min(beifen.UploadPartSize, e.file.Size-int64(p)*beifen.UploadPartSize))
		}
	}
	var done []*beifen.UploadResult
	for part := 0; part < n; part++ {
		if have[part] {
			continue
		}
		res, err := uploadPart(ctx, c, e, part, prog)
		if err != nil {
			return nil, fmt.Errorf("upload %s: %w", e.file.Path, err)
		}
		if res.Complete {
			done = append(done, res)
		}
	}
	return done, nil
}

func uploadPart(ctx context.Context, c *beifenhttp.Client, e *entry, part int, prog *progress) (*beifen.UploadResult, error) {
	off := int64(part) * beifen.UploadPartSize
	return withRetries(ctx, func() (*beifen.UploadResult, error) {
		return sendSection(e.abs, off, min(beifen.UploadPartSize, e.file.Size-off), prog, func(r io.Reader) (*beifen.UploadResult, error) {
			return c.UploadPart(ctx, e.file.Hash, e.file.Size, part, e.file.Path, r)
		})
	})
}

// sendSection calls send with n bytes of the file at path from off, and counts them in the
// progress bar. A section that ends the file (a whole file, the last part or chunk) is sent as
// the *os.File itself, which the HTTP client sends with sendfile(2), without copying it through
// this process (about 0.15 of the client's 2.2-2.6 CPU-seconds in a 1 GB first backup); the
// bar then counts it once sent. (The HTTP client reads a body past its length to check that
// nothing is left, so a section in the middle cannot go that way.)
func sendSection(path string, off, n int64, prog *progress, send func(io.Reader) (*beifen.UploadResult, error)) (*beifen.UploadResult, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // the HTTP client may close it too; the second close only fails
	if fi, err := f.Stat(); err != nil || fi.Size() != off+n || n == 0 {
		return send(&countingReader{r: io.NewSectionReader(f, off, n), p: prog})
	}
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		return nil, err
	}
	res, err := send(f)
	if err == nil {
		prog.Add(n)
	}
	return res, err
}

// withRetries runs send again after a network or server error, waiting a little longer each time.
func withRetries(ctx context.Context, send func() (*beifen.UploadResult, error)) (*beifen.UploadResult, error) {
	var lastErr error
	for try := 0; try <= retries; try++ {
		if try > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(time.Duration(try) * time.Second):
			}
		}
		res, err := send()
		if err == nil || beifen.ErrorCode(err) != beifen.EINTERNAL || ctx.Err() != nil {
			return res, err
		}
		lastErr = err
	}
	return nil, lastErr
}

func partsOf(size int64) int {
	if size <= beifen.UploadPartSize {
		return 1
	}
	return int((size + beifen.UploadPartSize - 1) / beifen.UploadPartSize)
}
