package vcard

import (
	"strings"
	"unicode"
)

// qpDecode decodes quoted-printable text whose soft line breaks are already joined.
// It is lenient as phones are: lower-case hex is accepted, and an "=" not followed by two
// hex digits stays as it is, except a trailing one (a soft break at the very end).
func qpDecode(b string) string {
	if strings.IndexByte(b, '=') < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '=' {
			out = append(out, c)
			continue
		}
		if i+2 < len(b) && isHex(b[i+1]) && isHex(b[i+2]) {
			out = append(out, unhex(b[i+1])<<4|unhex(b[i+2]))
			i += 2
		} else if i+1 < len(b) {
			out = append(out, c)
		}
	}
	return string(out)
}

// hexVal maps a hex digit to its value plus one; 0 means not a hex digit.
var hexVal = func() (t [256]byte) {
	for i, c := range "0123456789ABCDEF" {
		t[c] = byte(i) + 1
		t[unicode.ToLower(c)] = byte(i) + 1
	}
	return t
}()

func isHex(c byte) bool { return hexVal[c] != 0 }

func unhex(c byte) byte { return hexVal[c] - 1 }
