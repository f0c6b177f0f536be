package sbr_test

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/sbr"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := "testdata/" + name
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test -update and review the diff):\n%s", path, got)
	}
}

func TestWrite_Golden(t *testing.T) {
	msgs := mustDecodeFile(t, "sms.xml")
	checkGolden(t, "sms.golden.xml", writeMessages(t, msgs.messages, msgs))
	calls := mustDecodeFile(t, "calls.xml")
	checkGolden(t, "calls.golden.xml", writeCalls(t, calls.calls))
}

func TestWrite_RoundTrip(t *testing.T) {
	for _, name := range []string{"sms.xml", "calls.xml", "broken.xml", "truncated.xml"} {
		t.Run(name, func(t *testing.T) {
			first := mustDecodeFile(t, name)
			checkRoundTrip(t, first)
		})
	}
}

// checkRoundTrip writes what a decode found and decodes it again: the items, their attributes
// in order, parts, addrs and blob bytes must come back equal, and nothing may be skipped.
func checkRoundTrip(t *testing.T, first *testSink) {
	t.Helper()
	msgs := writeMessages(t, first.messages, first)
	second := mustDecode(t, bytes.NewReader(msgs), "messages.xml")
	calls := writeCalls(t, first.calls)
	third := mustDecode(t, bytes.NewReader(calls), "calls.xml")
	if len(second.skips)+len(third.skips) != 0 {
		t.Fatalf("skips=%v %v, want none", second.skips, third.skips)
	}
	if !sameMessages(first.messages, second.messages) {
		t.Fatalf("messages differ after a round trip:\n got %v\nwant %v", second.messages, first.messages)
	}
	if !sameCalls(first.calls, third.calls) {
		t.Fatalf("calls differ after a round trip:\n got %v\nwant %v", third.calls, first.calls)
	}
	for _, m := range second.messages {
		for _, p := range m.Parts {
			if p.Blob != nil && !bytes.Equal(second.blobs[p.Blob.Key], first.blobs[p.Blob.Key]) {
				t.Fatalf("blob %s differs after a round trip", p.Blob.Key)
			}
		}
	}
}

// sameMessages compares messages, treating nil and empty lists alike.
func sameMessages(a, b []*beifen.Message) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Kind != b[i].Kind || !sameAttrs(a[i].Attrs, b[i].Attrs) ||
			len(a[i].Parts) != len(b[i].Parts) || len(a[i].Addrs) != len(b[i].Addrs) {
			return false
		}
		for j, p := range a[i].Parts {
			q := b[i].Parts[j]
			if !sameAttrs(p.Attrs, q.Attrs) || !reflect.DeepEqual(p.Blob, q.Blob) {
				return false
			}
		}
		for j, ad := range a[i].Addrs {
			if !sameAttrs(ad, b[i].Addrs[j]) {
				return false
			}
		}
	}
	return true
}

func sameCalls(a, b []*beifen.Call) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !sameAttrs(a[i].Attrs, b[i].Attrs) {
			return false
		}
	}
	return true
}

func sameAttrs(a, b beifen.Attrs) bool {
	return len(a) == len(b) && (len(a) == 0 || reflect.DeepEqual(a, b))
}

func TestWrite_Escaping(t *testing.T) {
	m := &beifen.Message{Kind: beifen.MessageSMS, Attrs: kv(
		"body", "a&b<c>d\"e'f\ng\r\nh\ti\x01j\x00k 你好 😀",
		"subject", "null",
		"empty", "",
	)}
	got := string(writeMessages(t, []*beifen.Message{m}, newTestSink()))
	want := "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n" +
		"<smses count=\"1\">\n" +
		"  <sms body=\"a&amp;b&lt;c&gt;d&quot;e'f&#10;g&#13;&#10;h&#9;i&#1;j&#0;k 你好 😀\" subject=\"null\" empty=\"\" />\n" +
		"</smses>\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestWrite_DataLast(t *testing.T) {
	sink := newTestSink()
	ref, err := sink.PutBlob(strings.NewReader("ABCD"))
	if err != nil {
		t.Fatal(err)
	}
	m := &beifen.Message{Kind: beifen.MessageMMS, Attrs: kv("m_id", "x"),
		Parts: []beifen.MessagePart{{Attrs: kv("seq", "0", "ct", "image/png"), Blob: &ref}},
		Addrs: []beifen.Attrs{kv("address", "+15550000009", "type", "137", "charset", "106")},
	}
	got := string(writeMessages(t, []*beifen.Message{m}, sink))
	want := "  <mms m_id=\"x\">\n" +
		"    <parts>\n" +
		"      <part seq=\"0\" ct=\"image/png\" data=\"QUJDRA==\" />\n" +
		"    </parts>\n" +
		"    <addrs>\n" +
		"      <addr address=\"+15550000009\" type=\"137\" charset=\"106\" />\n" +
		"    </addrs>\n" +
		"  </mms>\n"
	if !strings.Contains(got, want) {
		t.Fatalf("got\n%s\nwant it to contain\n%s", got, want)
	}
}

func TestWrite_Errors(t *testing.T) {
	ref := &beifen.BlobRef{Key: "00"}
	tests := []struct {
		name string
		m    *beifen.Message
		open func(beifen.BlobKey) (io.ReadCloser, error)
	}{
		{"UnknownKind", &beifen.Message{Kind: "rcs"}, nil},
		{"EmptyName", &beifen.Message{Kind: "sms", Attrs: kv("", "x")}, nil},
		{"NameWithSpace", &beifen.Message{Kind: "sms", Attrs: kv("a b", "x")}, nil},
		{"NameWithQuote", &beifen.Message{Kind: "sms", Attrs: kv(`a"`, "x")}, nil},
		{"DataInAttrs", &beifen.Message{Kind: "mms",
			Parts: []beifen.MessagePart{{Attrs: kv("data", "QUJD")}}}, nil},
		{"BlobWithoutOpen", &beifen.Message{Kind: "mms", Parts: []beifen.MessagePart{{Blob: ref}}}, nil},
		{"BadAddrName", &beifen.Message{Kind: "mms", Addrs: []beifen.Attrs{kv("<", "x")}}, nil},
		{"OpenFails", &beifen.Message{Kind: "mms", Parts: []beifen.MessagePart{{Blob: ref}}},
			func(beifen.BlobKey) (io.ReadCloser, error) { return nil, errors.New("gone") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := sbr.NewMessageWriter(io.Discard, 1, tt.open)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Write(tt.m); err == nil {
				t.Fatal("Write succeeded, want an error")
			}
			if tt.open != nil { // the file is broken now
				if err := w.Write(&beifen.Message{Kind: beifen.MessageSMS}); err == nil {
					t.Fatal("Write after a failed write succeeded, want an error")
				}
			}
		})
	}
}

func TestWrite_Lifecycle(t *testing.T) {
	if _, err := sbr.NewCallWriter(io.Discard, -1); err == nil {
		t.Error("NewCallWriter(-1) succeeded, want an error")
	}
	w, err := sbr.NewCallWriter(io.Discard, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(&beifen.Call{}); err == nil {
		t.Error("Write after Close succeeded, want an error")
	}
	if err := w.Close(); err == nil {
		t.Error("second Close succeeded, want an error")
	}
}

func TestWrite_PropagatesWriterError(t *testing.T) {
	errDisk := errors.New("disk full")
	w, err := sbr.NewCallWriter(failWriter{errDisk}, 1)
	if err != nil {
		t.Fatal(err)
	}
	c := &beifen.Call{Attrs: kv("number", strings.Repeat("1", 100<<10))}
	if err := w.Write(c); !errors.Is(err, errDisk) {
		t.Fatalf("Write err=%v, want %v", err, errDisk)
	}
}

type failWriter struct{ err error }

func (f failWriter) Write([]byte) (int, error) { return 0, f.err }
