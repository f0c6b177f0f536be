package vcard

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// toUTF8 decodes b from the CHARSET a property declares. Bytes that are not what they claim
// to be are guessed: valid UTF-8 is kept, anything else is tried as GB18030, then Big5.
// The result is always valid UTF-8.
func toUTF8(b string, charset string) string {
	label := strings.TrimSpace(charset)
	if label != "UTF-8" { // what nearly every card says, spared a lower-cased copy
		label = strings.ToLower(label)
	}
	switch label {
	case "UTF-8", "", "utf-8", "utf8", "us-ascii", "ascii":
		return guess(b)
	case "utf-7":
		if s, ok := decodeUTF7(b); ok {
			return s
		}
		return guess(b)
	}
	enc := lookupCharset(label)
	if enc == nil || isASCII(b) || looksUTF8(b) {
		return guess(b)
	}
	if s, ok := decodeWith(enc, b); ok || !utf8.ValidString(b) {
		return s
	}
	return b // UTF-8 under a wrong label
}

// looksUTF8 reports whether b is valid UTF-8 made of ASCII and characters of three or more
// bytes (CJK): text in a legacy charset almost never is, so such bytes under a GBK or Big5
// label are UTF-8 mislabelled by a PC suite. Two-byte sequences prove nothing: GBK's 张
// (D5 C5) is also valid UTF-8.
func looksUTF8(b string) bool {
	if !utf8.ValidString(b) {
		return false
	}
	for len(b) > 0 {
		_, n := utf8.DecodeRuneInString(b)
		if n == 2 {
			return false
		}
		b = b[n:]
	}
	return true
}

// lookupCharset returns the decoder for a CHARSET label, or nil. The GB family all decode
// as GB18030, their superset.
func lookupCharset(label string) encoding.Encoding {
	switch label {
	case "gb2312", "gbk", "x-gbk", "cp936", "gb18030", "euc-cn":
		return simplifiedchinese.GB18030
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil
	}
	return enc
}

// guess keeps valid UTF-8 and otherwise picks GB18030 or Big5, whichever decodes cleanly.
func guess(b string) string {
	if utf8.ValidString(b) {
		return b
	}
	gb, ok := decodeWith(simplifiedchinese.GB18030, b)
	if ok {
		return gb
	}
	if big5, ok := decodeWith(traditionalchinese.Big5, b); ok {
		return big5
	}
	return gb
}

// decodeWith decodes b and reports whether every byte was valid in enc.
func decodeWith(enc encoding.Encoding, b string) (string, bool) {
	out, err := enc.NewDecoder().String(b)
	if err != nil {
		return strings.ToValidUTF8(b, "\uFFFD"), false
	}
	ok := strings.Count(out, "\uFFFD") == strings.Count(b, "\uFFFD")
	return strings.ToValidUTF8(out, "\uFFFD"), ok
}

func isASCII(b string) bool {
	for i := 0; i < len(b); i++ {
		if b[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// decodeUTF7 decodes RFC 2152 UTF-7, which old Sony Ericsson phones used for Chinese names
// ("+n5pe+lb9-"). It fails on bytes outside ASCII.
func decodeUTF7(b string) (string, bool) {
	var sb strings.Builder
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c >= utf8.RuneSelf:
			return "", false
		case c != '+':
			sb.WriteByte(c)
			i++
		case i+1 < len(b) && b[i+1] == '-':
			sb.WriteByte('+')
			i += 2
		default:
			i = decodeUTF7Run(b, i+1, &sb)
		}
	}
	return sb.String(), true
}

// decodeUTF7Run decodes the modified base64 run starting at b[i] and returns the index after it.
func decodeUTF7Run(b string, i int, sb *strings.Builder) int {
	var units []uint16
	var bits uint32
	n := 0
	for ; i < len(b); i++ {
		v := strings.IndexByte(b64Alphabet, b[i])
		if v < 0 {
			break
		}
		bits, n = bits<<6|uint32(v), n+6
		if n >= 16 {
			n -= 16
			units = append(units, uint16(bits>>n))
			bits &= 1<<n - 1
		}
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	sb.WriteString(string(utf16.Decode(units)))
	return i
}

const b64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
