package smsie_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beifen/beifen"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// memSink records what a reader delivers; blobs are kept by content hash.
type memSink struct {
	Contacts []*beifen.Contact
	Messages []*beifen.Message
	Calls    []*beifen.Call
	Skips    []*beifen.ParseError
	blobs    map[beifen.BlobKey][]byte
	fail     error // returned by Message, Call and Contact when set
}

func newSink() *memSink { return &memSink{blobs: map[beifen.BlobKey][]byte{}} }

func (s *memSink) Contact(c *beifen.Contact) error { s.Contacts = append(s.Contacts, c); return s.fail }
func (s *memSink) Message(m *beifen.Message) error { s.Messages = append(s.Messages, m); return s.fail }
func (s *memSink) Call(c *beifen.Call) error       { s.Calls = append(s.Calls, c); return s.fail }
func (s *memSink) Skip(err *beifen.ParseError)     { s.Skips = append(s.Skips, err) }

func (s *memSink) PutBlob(r io.Reader) (beifen.BlobRef, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return beifen.BlobRef{}, err
	}
	sum := sha256.Sum256(b)
	key := beifen.BlobKey(hex.EncodeToString(sum[:]))
	s.blobs[key] = b
	return beifen.BlobRef{Key: key, Size: int64(len(b))}, nil
}

// blob returns the bytes a part's Blob points at.
func (s *memSink) blob(tb testing.TB, p beifen.MessagePart) []byte {
	tb.Helper()
	if p.Blob == nil {
		tb.Fatalf("part %v has no Blob", p.Attrs)
	}
	b, ok := s.blobs[p.Blob.Key]
	if !ok {
		tb.Fatalf("blob %s was never stored", p.Blob.Key)
	}
	return b
}

// zipMember is one member of a test archive.
type zipMember struct {
	name string
	data []byte
}

// mustZip builds a zip the way sms-ie does (deflate, in order).
func mustZip(tb testing.TB, members ...zipMember) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	w.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestCompression)
	})
	for _, m := range members {
		f, err := w.Create(m.name)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := f.Write(m.data); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func mustRead(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// mustPNG returns a small real PNG, as a phone camera thumbnail would be.
func mustPNG(tb testing.TB) []byte {
	tb.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range 8 {
		img.Set(i, i, color.RGBA{R: 200, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// render writes what the sink received one item a line, attributes as name="value".
func render(s *memSink) []byte {
	var b strings.Builder
	attrs := func(a beifen.Attrs) {
		for _, at := range a {
			fmt.Fprintf(&b, " %s=%q", at.Name, at.Value)
		}
		b.WriteString("\n")
	}
	for _, m := range s.Messages {
		b.WriteString(string(m.Kind))
		attrs(m.Attrs)
		for _, a := range m.Addrs {
			b.WriteString("  addr")
			attrs(a)
		}
		for _, p := range m.Parts {
			b.WriteString("  part")
			if p.Blob != nil {
				fmt.Fprintf(&b, " blob=%.12s/%d", p.Blob.Key, p.Blob.Size)
			}
			attrs(p.Attrs)
		}
	}
	for _, c := range s.Calls {
		b.WriteString("call")
		attrs(c.Attrs)
	}
	for _, c := range s.Contacts {
		b.WriteString("contact\n")
		for _, p := range c.Props {
			b.WriteString("  " + p.Name)
			for _, pr := range p.Params {
				b.WriteString(";" + pr.Name + "=" + pr.Value)
			}
			b.WriteString(":" + p.Value + "\n")
		}
	}
	for _, sk := range s.Skips {
		b.WriteString("skip " + sk.Error() + "\n")
	}
	return []byte(b.String())
}

// checkGolden compares what the sink received with testdata/<name>; -update rewrites it.
func checkGolden(tb testing.TB, name string, s *memSink) {
	tb.Helper()
	got := render(s)
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("output differs from %s (run go test -update and review the diff):\n%s", path, got)
	}
}

// attr returns a named attribute, failing when it is absent.
func attr(tb testing.TB, a beifen.Attrs, name string) string {
	tb.Helper()
	v, ok := a.Get(name)
	if !ok {
		tb.Fatalf("attribute %q absent from %v", name, a)
	}
	return v
}

func names(a beifen.Attrs) []string {
	var ns []string
	for _, at := range a {
		ns = append(ns, at.Name)
	}
	return ns
}

func wantCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if got := beifen.ErrorCode(err); got != code {
		tb.Fatalf("ErrorCode(%v)=%q, want %q", err, got, code)
	}
}

var errSink = errors.New("sink full")
