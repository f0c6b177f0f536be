package vcard

import (
	"bytes"
	"slices"
	"unicode"
)

// appendQP appends quoted-printable text whose soft line breaks are already joined, decoded,
// to dst. It is lenient as phones are: lower-case hex is accepted, and an "=" not followed by
// two hex digits stays as it is, except a trailing one (a soft break at the very end).
func appendQP(dst, b []byte) []byte {
	if bytes.IndexByte(b, '=') < 0 {
		return append(dst, b...)
	}
	dst = slices.Grow(dst, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '=' {
			dst = append(dst, c)
			continue
		}
		if i+2 < len(b) && isHex(b[i+1]) && isHex(b[i+2]) {
			dst = append(dst, unhex(b[i+1])<<4|unhex(b[i+2]))
			i += 2
		} else if i+1 < len(b) {
			dst = append(dst, c)
		}
	}
	return dst
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
