package keyring

import (
	"bytes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Layouts of a wrapped data key. Version 1 keeps the layout it had before versions existed, so
// a server that never rotates writes the same bytes as before and older binaries still read them.
//
//	format 1: [1][id 8][nonce 12][sealed key]                 master key version 1
//	format 2: [2][version 4, big-endian][id 8][nonce 12][sealed key]
//
// beifen.WrappedKeyVersion reads the same headers, for storage to count keys by version.
const (
	format1 = 1
	format2 = 2
)

// Version returns the master key version named in a wrapped data key's header, or 0 if wrapped
// is not a wrapped key.
func Version(wrapped []byte) int {
	switch {
	case len(wrapped) > 0 && wrapped[0] == format1:
		return 1
	case len(wrapped) >= 5 && wrapped[0] == format2:
		// A version is a small positive number; anything else is not a wrapped key (and would
		// not fit the databases' version columns).
		if v := binary.BigEndian.Uint32(wrapped[1:5]); v > 0 && v <= math.MaxInt32 {
			return int(v)
		}
	}
	return 0
}

// version is one version of the master key.
type version struct {
	n    int
	id   [8]byte // first bytes of SHA-256(key): checks that the right key opens a wrapped key
	aead cipher.AEAD
}

func newVersion(n int, key []byte) (*version, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("master key version %d: want %d bytes, got %d", n, KeySize, len(key))
	}
	aead, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	v := &version{n: n, aead: aead}
	sum := sha256.Sum256(append([]byte("beifen master key id\x00"), key...))
	copy(v.id[:], sum[:])
	return v, nil
}

// ring is the keys of one reading of the key file. It never changes: a reload makes a new one.
type ring struct {
	versions map[int]*version
	newest   *version
	secret   []byte // the server secret, see keyFile
	server   *Account
}

func newRing(f *keyFile) (*ring, error) {
	r := &ring{versions: map[int]*version{}, secret: f.server}
	for n, key := range f.keys {
		v, err := newVersion(n, key)
		if err != nil {
			return nil, err
		}
		r.versions[n] = v
		if r.newest == nil || n > r.newest.n {
			r.newest = v
		}
	}
	if r.newest == nil {
		return nil, errors.New("master key: no version")
	}
	var err error
	r.server, err = NewAccount(f.server)
	return r, err
}

// Master is the server's master key: every version its key file keeps. It wraps data keys
// under the newest version and unwraps them under whichever version wrapped them. Safe for
// concurrent use.
type Master struct {
	path   string // the key file; "" for a key given in memory
	ring   atomic.Pointer[ring]
	mu     sync.Mutex // one reload at a time
	stamp  stamp      // the key file as last read
	server *Account
}

// NewMaster returns a Master with one version, 1, for a 32-byte key, and no key file.
func NewMaster(key []byte) (*Master, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("master key: want %d bytes, got %d", KeySize, len(key))
	}
	return newMaster("", &keyFile{server: derive(key, "server"), keys: map[int][]byte{1: key}})
}

func newMaster(path string, f *keyFile) (*Master, error) {
	r, err := newRing(f)
	if err != nil {
		return nil, err
	}
	m := &Master{path: path, server: r.server}
	m.ring.Store(r)
	return m, nil
}

// Server returns the keys of the server itself: they hash phone numbers and networks for
// look-ups, chain the audit log and sign its checkpoints, and seal account profiles. They derive
// from the key file's server secret, which no rotation changes: new server keys would orphan
// every stored hash and break the audit chain.
func (m *Master) Server() *Account { return m.server }

// Newest returns the version that wraps new data keys.
func (m *Master) Newest() int { return m.ring.Load().newest.n }

// Versions returns every version the key file keeps, oldest first.
func (m *Master) Versions() []int {
	var out []int
	for n := range m.ring.Load().versions {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// NewDataKey returns a new random account data key, wrapped for storage, bound to accountID.
func (m *Master) NewDataKey(accountID int64) (wrapped []byte) {
	return m.NewScopedKey(ScopeAccount, accountID)
}

// NewScopedKey returns a new random data key for the owner id of scope, wrapped for storage
// under the newest version. It first checks whether the key file changed, so that a running
// server wraps new keys under a version `beifen key rotate` added.
func (m *Master) NewScopedKey(scope string, id int64) (wrapped []byte) {
	dek := make([]byte, KeySize)
	rand.Read(dek)
	m.refresh()
	return m.ring.Load().newest.wrap(scope, id, dek)
}

// Wrap seals a data key for accountID under the newest version.
func (m *Master) Wrap(accountID int64, dek []byte) []byte {
	m.refresh()
	return m.ring.Load().newest.wrap(ScopeAccount, accountID, dek)
}

func (v *version) wrap(scope string, id int64, dek []byte) []byte {
	out := []byte{format1}
	if v.n != 1 {
		out = binary.BigEndian.AppendUint32([]byte{format2}, uint32(v.n))
	}
	out = append(out, v.id[:]...)
	nonce := make([]byte, v.aead.NonceSize())
	rand.Read(nonce)
	out = append(out, nonce...)
	return v.aead.Seal(out, nonce, dek, wrapAAD(scope, id))
}

// Unwrap opens a wrapped data key of accountID and returns the account's keys.
func (m *Master) Unwrap(accountID int64, wrapped []byte) (*Account, error) {
	return m.UnwrapScoped(ScopeAccount, accountID, wrapped)
}

// UnwrapScoped opens the wrapped data key of the owner id of scope. A key wrapped for another
// owner, or another kind of owner, does not open.
func (m *Master) UnwrapScoped(scope string, id int64, wrapped []byte) (*Account, error) {
	dek, err := m.unwrap(scope, id, wrapped)
	if err != nil {
		return nil, err
	}
	return NewAccount(dek)
}

// Rewrap returns the data key of the owner id of scope wrapped under the newest version, and
// that version.
func (m *Master) Rewrap(scope string, id int64, wrapped []byte) ([]byte, int, error) {
	dek, err := m.unwrap(scope, id, wrapped)
	if err != nil {
		return nil, 0, err
	}
	v := m.ring.Load().newest
	return v.wrap(scope, id, dek), v.n, nil
}

// unwrap opens a wrapped key under the version its header names. A version this Master does
// not know yet is looked for in the key file once more: another process may have added it.
func (m *Master) unwrap(scope string, id int64, wrapped []byte) ([]byte, error) {
	n := Version(wrapped)
	if n == 0 {
		return nil, errors.New("unwrap data key: malformed")
	}
	v := m.ring.Load().versions[n]
	if v == nil && m.path != "" {
		if err := m.reload(); err != nil {
			return nil, fmt.Errorf("unwrap data key: %w", err)
		}
		v = m.ring.Load().versions[n]
	}
	if v == nil {
		return nil, fmt.Errorf("unwrap data key: master key version %d is not in the key file", n)
	}
	return v.unwrap(scope, id, wrapped)
}

func (v *version) unwrap(scope string, id int64, wrapped []byte) ([]byte, error) {
	at := 1
	if wrapped[0] == format2 {
		at = 5
	}
	hdr := at + len(v.id) + v.aead.NonceSize()
	if len(wrapped) < hdr {
		return nil, errors.New("unwrap data key: malformed")
	}
	if !bytes.Equal(wrapped[at:at+len(v.id)], v.id[:]) {
		return nil, fmt.Errorf("unwrap data key: sealed under another master key than version %d", v.n)
	}
	dek, err := v.aead.Open(nil, wrapped[at+len(v.id):hdr], wrapped[hdr:], wrapAAD(scope, id))
	if err != nil {
		return nil, fmt.Errorf("unwrap data key: %w", err)
	}
	return dek, nil
}

func wrapAAD(scope string, id int64) []byte {
	return strconv.AppendInt([]byte("beifen data key\x00"+scope+"="), id, 10)
}

// stamp tells whether a file changed since it was read.
type stamp struct {
	size int64
	mod  time.Time
}

func stampOf(fi os.FileInfo) stamp { return stamp{fi.Size(), fi.ModTime()} }

// refresh reloads the key file if it changed since it was last read. Creating a data key is
// rare enough that a stat each time costs nothing. If the file cannot be read the keys already
// known stay in use: every version is kept until retired, so they still work.
func (m *Master) refresh() {
	if m.path == "" {
		return
	}
	fi, err := os.Stat(m.path)
	m.mu.Lock()
	changed := err == nil && stampOf(fi) != m.stamp
	m.mu.Unlock()
	if changed {
		m.reload()
	}
}

// reload reads the key file again. It refuses a file whose server secret differs: that is
// another installation's key, not a rotation of this one.
func (m *Master) reload() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, st, err := readKeyFile(m.path)
	if err != nil {
		return err
	}
	if !bytes.Equal(f.server, m.ring.Load().secret) {
		return errors.New("master key file: its server secret changed; it belongs to another installation")
	}
	r, err := newRing(f)
	if err != nil {
		return err
	}
	m.ring.Store(r)
	m.stamp = st
	return nil
}
