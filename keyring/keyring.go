// Package keyring keeps beifen's encryption keys: the server's master key, the per-account data
// keys it wraps, and the sub-keys derived from a data key for record payloads, identity hashes
// and blob names.
//
// A data key never touches disk in the clear. Destroying an account's wrapped data key makes
// every record and blob of that account unreadable (crypto-shredding).
//
// The master key has versions (see file.go). Each wrapped data key names the version that
// sealed it, so a key wrapped under any version still kept in the key file opens, and new keys
// are wrapped under the newest. The server's own keys (Server) do not belong to any version:
// they stay the same across rotations.
package keyring

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
)

// KeySize is the size of every key in bytes (AES-256, HMAC-SHA256).
const KeySize = 32

// Owners of data keys: an account, or a sales team.
const (
	ScopeAccount = "account"
	ScopeTeam    = "team"
)

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("new cipher: %w", err)
	}
	return cipher.NewGCM(block)
}

// derive returns the sub-key for purpose.
func derive(dek []byte, purpose string) []byte {
	k, err := hkdf.Key(sha256.New, dek, nil, "beifen "+purpose, KeySize)
	if err != nil {
		panic(err) // only for lengths beyond 255*32
	}
	return k
}

// mac returns HMAC-SHA256(key, data).
func mac(key, data []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write(data)
	return h.Sum(nil)
}
