// Package blobcrypt encrypts blobs at rest. Store wraps any beifen.BlobStore and implements it
// again, so encryption stacks on storage instead of forking it.
//
// A blob is written as a header (magic and a random salt) followed by segments of 64 KiB of
// plaintext, each sealed with AES-256-GCM under a key derived from the account key and the salt.
// A segment's nonce holds its index and whether it is the last one, and the blob's name is
// authenticated too, so truncation, reordering and swapping blobs are all caught. A range read
// decrypts only the segments it touches, which lets a browser seek in a recording.
package blobcrypt

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/beifen/beifen"
)

const (
	magic       = "BFB1"
	saltSize    = 32
	headerSize  = len(magic) + saltSize
	segmentSize = 64 << 10
	tagSize     = 16
)

// Store encrypts what it puts into Base and decrypts what it reads from it.
type Store struct {
	Base beifen.BlobStore
	key  []byte
}

var (
	_ beifen.BlobStore       = (*Store)(nil)
	_ beifen.BlobRangeOpener = (*Store)(nil)
)

// Wrap returns a Store that encrypts blobs into base under key (32 bytes).
func Wrap(base beifen.BlobStore, key []byte) *Store {
	return &Store{Base: base, key: key}
}

// CiphertextSize returns the stored size of a plaintext of size bytes.
func CiphertextSize(size int64) int64 {
	return int64(headerSize) + segments(size)*tagSize + size
}

// PlaintextSize returns the plaintext size of a stored blob of size bytes.
func PlaintextSize(size int64) int64 {
	n := size - int64(headerSize)
	if n < tagSize {
		return 0
	}
	segs := (n + segmentSize + tagSize - 1) / (segmentSize + tagSize)
	return n - segs*tagSize
}

func segments(size int64) int64 {
	if size == 0 {
		return 1
	}
	return (size + segmentSize - 1) / segmentSize
}

func (s *Store) aead(name string, salt []byte) (cipher.AEAD, error) {
	k, err := hkdf.Key(sha256.New, s.key, salt, "beifen blob segment", 32)
	if err != nil {
		return nil, fmt.Errorf("derive blob key: %w", err)
	}
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, fmt.Errorf("blob cipher: %w", err)
	}
	return cipher.NewGCM(block)
}

func nonce(buf []byte, index int64, last bool) []byte {
	binary.BigEndian.PutUint64(buf[:8], uint64(index))
	binary.BigEndian.PutUint32(buf[8:12], 0)
	if last {
		buf[11] = 1
	}
	return buf[:12]
}

// Put encrypts size bytes from r and stores them under key.
// Returns EINVALID if r yields other than size bytes.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	salt := make([]byte, saltSize)
	rand.Read(salt)
	aead, err := s.aead(key, salt)
	if err != nil {
		return err
	}
	enc := &encrypter{r: r, aead: aead, ad: []byte(key), size: size, segs: segments(size)}
	enc.out = append([]byte(magic), salt...)
	return s.Base.Put(ctx, key, enc, CiphertextSize(size))
}

// Open returns a reader of the decrypted blob. A damaged blob fails when the damage is read.
func (s *Store) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	return s.OpenRange(ctx, key, 0, -1)
}

// Stat returns the plaintext size of a blob. Returns ENOTFOUND if there is no such blob.
func (s *Store) Stat(ctx context.Context, key string) (beifen.BlobInfo, error) {
	info, err := s.Base.Stat(ctx, key)
	if err != nil {
		return info, err
	}
	info.Size = PlaintextSize(info.Size)
	return info, nil
}

// Delete removes a blob. Returns ENOTFOUND if there is no such blob.
func (s *Store) Delete(ctx context.Context, key string) error { return s.Base.Delete(ctx, key) }

// List lists blobs with their plaintext sizes.
func (s *Store) List(ctx context.Context, prefix string, fn func(beifen.BlobInfo) error) error {
	return s.Base.List(ctx, prefix, func(info beifen.BlobInfo) error {
		info.Size = PlaintextSize(info.Size)
		return fn(info)
	})
}
