package vcard_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/vcard"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the Writer's output")

func TestWriterGolden(t *testing.T) {
	for _, name := range fixtures {
		t.Run(name, func(t *testing.T) {
			_, res := mustReadFixture(t, name)
			got := writeAll(t, res.cards)
			golden := filepath.Join("testdata", strings.TrimSuffix(name, ".vcf")+".golden")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (run go test -update after checking):\n%s", golden, got)
			}
			checkWellFormed(t, got)
		})
	}
}

// checkWellFormed checks the Writer's promises on out: CRLF only, lines of at most 75
// octets, valid UTF-8 on every line, one VERSION:3.0 right after each BEGIN:VCARD.
func checkWellFormed(t *testing.T, out []byte) {
	t.Helper()
	if !bytes.HasSuffix(out, []byte("\r\n")) {
		t.Fatalf("output does not end in CRLF")
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\r\n"), "\r\n")
	for i, l := range lines {
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("line %d holds a bare CR or LF: %q", i+1, l)
		}
		if len(l) > 75 {
			t.Errorf("line %d is %d octets, want <= 75", i+1, len(l))
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a UTF-8 sequence: %q", i+1, l)
		}
		if l == "BEGIN:VCARD" && (i+1 >= len(lines) || lines[i+1] != "VERSION:3.0") {
			t.Errorf("line %d: BEGIN:VCARD not followed by VERSION:3.0", i+1)
		}
		isVersion := strings.HasPrefix(l, "VERSION:") || strings.HasPrefix(l, "VERSION;")
		if isVersion && (i == 0 || lines[i-1] != "BEGIN:VCARD") {
			t.Errorf("line %d: VERSION away from BEGIN:VCARD", i+1)
		}
	}
}

func TestWriterFold(t *testing.T) {
	tests := []struct {
		name  string
		value string
		want  string
	}{
		{"Short", "abc", "NOTE:abc\r\n"},
		{"Exactly75", strings.Repeat("a", 70), "NOTE:" + strings.Repeat("a", 70) + "\r\n"},
		{"ASCII", strings.Repeat("a", 71), "NOTE:" + strings.Repeat("a", 70) + "\r\n a\r\n"},
		// "NOTE:" + 23 three-byte runes is 74 octets; the 24th would end at 77, so it moves down.
		{"NoSplitRune", strings.Repeat("张", 24), "NOTE:" + strings.Repeat("张", 23) + "\r\n 张\r\n"},
		{"RawNewline", "a\r\nb\nc", `NOTE:a\nb\nc` + "\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &beifen.Contact{Props: []beifen.ContactProp{{Name: "NOTE", Value: tt.value}}}
			out := string(writeAll(t, []*beifen.Contact{c}))
			want := "BEGIN:VCARD\r\nVERSION:3.0\r\n" + tt.want + "END:VCARD\r\n"
			if out != want {
				t.Errorf("output=%q, want %q", out, want)
			}
		})
	}
}

func TestWriterParams(t *testing.T) {
	c := &beifen.Contact{Props: []beifen.ContactProp{
		{Name: "VERSION", Value: "2.1"},
		{Name: "VERSION", Value: "4.0"},
		{Group: "item1", Name: "tel", Params: []beifen.Param{{Name: "type", Value: "CELL,pref"}}, Value: "1"},
		{Name: "X-A", Params: []beifen.Param{{Name: "LABEL", Value: `a:b;"c"`}}, Value: "x"},
	}}
	got := string(writeAll(t, []*beifen.Contact{c}))
	want := "BEGIN:VCARD\r\nVERSION:3.0\r\nitem1.TEL;TYPE=CELL,pref:1\r\nX-A;LABEL=\"a:b;c\":x\r\nEND:VCARD\r\n"
	if got != want {
		t.Errorf("output=%q, want %q", got, want)
	}
}

func TestWriterRoundTrip(t *testing.T) {
	tests := []struct {
		name  string
		props []beifen.ContactProp
	}{
		// the second line of the photo's successor has no colon and looks like base64
		{"LongNameAfterPhoto", []beifen.ContactProp{
			{Name: "VERSION", Value: "3.0"},
			{Name: "PHOTO", Params: []beifen.Param{{Name: "ENCODING", Value: "b"}}, Value: "R0lGODlh"},
			{Name: "X" + strings.Repeat("A", 90), Value: "1"},
		}},
		{"LongParams", []beifen.ContactProp{
			{Name: "VERSION", Value: "3.0"},
			{Group: "item1", Name: "TEL", Params: []beifen.Param{{Name: "TYPE", Value: strings.Repeat("手机,", 40)}}, Value: "1"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readAll(t, writeAll(t, []*beifen.Contact{{Props: tt.props}}), "t.vcf")
			if len(res.cards) != 1 || len(res.cards[0].Props) != len(tt.props) {
				t.Fatalf("read back %d cards, want 1 with %d props", len(res.cards), len(tt.props))
			}
			for i, p := range res.cards[0].Props {
				if p.Name != tt.props[i].Name || p.Value != tt.props[i].Value {
					t.Errorf("prop %d=%s:%q, want %s:%q", i, p.Name, p.Value, tt.props[i].Name, tt.props[i].Value)
				}
			}
			checkRoundTrip(t, res.cards[0])
		})
	}
}

func TestWriterInvalid(t *testing.T) {
	tests := []struct {
		name string
		prop beifen.ContactProp
	}{
		{"Name", beifen.ContactProp{Name: "TEL:X", Value: "1"}},
		{"EmptyName", beifen.ContactProp{Value: "1"}},
		{"Group", beifen.ContactProp{Group: "a b", Name: "TEL", Value: "1"}},
		{"Param", beifen.ContactProp{Name: "TEL", Params: []beifen.Param{{Name: "TY PE", Value: "x"}}, Value: "1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			err := vcard.NewWriter(&b).Write(&beifen.Contact{Props: []beifen.ContactProp{tt.prop}})
			if code := beifen.ErrorCode(err); code != beifen.EINVALID {
				t.Errorf("code=%q (%v), want %q", code, err, beifen.EINVALID)
			}
			if b.Len() != 0 {
				t.Errorf("wrote %q, want nothing", b.String())
			}
		})
	}
}
