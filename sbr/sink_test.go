package sbr_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/sbr"
)

// testSink records what Decode delivers and keeps blobs in a map by their SHA-256.
type testSink struct {
	messages []*beifen.Message
	calls    []*beifen.Call
	skips    []*beifen.ParseError
	blobs    map[beifen.BlobKey][]byte
	err      error // returned by Message, Call and PutBlob when set
}

func newTestSink() *testSink { return &testSink{blobs: make(map[beifen.BlobKey][]byte)} }

func (s *testSink) Contact(c *beifen.Contact) error { return s.err }

func (s *testSink) Message(m *beifen.Message) error {
	s.messages = append(s.messages, m)
	return s.err
}

func (s *testSink) Call(c *beifen.Call) error {
	s.calls = append(s.calls, c)
	return s.err
}

func (s *testSink) PutBlob(r io.Reader) (beifen.BlobRef, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return beifen.BlobRef{}, err
	}
	if s.err != nil {
		return beifen.BlobRef{}, s.err
	}
	sum := sha256.Sum256(b)
	key := beifen.BlobKey(hex.EncodeToString(sum[:]))
	s.blobs[key] = b
	return beifen.BlobRef{Key: key, Size: int64(len(b))}, nil
}

func (s *testSink) Skip(err *beifen.ParseError) { s.skips = append(s.skips, err) }

// open serves the sink's blobs to a MessageWriter.
func (s *testSink) open(key beifen.BlobKey) (io.ReadCloser, error) {
	b, ok := s.blobs[key]
	if !ok {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "Blob not found.")
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

// mustDecode decodes r and fails the test if Decode returns an error.
func mustDecode(tb testing.TB, r io.Reader, name string) *testSink {
	tb.Helper()
	sink := newTestSink()
	if err := sbr.Decode(r, name, sink); err != nil {
		tb.Fatalf("Decode(%s): %v", name, err)
	}
	return sink
}

// mustDecodeFile decodes a fixture from testdata.
func mustDecodeFile(tb testing.TB, name string) *testSink {
	tb.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	return mustDecode(tb, f, name)
}

// decodeString decodes an in-memory document.
func decodeString(tb testing.TB, doc string) *testSink {
	tb.Helper()
	return mustDecode(tb, strings.NewReader(doc), "test.xml")
}

// writeMessages writes a <smses> file of the sink's messages, with blobs from blobs.
func writeMessages(tb testing.TB, msgs []*beifen.Message, blobs *testSink) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w, err := sbr.NewMessageWriter(&buf, len(msgs), blobs.open)
	if err != nil {
		tb.Fatal(err)
	}
	for _, m := range msgs {
		if err := w.Write(m); err != nil {
			tb.Fatalf("Write: %v", err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatalf("Close: %v", err)
	}
	return buf.Bytes()
}

// writeCalls writes a <calls> file.
func writeCalls(tb testing.TB, calls []*beifen.Call) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w, err := sbr.NewCallWriter(&buf, len(calls))
	if err != nil {
		tb.Fatal(err)
	}
	for _, c := range calls {
		if err := w.Write(c); err != nil {
			tb.Fatalf("Write: %v", err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatalf("Close: %v", err)
	}
	return buf.Bytes()
}

// names lists attribute names in order.
func names(attrs beifen.Attrs) []string {
	var n []string
	for _, a := range attrs {
		n = append(n, a.Name)
	}
	return n
}

// kv builds attributes from name, value pairs.
func kv(pairs ...string) beifen.Attrs {
	var a beifen.Attrs
	for i := 0; i+1 < len(pairs); i += 2 {
		a = append(a, beifen.Attr{Name: pairs[i], Value: pairs[i+1]})
	}
	return a
}
