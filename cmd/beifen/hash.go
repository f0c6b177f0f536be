package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/beifen/beifen"
)

// hashFile returns the SHA-256 of a file.
func hashFile(ctx context.Context, path string) (beifen.BlobKey, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	buf := copyBufs.Get().(*[]byte) // not 1 MiB per file: hundreds of those kept the GC busy
	defer copyBufs.Put(buf)
	for {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		n, err := f.Read(*buf)
		h.Write((*buf)[:n])
		if err == io.EOF {
			break
		} else if err != nil {
			return "", err
		}
	}
	return beifen.BlobKey(hex.EncodeToString(h.Sum(nil))), nil
}

// hashCache remembers the hash of each file by path, size and modification time, so that an
// unchanged file is not read again (as restic and rsync do). It lives in the user's cache folder
// and holds only hashes and local paths.
type hashCache struct {
	mu      sync.Mutex
	path    string
	entries map[string]cachedHash
	dirty   bool
}

type cachedHash struct {
	Size    int64          `json:"s"`
	ModTime time.Time      `json:"m"`
	Hash    beifen.BlobKey `json:"h"`
	Chunks  []chunk        `json:"c,omitempty"`
}

func loadHashCache(enabled bool) *hashCache {
	c := &hashCache{entries: map[string]cachedHash{}}
	dir, err := os.UserCacheDir()
	if !enabled || err != nil {
		return c
	}
	c.path = filepath.Join(dir, "beifen", "hashes.json")
	if b, err := os.ReadFile(c.path); err == nil {
		json.Unmarshal(b, &c.entries)
	}
	return c
}

// get fills e's hash and chunks from the cache if the file is unchanged.
func (c *hashCache) get(e *entry) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.entries[e.abs]
	if !ok || h.Size != e.file.Size || !h.ModTime.Equal(e.file.ModTime) || !h.Hash.Valid() {
		return false
	}
	e.file.Hash, e.chunks = h.Hash, h.Chunks
	return true
}

func (c *hashCache) put(e *entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[e.abs] = cachedHash{Size: e.file.Size, ModTime: e.file.ModTime, Hash: e.file.Hash, Chunks: e.chunks}
	c.dirty = true
}

// save writes the cache atomically; a cache that cannot be written is only a slower next run.
func (c *hashCache) save() {
	if c.path == "" || !c.dirty {
		return
	}
	b, err := json.Marshal(c.entries)
	if err != nil || os.MkdirAll(filepath.Dir(c.path), 0o700) != nil {
		return
	}
	tmp := c.path + ".tmp"
	if os.WriteFile(tmp, b, 0o600) == nil {
		os.Rename(tmp, c.path)
	}
}
