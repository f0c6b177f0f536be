package blobcrypt_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/blobcrypt"
	"github.com/beifen/beifen/blobtest"
	"github.com/beifen/beifen/disk"
)

func newKey() []byte {
	k := make([]byte, 32)
	rand.Read(k)
	return k
}

func TestConformance(t *testing.T) {
	blobtest.Run(t, func(tb testing.TB) beifen.BlobStore {
		return blobcrypt.Wrap(disk.NewStore(tb.TempDir()), newKey())
	})
}

// TestConformanceWithoutRanges runs the suite over a base that can only read from the start.
func TestConformanceWithoutRanges(t *testing.T) {
	blobtest.Run(t, func(tb testing.TB) beifen.BlobStore {
		return blobcrypt.Wrap(noRange{disk.NewStore(tb.TempDir())}, newKey())
	})
}

type noRange struct{ beifen.BlobStore }

func TestSizes(t *testing.T) {
	for _, n := range []int64{0, 1, 65535, 65536, 65537, 3 << 20} {
		if got := blobcrypt.PlaintextSize(blobcrypt.CiphertextSize(n)); got != n {
			t.Errorf("PlaintextSize(CiphertextSize(%d))=%d", n, got)
		}
	}
}

// TestAtRest checks that nothing of the plaintext is on disk.
func TestAtRest(t *testing.T) {
	dir := t.TempDir()
	s := blobcrypt.Wrap(disk.NewStore(dir), newKey())
	secret := bytes.Repeat([]byte("通话录音@李雷(13612345678)"), 5000)
	if err := s.Put(context.Background(), "k1", bytes.NewReader(secret), int64(len(secret))); err != nil {
		t.Fatal(err)
	}
	filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			b, _ := os.ReadFile(path)
			if bytes.Contains(b, []byte("13612345678")) {
				t.Fatalf("%s holds plaintext", filepath.Base(path))
			}
		}
		return nil
	})
}

// TestTamper flips, truncates, swaps and re-keys blobs: every one must fail to read.
func TestTamper(t *testing.T) {
	ctx := context.Background()
	data := make([]byte, 200_000)
	rand.Read(data)
	for _, tt := range []struct {
		name   string
		damage func(t *testing.T, base beifen.BlobStore)
	}{
		{"FlipByte", func(t *testing.T, base beifen.BlobStore) {
			rewrite(t, base, "a", func(b []byte) []byte { b[len(b)/2] ^= 1; return b })
		}},
		{"Truncate", func(t *testing.T, base beifen.BlobStore) {
			rewrite(t, base, "a", func(b []byte) []byte { return b[:len(b)-65536-16] })
		}},
		{"DropTail", func(t *testing.T, base beifen.BlobStore) {
			rewrite(t, base, "a", func(b []byte) []byte { return b[:len(b)-1] })
		}},
		{"Swap", func(t *testing.T, base beifen.BlobStore) {
			rewrite(t, base, "a", func([]byte) []byte { return readAll(t, base, "b") })
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			base := disk.NewStore(t.TempDir())
			s := blobcrypt.Wrap(base, newKey())
			for _, k := range []string{"a", "b"} {
				if err := s.Put(ctx, k, bytes.NewReader(data), int64(len(data))); err != nil {
					t.Fatal(err)
				}
			}
			tt.damage(t, base)
			rc, err := s.Open(ctx, "a")
			if err == nil {
				_, err = io.Copy(io.Discard, rc)
				rc.Close()
			}
			if err == nil {
				t.Fatal("damaged blob read without error")
			}
		})
	}
	t.Run("EmptyBlob", func(t *testing.T) {
		base := disk.NewStore(t.TempDir())
		s := blobcrypt.Wrap(base, newKey())
		if err := s.Put(ctx, "e", bytes.NewReader(nil), 0); err != nil {
			t.Fatal(err)
		}
		rewrite(t, base, "e", func(b []byte) []byte { b[len(b)-1] ^= 1; return b })
		rc, err := s.Open(ctx, "e")
		if err == nil {
			_, err = io.Copy(io.Discard, rc)
		}
		if err == nil {
			t.Fatal("a damaged empty blob read without error")
		}
	})
	t.Run("WrongKey", func(t *testing.T) {
		base := disk.NewStore(t.TempDir())
		if err := blobcrypt.Wrap(base, newKey()).Put(ctx, "a", bytes.NewReader(data), int64(len(data))); err != nil {
			t.Fatal(err)
		}
		rc, err := blobcrypt.Wrap(base, newKey()).Open(ctx, "a")
		if err == nil {
			_, err = io.Copy(io.Discard, rc)
		}
		if err == nil {
			t.Fatal("blob read under another key")
		}
	})
}

func readAll(t *testing.T, base beifen.BlobStore, key string) []byte {
	rc, err := base.Open(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, _ := io.ReadAll(rc)
	return b
}

func rewrite(t *testing.T, base beifen.BlobStore, key string, fn func([]byte) []byte) {
	b := fn(readAll(t, base, key))
	if err := base.Put(context.Background(), key, bytes.NewReader(b), int64(len(b))); err != nil {
		t.Fatal(err)
	}
}

// TestRangeReadsOnlyWhatItNeeds reads a late range of a big blob and checks the answer.
func TestRange(t *testing.T) {
	ctx := context.Background()
	s := blobcrypt.Wrap(disk.NewStore(t.TempDir()), newKey())
	data := make([]byte, 1<<20+123)
	rand.Read(data)
	if err := s.Put(ctx, "a", bytes.NewReader(data), int64(len(data))); err != nil {
		t.Fatal(err)
	}
	for _, r := range [][2]int64{{0, 10}, {65530, 20}, {1 << 20, 123}, {500000, -1}, {len64(data), 0}} {
		rc, err := s.OpenRange(ctx, "a", r[0], r[1])
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		end := len64(data)
		if r[1] >= 0 {
			end = r[0] + r[1]
		}
		if err != nil || !bytes.Equal(got, data[r[0]:end]) {
			t.Fatalf("range %v: %d bytes, %v; want %d", r, len(got), err, end-r[0])
		}
	}
}

func len64(b []byte) int64 { return int64(len(b)) }
