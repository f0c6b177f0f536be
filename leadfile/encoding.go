package leadfile

import (
	"bufio"
	"bytes"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// sampleLen is how much of a text file decides its encoding.
const sampleLen = 64 << 10

// decodeText returns a CSV file as UTF-8. A byte order mark decides (see decodeBOM);
// without one, text whose first sampleLen bytes are not valid UTF-8 is GB18030, which covers
// GBK and GB2312 (what Excel on Chinese Windows saves as "CSV"). A file that starts as UTF-8
// and later is not gets each bad field fixed by fixText.
func decodeText(br *bufio.Reader) io.Reader {
	if r, ok := decodeBOM(br); ok {
		return r
	}
	sample, _ := br.Peek(sampleLen)
	if !validPrefix(sample, len(sample) == sampleLen) {
		return transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder())
	}
	return br
}

// decodeBOM drops a UTF-8 byte order mark and decodes UTF-16 (LE or BE, by its mark). It
// reports whether br starts with a mark. Text without one is decided line by line (plain
// text, where a paste may mix UTF-8 and GBK lines) or by decodeText (CSV).
func decodeBOM(br *bufio.Reader) (io.Reader, bool) {
	head, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		_, _ = br.Discard(3)
		return br, true
	case bytes.HasPrefix(head, []byte("\xff\xfe")), bytes.HasPrefix(head, []byte("\xfe\xff")):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		return transform.NewReader(br, dec), true
	}
	return br, false
}

// validPrefix reports whether b is UTF-8, allowing a rune cut at the end when cut is set.
func validPrefix(b []byte, cut bool) bool {
	if cut {
		for i := 0; i < utf8.UTFMax-1 && len(b) > 0; i++ {
			if r, size := utf8.DecodeLastRune(b); r != utf8.RuneError || size > 1 {
				break
			}
			b = b[:len(b)-1]
		}
	}
	return utf8.Valid(b)
}

// fixText returns s as UTF-8, reading it as GB18030 when it is not valid UTF-8.
func fixText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	out, _, err := transform.String(simplifiedchinese.GB18030.NewDecoder(), s)
	if err != nil {
		return string(bytes.ToValidUTF8([]byte(s), []byte("\uFFFD")))
	}
	return out
}
