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
	var out strings.Builder
	out.Grow(len(b))
	for {
		i := strings.IndexByte(b, '=')
		if i < 0 {
			out.WriteString(b)
			return out.String()
		}
		out.WriteString(b[:i])
		b = b[i:]
		switch {
		case len(b) >= 3 && isHex(b[1]) && isHex(b[2]):
			out.WriteByte(unhex(b[1])<<4 | unhex(b[2]))
			b = b[3:]
		case len(b) >= 2:
			out.WriteByte('=')
			b = b[1:]
		default: // a soft line break at the very end
			b = b[1:]
		}
	}
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
