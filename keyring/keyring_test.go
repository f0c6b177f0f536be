package keyring_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/beifen/beifen/keyring"
)

func TestMasterFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "master.key")
	m1, err := keyring.LoadOrCreateMaster(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode=%v, want 0600", fi.Mode().Perm())
	}
	m2, err := keyring.LoadOrCreateMaster(path)
	if err != nil {
		t.Fatal(err)
	}
	wrapped := m1.NewDataKey(7)
	a1, err := m1.Unwrap(7, wrapped)
	if err != nil {
		t.Fatal(err)
	}
	a2, err := m2.Unwrap(7, wrapped)
	if err != nil {
		t.Fatalf("reloaded master cannot unwrap: %v", err)
	}
	if !bytes.Equal(a1.Ident([]byte("x")), a2.Ident([]byte("x"))) {
		t.Fatal("same data key derived different identity keys")
	}
	os.Chmod(path, 0o644)
	if _, err := keyring.LoadOrCreateMaster(path); err == nil {
		t.Fatal("a world-readable master key was accepted")
	}
}

func TestWrapBindsAccount(t *testing.T) {
	m, _ := keyring.NewMaster(bytes.Repeat([]byte{1}, 32))
	other, _ := keyring.NewMaster(bytes.Repeat([]byte{2}, 32))
	wrapped := m.NewDataKey(1)
	if _, err := m.Unwrap(2, wrapped); err == nil {
		t.Fatal("account 1's key opened as account 2's")
	}
	if _, err := other.Unwrap(1, wrapped); err == nil {
		t.Fatal("key opened under another master")
	}
	if _, err := m.UnwrapScoped(keyring.ScopeTeam, 1, wrapped); err == nil {
		t.Fatal("account 1's key opened as team 1's")
	}
	if _, err := m.UnwrapScoped(keyring.ScopeTeam, 1, m.NewScopedKey(keyring.ScopeTeam, 1)); err != nil {
		t.Fatalf("team key: %v", err)
	}
}

func TestSealBindsAAD(t *testing.T) {
	m, _ := keyring.NewMaster(bytes.Repeat([]byte{1}, 32))
	a, _ := m.Unwrap(1, m.NewDataKey(1))
	sealed := a.Seal([]byte("row 1"), []byte("短信内容"))
	if pt, err := a.Open([]byte("row 1"), sealed); err != nil || string(pt) != "短信内容" {
		t.Fatalf("Open=%q, %v", pt, err)
	}
	if _, err := a.Open([]byte("row 2"), sealed); err == nil {
		t.Fatal("payload opened under another row's AAD")
	}
	b, _ := m.Unwrap(2, m.NewDataKey(2))
	if bytes.Equal(a.Ident([]byte("13800138000")), b.Ident([]byte("13800138000"))) {
		t.Fatal("two accounts share identity hashes")
	}
	if a.BlobName("k") == b.BlobName("k") {
		t.Fatal("two accounts share blob names")
	}
}

func TestIdentHasher(t *testing.T) {
	m, _ := keyring.NewMaster(bytes.Repeat([]byte{1}, 32))
	a, _ := m.Unwrap(1, m.NewDataKey(1))
	ih := a.NewIdentHasher()
	for _, parts := range [][][]byte{{[]byte("sms"), []byte("x")}, {[]byte("smsx")}, {nil}} {
		if got, want := ih.Sum(parts...), a.Ident(bytes.Join(parts, nil)); !bytes.Equal(got, want) {
			t.Fatalf("Sum(%q)=%x, want %x", parts, got, want)
		}
	}
}

// TestIdentHasherReuse checks Sum after a large part and between small ones.
func TestIdentHasherReuse(t *testing.T) {
	a, err := keyring.NewAccount(bytes.Repeat([]byte{3}, keyring.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	h := a.NewIdentHasher()
	big := bytes.Repeat([]byte("photo"), 1<<19)
	for _, parts := range [][][]byte{{}, {[]byte("x")}, {[]byte("sms"), {0}, []byte("body")}, {big, []byte("x")}, {[]byte("a"), nil, []byte("b")}} {
		got, want := h.Sum(parts...), a.Ident(bytes.Join(parts, nil))
		if !bytes.Equal(got, want) {
			t.Fatalf("Sum=%x, want Ident %x", got, want)
		}
	}
}
