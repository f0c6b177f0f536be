// Package keyring keeps beifen's encryption keys: the server's master key, the per-account data
// keys it wraps, and the sub-keys derived from a data key for record payloads, identity hashes
// and blob names.
//
// A data key never touches disk in the clear. Destroying an account's wrapped data key makes
// every record and blob of that account unreadable (crypto-shredding).
package keyring

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// KeySize is the size of every key in bytes (AES-256, HMAC-SHA256).
const KeySize = 32

// wrapVersion is the first byte of a wrapped data key.
const wrapVersion = 1

// Master is the server's master key. It wraps account data keys.
type Master struct {
	id     [8]byte // first bytes of SHA-256(key): tells which master sealed a wrapped key
	aead   cipher.AEAD
	server *Account
}

// NewMaster returns a Master for a 32-byte key.
func NewMaster(key []byte) (*Master, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("master key: want %d bytes, got %d", KeySize, len(key))
	}
	aead, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	server, err := NewAccount(derive(key, "server"))
	if err != nil {
		return nil, err
	}
	m := &Master{aead: aead, server: server}
	sum := sha256.Sum256(append([]byte("beifen master key id\x00"), key...))
	copy(m.id[:], sum[:])
	return m, nil
}

// LoadOrCreateMaster reads the master key file at path, or creates it with a new random key and
// mode 0600 if it does not exist. A key file that others may read is refused.
func LoadOrCreateMaster(path string) (*Master, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return createMaster(path)
	} else if err != nil {
		return nil, fmt.Errorf("read master key: %w", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("stat master key: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("master key file %s has mode %s: others may read it; run chmod 600",
			filepath.Base(path), fi.Mode().Perm())
	}
	key, err := base64.StdEncoding.DecodeString(string(bytes.TrimSpace(data)))
	if err != nil {
		return nil, fmt.Errorf("decode master key: %w", err)
	}
	return NewMaster(key)
}

func createMaster(path string) (*Master, error) {
	key := make([]byte, KeySize)
	rand.Read(key)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create master key: %w", err)
	}
	// O_EXCL: two processes starting at once must not each write their own key.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return LoadOrCreateMaster(path)
	} else if err != nil {
		return nil, fmt.Errorf("create master key: %w", err)
	}
	defer f.Close()
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n"); err != nil {
		return nil, fmt.Errorf("write master key: %w", err)
	}
	if err := f.Sync(); err != nil {
		return nil, fmt.Errorf("sync master key: %w", err)
	}
	return NewMaster(key)
}

// Server returns the keys of the server itself, derived from the master key: they hash phone
// numbers for look-ups and seal account profiles.
func (m *Master) Server() *Account { return m.server }

// Owners of data keys: an account, or a sales team.
const (
	ScopeAccount = "account"
	ScopeTeam    = "team"
)

// NewDataKey returns a new random account data key, wrapped for storage, bound to accountID.
func (m *Master) NewDataKey(accountID int64) (wrapped []byte) {
	return m.NewScopedKey(ScopeAccount, accountID)
}

// NewScopedKey returns a new random data key for the owner id of scope, wrapped for storage.
func (m *Master) NewScopedKey(scope string, id int64) (wrapped []byte) {
	dek := make([]byte, KeySize)
	rand.Read(dek)
	return m.wrap(scope, id, dek)
}

// Wrap seals a data key for accountID.
func (m *Master) Wrap(accountID int64, dek []byte) []byte {
	return m.wrap(ScopeAccount, accountID, dek)
}

func (m *Master) wrap(scope string, id int64, dek []byte) []byte {
	nonce := make([]byte, m.aead.NonceSize())
	rand.Read(nonce)
	out := append([]byte{wrapVersion}, m.id[:]...)
	out = append(out, nonce...)
	return m.aead.Seal(out, nonce, dek, wrapAAD(scope, id))
}

// Unwrap opens a wrapped data key of accountID and returns the account's keys.
func (m *Master) Unwrap(accountID int64, wrapped []byte) (*Account, error) {
	return m.UnwrapScoped(ScopeAccount, accountID, wrapped)
}

// UnwrapScoped opens the wrapped data key of the owner id of scope. A key wrapped for another
// owner, or another kind of owner, does not open.
func (m *Master) UnwrapScoped(scope string, id int64, wrapped []byte) (*Account, error) {
	hdr := 1 + len(m.id) + m.aead.NonceSize()
	if len(wrapped) < hdr || wrapped[0] != wrapVersion {
		return nil, errors.New("unwrap data key: malformed")
	}
	if !bytes.Equal(wrapped[1:1+len(m.id)], m.id[:]) {
		return nil, errors.New("unwrap data key: sealed under another master key")
	}
	dek, err := m.aead.Open(nil, wrapped[1+len(m.id):hdr], wrapped[hdr:], wrapAAD(scope, id))
	if err != nil {
		return nil, fmt.Errorf("unwrap data key: %w", err)
	}
	return NewAccount(dek)
}

func wrapAAD(scope string, id int64) []byte {
	return strconv.AppendInt([]byte("beifen data key\x00"+scope+"="), id, 10)
}

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
