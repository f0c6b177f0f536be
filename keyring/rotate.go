package keyring

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrLocked is returned when another process is changing the key file.
var ErrLocked = errors.New("the master key file is being changed by another beifen key command")

// AddVersion adds a new random master key version to the key file and returns it. Keys wrapped
// so far stay under their versions; new keys, and keys rewrapped with Rewrap, go under the new one.
func (m *Master) AddVersion() (int, error) {
	var n int
	err := m.change(func(f *keyFile) error {
		for v := range f.keys {
			n = max(n, v)
		}
		n++
		key := make([]byte, KeySize)
		rand.Read(key)
		f.keys[n] = key
		return nil
	})
	return n, err
}

// RemoveVersion removes version n from the key file: a key wrapped under it no longer opens. The
// caller checks that no stored key uses it. The newest version cannot be removed.
func (m *Master) RemoveVersion(n int) error {
	return m.change(func(f *keyFile) error {
		newest := 0
		for v := range f.keys {
			newest = max(newest, v)
		}
		switch {
		case f.keys[n] == nil:
			return fmt.Errorf("master key version %d is not in the key file", n)
		case n == newest:
			return fmt.Errorf("master key version %d is the newest: it wraps new keys", n)
		}
		delete(f.keys, n)
		return nil
	})
}

// change applies edit to the key file under a lock file, writes it back and reloads it. Two
// rotations at once would otherwise each add "the next" version and one would be lost, with the
// keys already wrapped under it.
func (m *Master) change(edit func(*keyFile) error) error {
	if m.path == "" {
		return errors.New("master key: no key file")
	}
	lock := m.path + ".lock"
	lf, err := os.OpenFile(lock, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%w (if none is running, remove %s)", ErrLocked, filepath.Base(lock))
	} else if err != nil {
		return fmt.Errorf("lock master key: %w", err)
	}
	lf.Close()
	defer os.Remove(lock)
	f, _, err := readKeyFile(m.path)
	if err != nil {
		return err
	}
	if err := edit(f); err != nil {
		return err
	}
	if err := writeKeyFile(m.path, f); err != nil {
		return err
	}
	return m.reload()
}
