package disk

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/beifen/beifen"
)

// List calls fn for each blob whose key starts with prefix, with its size and modification time,
// and stops at the first error fn returns, which it returns unchanged. Temporary files of
// unfinished Puts and files that are not where their name says are never reported.
func (s *Store) List(ctx context.Context, prefix string, fn func(beifen.BlobInfo) error) error {
	// No key can start with such a prefix, and it must not reach the file system.
	if !keyChars(prefix) || strings.Contains(prefix, "..") {
		return nil
	}
	for _, root := range s.listRoots(prefix) {
		if err := s.walk(ctx, root, prefix, fn); err != nil {
			return err
		}
	}
	return nil
}

// listRoots returns the folders that can hold keys starting with prefix. A folder of the first
// level also holds the second level of the old layout (see walk).
func (s *Store) listRoots(prefix string) []string {
	switch {
	case len(prefix) >= 4:
		return []string{filepath.Join(s.dir, prefix[:2])}
	case len(prefix) >= 2:
		return []string{filepath.Join(s.dir, prefix[:2]), filepath.Join(s.dir, shortDir)}
	}
	return []string{s.dir}
}

// walk reports the blobs under root whose key starts with prefix, each once: a blob of the old
// layout is left out if a Put wrote it again in the new one. With a prefix of four characters or
// more, only the one old-layout folder that can hold such keys is entered.
func (s *Store) walk(ctx context.Context, root, prefix string, fn func(beifen.BlobInfo) error) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		// A folder or file may vanish under a concurrent Delete; that is not an error.
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		} else if err != nil {
			return fmt.Errorf("list blobs: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("list blobs: %w", err)
		}
		key := d.Name()
		if d.IsDir() && path != root && len(prefix) >= 4 && key != prefix[2:4] {
			return fs.SkipDir
		}
		if !d.Type().IsRegular() || !strings.HasPrefix(key, prefix) || checkKey(key) != nil {
			return nil
		}
		switch path {
		case s.path(key):
		case s.oldPath(key):
			if _, err := os.Lstat(s.path(key)); err == nil {
				return nil // written again in the new layout, which is reported instead
			}
		default:
			return nil // not where its name says
		}
		fi, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		} else if err != nil {
			return fmt.Errorf("list blobs: %w", err)
		}
		return fn(beifen.BlobInfo{Key: key, Size: fi.Size(), ModTime: fi.ModTime()})
	})
}

// Clean removes the temporary files of Puts that never finished, because their process crashed
// or was killed, once they were last written more than olderThan ago. It returns how many files
// it removed. A younger temporary file may belong to a Put still running, so olderThan should be
// well above the longest upload.
func (s *Store) Clean(olderThan time.Duration) (int, error) {
	cutoff := time.Now().Add(-olderThan)
	removed := 0
	err := filepath.WalkDir(s.dir, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		} else if err != nil {
			return err
		}
		if !d.Type().IsRegular() || !isTemp(d.Name()) {
			return nil
		}
		fi, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) || err == nil && !fi.ModTime().Before(cutoff) {
			return nil
		} else if err != nil {
			return err
		}
		if err := os.Remove(path); errors.Is(err, fs.ErrNotExist) {
			return nil
		} else if err != nil {
			return err
		}
		removed++
		return nil
	})
	if err != nil {
		return removed, fmt.Errorf("clean blobs: %w", err)
	}
	return removed, nil
}

// isTemp reports whether name is a temporary file of Put: a key, tmpMarker and a random part.
func isTemp(name string) bool {
	i := strings.LastIndex(name, tmpMarker)
	return i > 0 && i+len(tmpMarker) < len(name) && checkKey(name[:i]) == nil
}
