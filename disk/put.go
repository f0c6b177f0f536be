package disk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sync"

	"github.com/beifen/beifen"
)

// Put stores size bytes read from r under key. It writes to a temporary file in the blob's
// folder, checks that r gave exactly size bytes, syncs, and renames the file into place, so a
// reader never sees a partial blob and an existing blob stays whole until it is replaced.
// On any error, including ctx being cancelled, the temporary file is removed.
//
// Returns EINVALID if key is invalid or r yields other than size bytes.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if size < 0 {
		return beifen.Errorf(beifen.EINVALID, "Blob size must not be negative.")
	}
	final := s.path(key)
	if err := s.mkdir(filepath.Dir(final)); err != nil {
		return fmt.Errorf("put blob %s: %w", key, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(final), filepath.Base(final)+tmpMarker+"*")
	if errors.Is(err, fs.ErrNotExist) { // its folder was removed behind this process's back
		s.durable.Delete(filepath.Dir(final))
		if err := s.mkdir(filepath.Dir(final)); err != nil {
			return fmt.Errorf("put blob %s: %w", key, err)
		}
		tmp, err = os.CreateTemp(filepath.Dir(final), filepath.Base(final)+tmpMarker+"*")
	}
	if err != nil {
		return fmt.Errorf("put blob %s: %w", key, err)
	}
	if err := save(ctx, tmp, final, r, size); err != nil {
		tmp.Close() // may already be closed; the first error is the one that matters
		os.Remove(tmp.Name())
		return fmt.Errorf("put blob %s: %w", key, err)
	}
	return nil
}

// save fills tmp from r, checks its size, and renames it to final.
func save(ctx context.Context, tmp *os.File, final string, r io.Reader, size int64) error {
	// Read one byte more than expected to notice a reader that is too long.
	limit := size
	if limit < math.MaxInt64 {
		limit++
	}
	buf := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(buf)
	n, err := io.CopyBuffer(writerOnly{tmp}, io.LimitReader(ctxReader{ctx, r}, limit), *buf)
	if err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	if n != size {
		return beifen.Errorf(beifen.EINVALID, "Blob size does not match.")
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("sync: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return fmt.Errorf("rename: %w", err)
	}
	if err := syncDir(filepath.Dir(final)); err != nil {
		return fmt.Errorf("sync dir: %w", err)
	}
	return nil
}

// copyBufs hold the buffers blobs are written through: 256 KiB a write, where io.Copy's
// 32 KiB made eight times the write calls.
var copyBufs = sync.Pool{New: func() any { b := make([]byte, 256<<10); return &b }}

// writerOnly hides the file's ReadFrom from io.CopyBuffer, which would otherwise copy through
// its own 32 KiB buffer.
type writerOnly struct{ io.Writer }

// ctxReader stops reading once its context is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
