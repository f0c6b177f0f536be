package genexport_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"io"
	"io/fs"
	"mime/quotedprintable"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/beifen/beifen/internal/genexport"
)

const tinyScale = 0.001

// MustGenerate writes a tiny export into a temporary directory.
func MustGenerate(tb testing.TB, seed uint64) (string, genexport.Stats) {
	tb.Helper()
	dir := tb.TempDir()
	st, err := genexport.Generate(dir, genexport.Options{Scale: tinyScale, Seed: seed})
	if err != nil {
		tb.Fatalf("Generate: %v", err)
	}
	return dir, st
}

// fileInfo is what the tests compare of a file.
type fileInfo struct {
	size int64
	sum  [32]byte
}

// readTree maps every file of dir (slash-separated relative path) to its size and hash.
func readTree(tb testing.TB, dir string) map[string]fileInfo {
	tb.Helper()
	tree := map[string]fileInfo{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		tree[filepath.ToSlash(rel)] = fileInfo{int64(len(b)), sha256.Sum256(b)}
		return nil
	})
	if err != nil {
		tb.Fatalf("walk: %v", err)
	}
	return tree
}

func mustRead(tb testing.TB, dir, pattern string) []byte {
	tb.Helper()
	matches, _ := filepath.Glob(filepath.Join(dir, pattern))
	if len(matches) != 1 {
		tb.Fatalf("files matching %s: %d, want 1", pattern, len(matches))
	}
	b, err := os.ReadFile(matches[0])
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestGenerate_Files(t *testing.T) {
	dir, _ := MustGenerate(t, 1)
	tree := readTree(t, dir)
	patterns := []struct{ name, re string }{
		{"android vcards", `^contacts\.vcf$`},
		{"iphone vcards", `^iphone\.vcf$`},
		{"messages", `^sms-\d{14}\.xml$`},
		{"calls", `^calls-\d{14}\.xml$`},
		{"miui recording", `^MIUI/sound_recorder/call_rec/通话录音@[^()]+\((00)?\d+\)_\d{14}\.mp3$`},
		{"huawei recording", `^Sounds/CallRecord/.+_\d{14}\.m4a$`},
		{"photo", `^DCIM/Camera/IMG_\d{8}_\d{6}\.jpg$`},
		{"video", `^DCIM/Camera/VID_\d{8}_\d{6}\.mp4$`},
		{"document", `^Download/[^/]+\.(pdf|docx|xlsx)$`},
	}
	for _, p := range patterns {
		t.Run(p.name, func(t *testing.T) {
			re := regexp.MustCompile(p.re)
			for rel := range tree {
				if re.MatchString(rel) {
					return
				}
			}
			t.Errorf("no file matches %s", p.re)
		})
	}
}

func TestGenerate_Stats(t *testing.T) {
	dir, st := MustGenerate(t, 1)
	vcards := bytes.Count(mustRead(t, dir, "contacts.vcf"), []byte("BEGIN:VCARD\r\n")) +
		bytes.Count(mustRead(t, dir, "iphone.vcf"), []byte("BEGIN:VCARD\r\n"))
	msgs := mustRead(t, dir, "sms-*.xml")
	calls := mustRead(t, dir, "calls-*.xml")
	tree := readTree(t, dir)
	var total int64
	for _, f := range tree {
		total += f.size
	}
	tests := []struct {
		name      string
		got, want int64
	}{
		{"Contacts", int64(st.Contacts), int64(vcards)},
		{"SMS", int64(st.SMS), int64(bytes.Count(msgs, []byte("<sms ")))},
		{"MMS", int64(st.MMS), int64(bytes.Count(msgs, []byte("<mms ")))},
		{"Calls", int64(st.Calls), int64(bytes.Count(calls, []byte("<call ")))},
		{"smses count", int64(rootCount(t, msgs)), int64(st.SMS + st.MMS)},
		{"calls count", int64(rootCount(t, calls)), int64(st.Calls)},
		{"Files", int64(st.Files), int64(len(tree))},
		{"Bytes", st.Bytes, total},
		// 0.1 % of 20,000 contacts (+ at least 3 iPhone cards), 200,000 SMS, 300 MMS, 50,000 calls.
		{"Contacts scaled", int64(st.Contacts), 23},
		{"SMS scaled", int64(st.SMS), 200},
		{"MMS scaled", int64(st.MMS), 1},
		{"Calls scaled", int64(st.Calls), 50},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s=%d, want %d", tt.name, tt.got, tt.want)
		}
	}
}

var countAttr = regexp.MustCompile(`<(?:smses|calls) count="(\d+)"`)

func rootCount(tb testing.TB, doc []byte) int {
	tb.Helper()
	m := countAttr.FindSubmatch(doc)
	if m == nil {
		tb.Fatal("no root count attribute")
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

func TestGenerate_EmptyAndDuplicate(t *testing.T) {
	dir, _ := MustGenerate(t, 1)
	tree := readTree(t, dir)
	empty, ok := tree[genexport.EmptyFile]
	if !ok || empty.size != 0 {
		t.Errorf("%s: present=%v size=%d, want an empty file", genexport.EmptyFile, ok, empty.size)
	}
	a, b := tree[genexport.DuplicatePair[0]], tree[genexport.DuplicatePair[1]]
	if a.size == 0 || a != b {
		t.Errorf("duplicate pair: %d bytes %x and %d bytes %x, want equal non-empty files", a.size, a.sum, b.size, b.sum)
	}
}

func TestGenerate_Deterministic(t *testing.T) {
	dir1, st1 := MustGenerate(t, 7)
	dir2, st2 := MustGenerate(t, 7)
	if st1 != st2 {
		t.Errorf("Stats=%+v, want %+v", st2, st1)
	}
	tree1, tree2 := readTree(t, dir1), readTree(t, dir2)
	for rel, f := range tree1 {
		if tree2[rel] != f {
			t.Errorf("%s differs between two runs with the same seed", rel)
		}
	}
	dir3, _ := MustGenerate(t, 8)
	if bytes.Equal(mustRead(t, dir1, "sms-*.xml"), mustRead(t, dir3, "sms-*.xml")) {
		t.Error("seeds 7 and 8 wrote the same messages")
	}
}

func TestGenerate_BadScale(t *testing.T) {
	for _, scale := range []float64{0, -1} {
		if _, err := genexport.Generate(t.TempDir(), genexport.Options{Scale: scale}); err == nil {
			t.Errorf("Generate(scale %v): no error", scale)
		}
	}
}

func TestGenerate_XMLQuirks(t *testing.T) {
	dir, _ := MustGenerate(t, 1)
	msgs := string(mustRead(t, dir, "sms-*.xml"))
	calls := string(mustRead(t, dir, "calls-*.xml"))
	for _, want := range []string{
		`subject="null"`, `toa="null"`, `readable_date="`, `contact_name="(Unknown)"`, "&#10;", "&#0;",
		`<part seq="-1" ct="application/smil"`, `ct="text/plain"`, `type="137"`, `type="151"`, `type="130"`,
	} {
		if !strings.Contains(msgs, want) {
			t.Errorf("messages lack %q", want)
		}
	}
	if !regexp.MustCompile(`&#5[56]\d{3};&#5[67]\d{3};`).MatchString(msgs) {
		t.Error("messages lack an emoji written as surrogate references")
	}
	if !regexp.MustCompile(`<mms [^>]*address="[^"~]+~[^"]+"`).MatchString(msgs) {
		t.Error("messages lack a group MMS with a ~-joined address")
	}
	for typ := 1; typ <= 6; typ++ {
		if !strings.Contains(calls, ` type="`+strconv.Itoa(typ)+`" `) {
			t.Errorf("calls lack type %d", typ)
		}
	}
	for p := 1; p <= 4; p++ {
		if !strings.Contains(calls, ` presentation="`+strconv.Itoa(p)+`" `) {
			t.Errorf("calls lack presentation %d", p)
		}
	}
}

// sbrRef matches one character reference, or two in a row (a surrogate pair).
var sbrRef = regexp.MustCompile(`&#(\d+);(?:&#(\d+);)?`)

// fixRefs rewrites surrogate pairs into the character they encode and other references XML 1.0
// forbids into U+FFFD, as a reader of SB&R files must do before encoding/xml.
func fixRefs(doc []byte) []byte {
	return sbrRef.ReplaceAllFunc(doc, func(m []byte) []byte {
		sub := sbrRef.FindSubmatch(m)
		hi, _ := strconv.Atoi(string(sub[1]))
		if sub[2] != nil {
			lo, _ := strconv.Atoi(string(sub[2]))
			if r := utf16.DecodeRune(rune(hi), rune(lo)); r != '\uFFFD' {
				return []byte(string(r))
			}
			return append(fixOne(hi), fixOne(lo)...)
		}
		return fixOne(hi)
	})
}

func fixOne(n int) []byte {
	if (n < 0x20 && n != '\t' && n != '\n' && n != '\r') || (n >= 0xD800 && n <= 0xDFFF) {
		return []byte("\uFFFD")
	}
	return []byte("&#" + strconv.Itoa(n) + ";")
}

type sbrDoc struct {
	SMS []struct {
		Body string `xml:"body,attr"`
	} `xml:"sms"`
	MMS []struct {
		Parts []struct {
			CT   string `xml:"ct,attr"`
			Data string `xml:"data,attr"`
		} `xml:"parts>part"`
		Addrs []struct {
			Type int `xml:"type,attr"`
		} `xml:"addrs>addr"`
	} `xml:"mms"`
	Calls []struct {
		Type int `xml:"type,attr"`
	} `xml:"call"`
}

func decodeSBR(tb testing.TB, doc []byte) sbrDoc {
	tb.Helper()
	var d sbrDoc
	if err := xml.Unmarshal(fixRefs(doc), &d); err != nil {
		tb.Fatalf("decode: %v", err)
	}
	return d
}

func TestGenerate_XMLWellFormed(t *testing.T) {
	dir, st := MustGenerate(t, 1)
	msgs := decodeSBR(t, mustRead(t, dir, "sms-*.xml"))
	calls := decodeSBR(t, mustRead(t, dir, "calls-*.xml"))
	if len(msgs.SMS) != st.SMS || len(msgs.MMS) != st.MMS || len(calls.Calls) != st.Calls {
		t.Fatalf("decoded %d SMS, %d MMS, %d calls, want %d, %d, %d",
			len(msgs.SMS), len(msgs.MMS), len(calls.Calls), st.SMS, st.MMS, st.Calls)
	}
	if !hasEmoji(msgs) {
		t.Error("no SMS body holds a character outside the BMP after fixing surrogate references")
	}
	magic := map[string]string{"image/jpeg": "\xff\xd8\xff", "image/png": "\x89PNG\r\n\x1a\n"}
	for _, m := range msgs.MMS {
		for _, p := range m.Parts {
			want, media := magic[p.CT]
			if !media {
				continue
			}
			b, err := base64.StdEncoding.DecodeString(p.Data)
			if err != nil || len(b) < 20<<10 || !bytes.HasPrefix(b, []byte(want)) {
				t.Errorf("%s part: %d bytes, err %v, want 20 KB or more starting %q", p.CT, len(b), err, want)
			}
		}
	}
}

func hasEmoji(d sbrDoc) bool {
	for _, s := range d.SMS {
		for _, r := range s.Body {
			if r > 0xFFFF {
				return true
			}
		}
	}
	return false
}

func TestGenerate_AndroidVCard(t *testing.T) {
	dir, _ := MustGenerate(t, 1)
	vcf := string(mustRead(t, dir, "contacts.vcf"))
	if strings.Contains(strings.ReplaceAll(vcf, "\r\n", ""), "\n") {
		t.Error("contacts.vcf has a line not ended by CRLF")
	}
	for _, want := range []string{
		"VERSION:2.1\r\n", "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=", "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=",
		"TEL;CELL:", "TEL;WORK:", "EMAIL;", "ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:", "=0D=0A",
		"X-ANDROID-CUSTOM;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:vnd.android.cursor.item/nickname;",
		"=\r\n=", // a QP soft line break, the next line without a leading space
		"PHOTO;ENCODING=BASE64;JPEG:",
	} {
		if !strings.Contains(vcf, want) {
			t.Errorf("contacts.vcf lacks %q", want)
		}
	}
	name := regexp.MustCompile(`\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:(.*)\r\n`).FindStringSubmatch(vcf)
	fn, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(name[1])))
	if err != nil || !regexp.MustCompile(`^\p{Han}{2,5}$`).Match(fn) {
		t.Errorf("FN decodes to %q (err %v), want a Chinese name", fn, err)
	}
	checkPhoto(t, vcf, `PHOTO;ENCODING=BASE64;JPEG:((?:.*\r\n)+?)\r\n`)
}

// checkPhoto finds the first photo with re, whose group 1 is the folded base64, and checks that
// it is a JPEG with a JFIF header.
func checkPhoto(tb testing.TB, vcf, re string) {
	tb.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(vcf)
	if m == nil {
		tb.Fatal("no photo")
	}
	folded := strings.ReplaceAll(strings.TrimSuffix(m[1], "\r\n"), "\r\n ", "")
	b, err := base64.StdEncoding.DecodeString(folded)
	if err != nil || !bytes.HasPrefix(b, []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")) || !bytes.HasSuffix(b, []byte{0xff, 0xd9}) {
		tb.Errorf("photo: %d bytes (err %v), want a JFIF JPEG", len(b), err)
	}
}

func TestGenerate_IPhoneVCard(t *testing.T) {
	dir, _ := MustGenerate(t, 1)
	vcf := string(mustRead(t, dir, "iphone.vcf"))
	for _, want := range []string{
		"VERSION:3.0\r\n", "PRODID:-//Apple Inc.//", "item1.", "X-ABLabel:_$!<", "TEL;type=CELL;type=VOICE;type=pref:",
	} {
		if !strings.Contains(vcf, want) {
			t.Errorf("iphone.vcf lacks %q", want)
		}
	}
	for i, line := range strings.Split(vcf, "\r\n") {
		if len(line) > 75 {
			t.Fatalf("iphone.vcf line %d: %d octets, want at most 75", i+1, len(line))
		}
	}
	checkPhoto(t, vcf, `PHOTO;ENCODING=b;TYPE=JPEG:((?:.*\r\n)(?: .*\r\n)*)`)
}
