// Package disk stores blobs as files in a local directory.
//
// A blob of at least four characters lives at dir/ab/<key>, fanned out by the first two
// characters of its key into at most 256 folders for hex keys, as restic does. Shorter keys live
// in dir/short/<key>: a two-character key kept at dir/<key> would collide with a fan-out folder.
//
// Stores written before commit 1f59108 fanned out twice, to dir/ab/cd/<key>: a first backup of a
// phone then made a folder, and synced its parent, for almost every blob (about half a
// CPU-second of a 1 GB first backup). Blobs found there are still read, listed and deleted; new
// ones are written to the one-level layout.
//
// Put writes to a temporary file next to the final one, checks the byte count, syncs it and
// renames it into place, so a reader never sees a partial blob. Temporary files left behind by a
// crashed process are removed by Clean.
package disk

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"github.com/beifen/beifen"
)

const (
	// tmpMarker separates the final name from the random part in temporary file names.
	tmpMarker = "-tmp-"
	// shortDir holds keys too short to fan out.
	shortDir = "short"
	// maxKeyLen leaves room in a 255-byte file name for the temporary suffix.
	maxKeyLen = 200
)

// Store is a beifen.BlobStore on a local directory.
type Store struct {
	dir     string
	durable sync.Map // folders whose entries this process has synced
}

var (
	_ beifen.BlobStore       = (*Store)(nil)
	_ beifen.BlobRangeOpener = (*Store)(nil)
)

// NewStore returns a Store that keeps its blobs under dir. The directory is created, with its
// fan-out folders, on the first Put.
func NewStore(dir string) *Store {
	return &Store{dir: filepath.Clean(dir)}
}

// path returns where the blob named key is written.
func (s *Store) path(key string) string {
	if len(key) < 4 {
		return filepath.Join(s.dir, shortDir, key)
	}
	return filepath.Join(s.dir, key[:2], key)
}

// oldPath returns where a store of the two-level layout kept the blob named key, or "" for a
// key whose place did not change.
func (s *Store) oldPath(key string) string {
	if len(key) < 4 {
		return ""
	}
	return filepath.Join(s.dir, key[:2], key[2:4], key)
}

// paths returns where the blob named key may be: its path first, then its old path.
func (s *Store) paths(key string) []string {
	if old := s.oldPath(key); old != "" {
		return []string{s.path(key), old}
	}
	return []string{s.path(key)}
}

// checkKey returns EINVALID unless key is a usable blob name: 1 to maxKeyLen characters of
// [A-Za-z0-9._-], never "." or containing "..", and never containing tmpMarker, which would make
// the blob look like a temporary file.
func checkKey(key string) error {
	switch {
	case key == "":
		return beifen.Errorf(beifen.EINVALID, "Blob key required.")
	case len(key) > maxKeyLen:
		return beifen.Errorf(beifen.EINVALID, "Blob key too long.")
	case !keyChars(key) || key == "." || strings.Contains(key, "..") || strings.Contains(key, tmpMarker):
		return beifen.Errorf(beifen.EINVALID, "Blob key is invalid.")
	}
	return nil
}

// keyChars reports whether s holds only characters allowed in keys.
func keyChars(s string) bool {
	for _, c := range []byte(s) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '.' || c == '_' || c == '-'
		if !ok {
			return false
		}
	}
	return true
}

func notFound() error {
	return beifen.Errorf(beifen.ENOTFOUND, "Blob not found.")
}

// mkdir creates dir and any missing parents with mode 0700, and makes them durable: it syncs the
// parent of each folder from dir up to the first one this process has already made durable (or
// the store's root). That a folder exists does not mean its entry is on disk: another Put may
// have created it a moment ago and not synced its parent yet, or a crash may have come between.
// A first backup then syncs the root once per top-level folder, not once per blob.
func (s *Store) mkdir(dir string) error {
	if _, ok := s.durable.Load(dir); ok {
		return nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	var made []string
	for d := dir; d != s.dir && filepath.Dir(d) != d; d = filepath.Dir(d) {
		if _, ok := s.durable.Load(d); ok {
			break
		}
		if err := syncDir(filepath.Dir(d)); err != nil {
			return err
		}
		made = append(made, d)
	}
	for _, d := range made {
		s.durable.Store(d, true)
	}
	return nil
}

// syncDir flushes a directory, making renames and removals in it durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	// Some filesystems (network and FUSE mounts) cannot sync a directory; there is nothing
	// more we can do there.
	if errors.Is(err, errors.ErrUnsupported) || errors.Is(err, syscall.EINVAL) {
		err = nil
	}
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
