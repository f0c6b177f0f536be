package keyring

import (
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
)

// Account holds the keys derived from one account's data key.
type Account struct {
	records cipher.AEAD
	ident   []byte
	names   []byte
	blobs   []byte
}

// NewAccount derives an account's sub-keys from its data key.
func NewAccount(dek []byte) (*Account, error) {
	if len(dek) != KeySize {
		return nil, fmt.Errorf("data key: want %d bytes, got %d", KeySize, len(dek))
	}
	aead, err := newGCM(derive(dek, "records"))
	if err != nil {
		return nil, err
	}
	return &Account{
		records: aead,
		ident:   derive(dek, "identity"),
		names:   derive(dek, "blob names"),
		blobs:   derive(dek, "blobs"),
	}, nil
}

// Ident returns the keyed hash of a record's identity or content. Two accounts get different
// hashes for the same data, and the hash reveals nothing without the key.
func (a *Account) Ident(data []byte) []byte { return mac(a.ident, data) }

// IdentHasher computes Ident many times over without setting HMAC up each time. It is not safe
// for concurrent use: give each goroutine its own.
type IdentHasher struct {
	h   hash.Hash
	buf []byte // the parts of one Sum
}

// NewIdentHasher returns an IdentHasher for the account.
func (a *Account) NewIdentHasher() *IdentHasher {
	return &IdentHasher{h: hmac.New(sha256.New, a.ident)}
}

// Sum returns the same as Account.Ident of the concatenation of parts. The parts are copied
// into the hasher's own buffer and hashed from there: given to the hash, whose Write is an
// interface method, they would have to be on the heap, and small parts made on the spot
// ([]byte(kind)) would each cost an allocation.
func (ih *IdentHasher) Sum(parts ...[]byte) []byte {
	ih.buf = ih.buf[:0]
	for _, p := range parts {
		ih.buf = append(ih.buf, p...)
	}
	ih.h.Reset()
	ih.h.Write(ih.buf)
	if cap(ih.buf) > 1<<20 {
		ih.buf = nil // do not keep a large part's copy (a contact's photo) for the next
	}
	return ih.h.Sum(nil)
}

// BlobName returns the name under which the blob of plaintext hash key is stored: an HMAC, so
// the store reveals no content hash and two accounts never share a blob.
func (a *Account) BlobName(key string) string {
	return hex.EncodeToString(mac(a.names, []byte(key)))
}

// BlobKey returns the key that encrypts this account's blobs.
func (a *Account) BlobKey() []byte { return a.blobs }

// Seal encrypts a record payload. aad binds it to where it belongs (account, kind, identity),
// so a ciphertext copied to another row fails to open.
func (a *Account) Seal(aad, plaintext []byte) []byte {
	nonce := make([]byte, a.records.NonceSize(), a.records.NonceSize()+len(plaintext)+a.records.Overhead())
	rand.Read(nonce)
	return a.records.Seal(nonce, nonce, plaintext, aad)
}

// Open decrypts a payload sealed with the same aad.
func (a *Account) Open(aad, sealed []byte) ([]byte, error) {
	n := a.records.NonceSize()
	if len(sealed) < n {
		return nil, errors.New("open record: too short")
	}
	pt, err := a.records.Open(nil, sealed[:n], sealed[n:], aad)
	if err != nil {
		return nil, fmt.Errorf("open record: %w", err)
	}
	return pt, nil
}
