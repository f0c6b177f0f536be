package beifen

import (
	"context"
	"encoding/hex"
	"io"
	"time"
)

// BlobKey names a blob: the lowercase hex SHA-256 of its plaintext content.
type BlobKey string

// Valid reports whether k looks like a hex SHA-256.
func (k BlobKey) Valid() bool {
	if len(k) != 64 {
		return false
	}
	_, err := hex.DecodeString(string(k))
	return err == nil && string(k) == lower(string(k))
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// BlobRef points at a stored blob from a record (an MMS part, a file).
type BlobRef struct {
	Key  BlobKey `json:"k"`
	Size int64   `json:"s"`
}

// BlobInfo describes a stored blob.
type BlobInfo struct {
	Key     string
	Size    int64
	ModTime time.Time
}

// BlobStore stores opaque blobs by key. Keys are slash-free names chosen by the caller (content
// addresses, or names derived from them); implementations may fan them out into folders.
type BlobStore interface {
	// Put stores size bytes read from r under key, atomically: a reader never sees a partial
	// blob, and a failed Put leaves nothing behind. An existing blob is replaced.
	// Returns EINVALID if r yields other than size bytes.
	Put(ctx context.Context, key string, r io.Reader, size int64) error

	// Open returns a reader of the whole blob. Returns ENOTFOUND if there is no such blob.
	Open(ctx context.Context, key string) (io.ReadCloser, error)

	// Stat returns the blob's size. Returns ENOTFOUND if there is no such blob.
	Stat(ctx context.Context, key string) (BlobInfo, error)

	// Delete removes a blob. Returns ENOTFOUND if there is no such blob.
	Delete(ctx context.Context, key string) error

	// List calls fn for each blob whose key starts with prefix, in no set order, and stops at
	// the first error fn returns.
	List(ctx context.Context, prefix string, fn func(BlobInfo) error) error
}

// BlobRangeOpener is implemented by blob stores that can read part of a blob without reading
// what comes before it (for seeking in recordings).
type BlobRangeOpener interface {
	// OpenRange returns a reader of length bytes from offset; length < 0 reads to the end.
	// Returns ENOTFOUND if there is no such blob.
	OpenRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error)
}
