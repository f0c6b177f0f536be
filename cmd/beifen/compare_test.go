package main_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/sbr"
	"github.com/beifen/beifen/vcard"
)

// phoneData is what a folder holds, decoded: the yardstick for "restores exactly".
type phoneData struct {
	Contacts []string          // fingerprints
	Messages []string          // canonical JSON
	Calls    []string          // canonical JSON
	Files    map[string]string // path -> sha256
	Blobs    map[beifen.BlobKey][]byte
	Skipped  []*beifen.ParseError
}

// collector is an ExportSink that keeps everything in memory.
type collector struct{ d *phoneData }

func (c collector) Contact(x *beifen.Contact) error {
	c.d.Contacts = append(c.d.Contacts, string(x.Fingerprint()))
	return nil
}
func (c collector) Message(x *beifen.Message) error { return c.add(&c.d.Messages, x) }
func (c collector) Call(x *beifen.Call) error       { return c.add(&c.d.Calls, x) }
func (c collector) Skip(err *beifen.ParseError)     { c.d.Skipped = append(c.d.Skipped, err) }

func (c collector) add(list *[]string, x any) error {
	b, err := json.Marshal(x)
	*list = append(*list, string(b))
	return err
}

func (c collector) PutBlob(r io.Reader) (beifen.BlobRef, error) {
	b, err := io.ReadAll(r)
	sum := sha256.Sum256(b)
	key := beifen.BlobKey(hex.EncodeToString(sum[:]))
	c.d.Blobs[key] = b
	return beifen.BlobRef{Key: key, Size: int64(len(b))}, err
}

// readPhone decodes an export folder (or a restore folder: its files are under files/).
func readPhone(tb testing.TB, dir string, restored bool) *phoneData {
	tb.Helper()
	d := &phoneData{Files: map[string]string{}, Blobs: map[beifen.BlobKey][]byte{}}
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		if restored {
			if !strings.HasPrefix(rel, "files/") {
				return decodeExport(tb, d, rel, b)
			}
			rel = strings.TrimPrefix(rel, "files/")
		} else if vcard.Sniff(b) || sbr.Sniff(b) != "" {
			return decodeExport(tb, d, rel, b)
		}
		sum := sha256.Sum256(b)
		d.Files[rel] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	for _, l := range []*[]string{&d.Contacts, &d.Messages, &d.Calls} {
		slices.Sort(*l)
		*l = slices.Compact(*l) // a backup stores each item once
	}
	return d
}

func decodeExport(tb testing.TB, d *phoneData, name string, b []byte) error {
	if vcard.Sniff(b) {
		return vcard.Decode(bytes.NewReader(b), name, collector{d})
	}
	return sbr.Decode(bytes.NewReader(b), name, collector{d})
}

// wantSamePhone fails unless two decoded folders hold the same data.
func wantSamePhone(tb testing.TB, got, want *phoneData) {
	tb.Helper()
	for _, c := range []struct {
		name      string
		got, want []string
	}{{"contacts", got.Contacts, want.Contacts}, {"messages", got.Messages, want.Messages}, {"calls", got.Calls, want.Calls}} {
		if !slices.Equal(c.got, c.want) {
			tb.Errorf("%s: restored %d, want %d; first difference: %s", c.name, len(c.got), len(c.want), firstDiff(c.got, c.want))
		}
	}
	if len(got.Files) != len(want.Files) {
		tb.Errorf("files: restored %d, want %d", len(got.Files), len(want.Files))
	}
	for path, sum := range want.Files {
		if got.Files[path] != sum {
			tb.Errorf("file %s: restored hash %.12s, want %.12s", path, got.Files[path], sum)
		}
	}
	for key := range want.Blobs {
		if !bytes.Equal(got.Blobs[key], want.Blobs[key]) {
			tb.Errorf("attachment %.12s not restored byte for byte", key)
		}
	}
}

func firstDiff(a, b []string) string {
	for i := 0; i < min(len(a), len(b)); i++ {
		if a[i] != b[i] {
			return "got " + clip(a[i]) + " want " + clip(b[i])
		}
	}
	return "(one list is longer)"
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}

func mustUnmarshal(tb testing.TB, s string, v any) {
	tb.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		tb.Fatal(err)
	}
}
