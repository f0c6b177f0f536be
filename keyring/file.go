package keyring

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// keyFile is the content of the master key file. A file written before versions existed is one
// line, a base64 key, and reads as version 1. After a rotation the file has one line per kept
// version, "N <base64 key>", and a "server <base64 secret>" line.
//
// The server secret is what the server's own keys (index hashes, the audit chain, sealed
// profiles) derive from. It is the same HKDF output of the version-1 key that they always
// derived from, written down so that retiring version 1 does not take it along: no rotation
// may change it, or every stored hash and the audit chain would stop matching.
type keyFile struct {
	server []byte
	keys   map[int][]byte
}

const keyFileHeader = `# beifen master key file. Keep it secret (mode 0600) and back it up: without it nothing
# beifen stores can be read. Each "N key" line is a master key version that wraps data keys; the
# highest wraps new ones. "server" derives index hashes and the audit chain; it never changes.
`

func parseKeyFile(data []byte) (*keyFile, error) {
	f := &keyFile{keys: map[int][]byte{}}
	lines := strings.Split(string(data), "\n")
	for _, line := range lines {
		fields := strings.Fields(line)
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		if len(fields) == 1 { // the single-key file of before versions
			fields = []string{"1", fields[0]}
		}
		key, err := base64.StdEncoding.DecodeString(fields[1])
		if len(fields) != 2 || err != nil || len(key) != KeySize {
			return nil, errors.New("decode master key: a line is not \"N key\" with a 32-byte base64 key")
		}
		if fields[0] == "server" {
			f.server = key
			continue
		}
		n, err := strconv.Atoi(fields[0])
		if err != nil || n < 1 || f.keys[n] != nil {
			return nil, fmt.Errorf("decode master key: bad or repeated version %q", fields[0])
		}
		f.keys[n] = key
	}
	if len(f.keys) == 0 {
		return nil, errors.New("decode master key: no key in the file")
	}
	if f.server == nil {
		if f.keys[1] == nil {
			return nil, errors.New("decode master key: no server secret and no version 1 to derive it from")
		}
		f.server = derive(f.keys[1], "server")
	}
	return f, nil
}

func (f *keyFile) marshal() []byte {
	var b bytes.Buffer
	b.WriteString(keyFileHeader)
	fmt.Fprintf(&b, "server %s\n", base64.StdEncoding.EncodeToString(f.server))
	var ns []int
	for n := range f.keys {
		ns = append(ns, n)
	}
	slices.Sort(ns)
	for _, n := range ns {
		fmt.Fprintf(&b, "%d %s\n", n, base64.StdEncoding.EncodeToString(f.keys[n]))
	}
	return b.Bytes()
}

// readKeyFile reads and parses the key file. A key file that others may read is refused.
func readKeyFile(path string) (*keyFile, stamp, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, stamp{}, fmt.Errorf("read master key: %w", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, stamp{}, fmt.Errorf("stat master key: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, stamp{}, fmt.Errorf("master key file %s has mode %s: others may read it; run chmod 600",
			filepath.Base(path), fi.Mode().Perm())
	}
	f, err := parseKeyFile(data)
	return f, stampOf(fi), err
}

// LoadOrCreateMaster reads the master key file at path, or creates it with a new random key and
// mode 0600 if it does not exist. A key file that others may read is refused.
func LoadOrCreateMaster(path string) (*Master, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return createMaster(path)
	}
	f, st, err := readKeyFile(path)
	if err != nil {
		return nil, err
	}
	m, err := newMaster(path, f)
	if err != nil {
		return nil, err
	}
	m.stamp = st
	return m, nil
}

// createMaster writes a new key in the one-line layout of before versions, so that a new
// install stays readable by older binaries until its first rotation.
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
	return LoadOrCreateMaster(path)
}

// writeKeyFile replaces the key file atomically: a crash leaves the old file or the new one,
// never half of one.
func writeKeyFile(path string, f *keyFile) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write master key: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename, nothing to remove
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("write master key: %w", err)
	}
	if _, err := tmp.Write(f.marshal()); err != nil {
		tmp.Close()
		return fmt.Errorf("write master key: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("sync master key: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write master key: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("replace master key: %w", err)
	}
	if dir, err := os.Open(filepath.Dir(path)); err == nil {
		dir.Sync()
		dir.Close()
	}
	return nil
}
