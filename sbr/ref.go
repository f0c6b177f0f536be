package sbr

import "unicode/utf8"

// maxRef is the longest reference parseRef accepts ("&#x" + 16 digits + ";"); two of them
// (a surrogate pair) must fit in the lookahead.
const (
	maxRefDigits = 16
	maxRef       = 3 + maxRefDigits + 1
)

// parseRef reads the entity or character reference at the start of b (b[0] is '&') and
// returns the character and the length of the reference, or n == 0 when b does not start with
// a well-formed reference (a bare "&" is then kept as text). Code points beyond Unicode come
// back as utf8.MaxRune+1.
func parseRef(b []byte) (r rune, n int) {
	if len(b) < 3 {
		return 0, 0
	}
	if b[1] != '#' {
		return parseNamed(b)
	}
	i, base := 2, rune(10)
	if b[2] == 'x' || b[2] == 'X' {
		i, base = 3, 16
	}
	start := i
	for ; i < len(b) && i-start <= maxRefDigits; i++ {
		d := digit(b[i], base)
		if d < 0 {
			break
		}
		r = min(r*base+d, utf8.MaxRune+1)
	}
	if i == start || i-start > maxRefDigits || i >= len(b) || b[i] != ';' {
		return 0, 0
	}
	return r, i + 1
}

var named = [...]struct {
	name string
	r    rune
}{{"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&apos;", '\''}}

func parseNamed(b []byte) (rune, int) {
	for _, e := range named {
		if len(b) >= len(e.name) && string(b[:len(e.name)]) == e.name {
			return e.r, len(e.name)
		}
	}
	return 0, 0
}

// digit returns the value of c in base 10 or 16, or -1.
func digit(c byte, base rune) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case base == 16 && c >= 'a' && c <= 'f':
		return rune(c-'a') + 10
	case base == 16 && c >= 'A' && c <= 'F':
		return rune(c-'A') + 10
	}
	return -1
}

// decodeRef reads the reference at the start of b the way SB&R files need it: a high and a low
// UTF-16 surrogate written as two references become one character (emoji), and a lone
// surrogate half or any other character XML 1.0 forbids (&#0;, C0 controls other than tab, LF
// and CR) becomes U+FFFD. n == 0 means b does not start with a reference.
func decodeRef(b []byte) (r rune, n int) {
	r, n = parseRef(b)
	if n == 0 {
		return 0, 0
	}
	if r >= 0xD800 && r <= 0xDBFF {
		if lo, m := parseRef(b[n:]); m > 0 && lo >= 0xDC00 && lo <= 0xDFFF {
			return 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00), n + m
		}
	}
	if !isXMLChar(r) {
		r = utf8.RuneError
	}
	return r, n
}

// isXMLChar reports whether XML 1.0 allows r in a document.
func isXMLChar(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r >= 0x20 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD:
		return true
	}
	return r >= 0x10000 && r <= utf8.MaxRune
}
