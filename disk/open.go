package disk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/beifen/beifen"
)

// Open returns a reader of the whole blob.
// Returns ENOTFOUND if there is no such blob, EINVALID if key is invalid.
func (s *Store) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	f, _, err := s.open(ctx, key)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// OpenRange returns a reader of length bytes from offset; length < 0, or a length past the
// end, reads to the end.
// Returns ENOTFOUND if there is no such blob, EINVALID if key is invalid or offset is negative or
// beyond the end.
func (s *Store) OpenRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	if offset < 0 {
		return nil, beifen.Errorf(beifen.EINVALID, "Blob range is invalid.")
	}
	f, size, err := s.open(ctx, key)
	if err != nil {
		return nil, err
	}
	if offset > size {
		f.Close()
		return nil, beifen.Errorf(beifen.EINVALID, "Blob range starts beyond its end.")
	}
	n := size - offset
	if length >= 0 && length < n {
		n = length
	}
	return &rangeReader{io.NewSectionReader(f, offset, n), f}, nil
}

// rangeReader reads a section of a file and closes the file.
type rangeReader struct {
	*io.SectionReader
	f *os.File
}

func (r *rangeReader) Close() error { return r.f.Close() }

// open opens the blob's file and returns it with its size.
func (s *Store) open(ctx context.Context, key string) (*os.File, int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, fmt.Errorf("open blob %s: %w", key, err)
	}
	if err := checkKey(key); err != nil {
		return nil, 0, err
	}
	for _, path := range s.paths(key) {
		f, err := os.Open(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return nil, 0, fmt.Errorf("open blob %s: %w", key, err)
		}
		fi, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, 0, fmt.Errorf("open blob %s: %w", key, err)
		}
		if !fi.Mode().IsRegular() {
			f.Close()
			continue
		}
		return f, fi.Size(), nil
	}
	return nil, 0, notFound()
}

// Stat returns the blob's size and modification time.
// Returns ENOTFOUND if there is no such blob, EINVALID if key is invalid.
func (s *Store) Stat(ctx context.Context, key string) (beifen.BlobInfo, error) {
	if err := ctx.Err(); err != nil {
		return beifen.BlobInfo{}, fmt.Errorf("stat blob %s: %w", key, err)
	}
	if err := checkKey(key); err != nil {
		return beifen.BlobInfo{}, err
	}
	for _, path := range s.paths(key) {
		fi, err := os.Stat(path)
		if errors.Is(err, fs.ErrNotExist) || err == nil && !fi.Mode().IsRegular() {
			continue
		} else if err != nil {
			return beifen.BlobInfo{}, fmt.Errorf("stat blob %s: %w", key, err)
		}
		return beifen.BlobInfo{Key: key, Size: fi.Size(), ModTime: fi.ModTime()}, nil
	}
	return beifen.BlobInfo{}, notFound()
}

// Delete removes a blob, from both layouts if a Put wrote it again after the layout changed.
// Returns ENOTFOUND if there is no such blob, EINVALID if key is invalid.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete blob %s: %w", key, err)
	}
	if err := checkKey(key); err != nil {
		return err
	}
	found := false
	// The old copy goes first: a crash between the two removals then leaves the newer one.
	for _, path := range slices.Backward(s.paths(key)) {
		err := os.Remove(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return fmt.Errorf("delete blob %s: %w", key, err)
		}
		if err := syncDir(filepath.Dir(path)); err != nil {
			return fmt.Errorf("delete blob %s: %w", key, err)
		}
		found = true
	}
	if !found {
		return notFound()
	}
	return nil
}
