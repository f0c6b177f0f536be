package keyring_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/keyring"
)

// mustLoad loads the key file at path.
func mustLoad(tb testing.TB, path string) *keyring.Master {
	tb.Helper()
	m, err := keyring.LoadOrCreateMaster(path)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func TestKeyFile_OldSingleKeyIsVersion1(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	path := filepath.Join(t.TempDir(), "master.key")
	os.WriteFile(path, []byte(base64.StdEncoding.EncodeToString(key)+"\n"), 0o600)
	old, _ := keyring.NewMaster(key) // what the binary before versions did with this file
	wrapped := old.NewDataKey(5)
	m := mustLoad(t, path)
	if got := m.Versions(); len(got) != 1 || got[0] != 1 {
		t.Fatalf("Versions=%v, want [1]", got)
	}
	if _, err := m.Unwrap(5, wrapped); err != nil {
		t.Fatalf("a key wrapped before versions: %v", err)
	}
	if !bytes.Equal(m.Server().Ident([]byte("x")), old.Server().Ident([]byte("x"))) {
		t.Fatal("the server keys changed")
	}
	if v := keyring.Version(m.NewDataKey(6)); v != 1 {
		t.Fatalf("Version=%d, want 1", v)
	}
}

func TestRotate_KeepsOldKeysAndServerKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "master.key")
	m := mustLoad(t, path)
	ident := m.Server().Ident([]byte("phone:+8613800138000"))
	k1 := m.NewDataKey(1)
	a1, _ := m.Unwrap(1, k1)
	if n, err := m.AddVersion(); err != nil || n != 2 {
		t.Fatalf("AddVersion=%d, %v; want 2", n, err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode=%v, want 0600", fi.Mode().Perm())
	}
	if _, err := m.Unwrap(1, k1); err != nil {
		t.Fatalf("a version-1 key after rotation: %v", err)
	}
	k2, v, err := m.Rewrap(keyring.ScopeAccount, 1, k1)
	if err != nil || v != 2 || keyring.Version(k2) != 2 {
		t.Fatalf("Rewrap=version %d (header %d), %v; want 2", v, keyring.Version(k2), err)
	}
	a2, err := m.Unwrap(1, k2)
	if err != nil || !bytes.Equal(a1.Ident([]byte("x")), a2.Ident([]byte("x"))) {
		t.Fatalf("the rewrapped key is another data key (err %v)", err)
	}
	if _, err := m.Unwrap(2, k2); err == nil {
		t.Fatal("account 1's rewrapped key opened as account 2's")
	}
	if err := m.RemoveVersion(2); err == nil {
		t.Fatal("the newest version was removed")
	}
	if err := m.RemoveVersion(1); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Unwrap(1, k1); err == nil {
		t.Fatal("a key of a removed version still opens")
	}
	again := mustLoad(t, path) // after a restart, without version 1
	if got := again.Server().Ident([]byte("phone:+8613800138000")); !bytes.Equal(got, ident) {
		t.Fatal("the server's index key changed with the rotation")
	}
	if _, err := again.Unwrap(1, k2); err != nil {
		t.Fatal(err)
	}
	if n, _ := again.AddVersion(); n != 3 {
		t.Fatalf("AddVersion=%d, want 3", n)
	}
}

// A server and the CLI hold the same key file: the server picks up what the CLI added.
func TestRotate_RunningServerPicksUpVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "master.key")
	server, cli := mustLoad(t, path), mustLoad(t, path)
	k1 := server.NewDataKey(1)
	if _, err := cli.AddVersion(); err != nil {
		t.Fatal(err)
	}
	if v := keyring.Version(server.NewDataKey(2)); v != 2 {
		t.Fatalf("a new key after rotation: version %d, want 2", v)
	}
	server2 := mustLoad(t, path)
	cli.AddVersion()
	k3, _, _ := cli.Rewrap(keyring.ScopeAccount, 1, k1)
	if _, err := server2.Unwrap(1, k3); err != nil {
		t.Fatalf("a key of a version added since start: %v", err)
	}
}

func TestRotate_RefusesAnotherInstallationsFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "master.key")
	m := mustLoad(t, path)
	other := filepath.Join(t.TempDir(), "master.key")
	o := mustLoad(t, other)
	o.AddVersion()
	data, _ := os.ReadFile(other)
	os.WriteFile(path, data, 0o600)
	wrapped, _, _ := o.Rewrap(keyring.ScopeAccount, 1, o.NewDataKey(1))
	if _, err := m.Unwrap(1, wrapped); err == nil {
		t.Fatal("a key of another installation opened")
	}
	if v := keyring.Version(m.NewDataKey(1)); v != 1 {
		t.Fatalf("Version=%d, want 1: another installation's key was taken up", v)
	}
}

func TestRotate_Locked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "master.key")
	m := mustLoad(t, path)
	os.WriteFile(path+".lock", nil, 0o600)
	if _, err := m.AddVersion(); !errors.Is(err, keyring.ErrLocked) {
		t.Fatalf("err=%v, want ErrLocked", err)
	}
	if got := m.Versions(); len(got) != 1 {
		t.Fatalf("Versions=%v, want [1]", got)
	}
}

// The root package reads wrapped keys' headers for storage; it must agree with keyring.
func TestVersion_MatchesRoot(t *testing.T) {
	m := mustLoad(t, filepath.Join(t.TempDir(), "master.key"))
	keys := [][]byte{nil, []byte("k2"), m.NewDataKey(1)}
	m.AddVersion()
	m.AddVersion()
	keys = append(keys, m.NewDataKey(1))
	// Bytes that only look like a version-2 header name no version: 0, or one past what the
	// databases' version columns hold.
	keys = append(keys, []byte{2, 0, 0, 0, 0, 9}, []byte{2, 0xAA, 0xBB, 0xCC, 0x2A, 9})
	for i, k := range keys {
		if got, want := beifen.WrappedKeyVersion(k), keyring.Version(k); got != want {
			t.Fatalf("%d: WrappedKeyVersion=%d, want %d", i, got, want)
		}
	}
	if keyring.ScopeAccount != beifen.KeyOwnerAccount || keyring.ScopeTeam != beifen.KeyOwnerTeam {
		t.Fatal("keyring's scopes and the root's key owners differ")
	}
	if v := keyring.Version(keys[3]); v != 3 {
		t.Fatalf("Version=%d, want 3", v)
	}
	if keyring.Version(keys[4]) != 0 || keyring.Version(keys[5]) != 0 {
		t.Fatal("a header of version 0 or beyond 2^31-1 was taken as a version")
	}
}

func TestKeyFile_Parse(t *testing.T) {
	k := func(b byte) string { return base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{b}, 32)) }
	tests := []struct {
		name     string
		in       string
		versions int // 0: refused
	}{
		{"one line", k(1) + "\n", 1},
		{"versions", "# c\nserver " + k(9) + "\n1 " + k(1) + "\n2 " + k(2) + "\n", 2},
		{"version 1 retired", "server " + k(9) + "\n3 " + k(3) + "\n", 1},
		{"no server secret, no version 1", "2 " + k(2) + "\n", 0},
		{"repeated version", "1 " + k(1) + "\n1 " + k(2) + "\n", 0},
		{"short key", "1 " + base64.StdEncoding.EncodeToString([]byte("short")) + "\n", 0},
		{"bad version", "x " + k(1) + "\n", 0},
		{"empty", "# nothing\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "master.key")
			os.WriteFile(path, []byte(tt.in), 0o600)
			m, err := keyring.LoadOrCreateMaster(path)
			if tt.versions == 0 {
				if err == nil {
					t.Fatalf("accepted %q", tt.in)
				}
				return
			}
			if err != nil || len(m.Versions()) != tt.versions {
				t.Fatalf("LoadOrCreateMaster=%v, %v; want %d versions", m, err, tt.versions)
			}
		})
	}
}
