package beifen

import (
	"strconv"
	"strings"
)

// identity joins fields into an unambiguous byte string: each field is length-prefixed, so
// ("ab","c") and ("a","bc") differ. Callers hash it under an account key; it never leaves the
// process in the clear.
func identity(fields ...string) []byte {
	n := 0
	for _, f := range fields {
		n += len(f) + 6 // length digits (short fields) and ':'
	}
	b := make([]byte, 0, n) // one allocation: grown by appends, a message body cost three or four
	for _, f := range fields {
		b = strconv.AppendInt(b, int64(len(f)), 10)
		b = append(b, ':')
		b = append(b, f...)
	}
	return b
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// EpochMillis parses a time written as epoch milliseconds or seconds (values below 1e11 are
// seconds, as MMS date_sent and SMS Import/Export's MMS date are) and returns milliseconds.
// It returns 0 for anything else.
func EpochMillis(s string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	if n < 1e11 {
		return n * 1000
	}
	return n
}

// NormalizeAddress reduces a number as phones store it to a stable form for matching: spaces,
// dashes, dots and parentheses go, a leading 00 becomes +, and +86 numbers lose the country
// code so that "+86 138-0013-8000" and "13800138000" match. Short codes and sender names stay
// as they are (trimmed). A group address ("a~b") is normalised part by part.
func NormalizeAddress(s string) string {
	if strings.Contains(s, "~") {
		parts := strings.Split(s, "~")
		for i, p := range parts {
			parts[i] = NormalizeAddress(p)
		}
		return strings.Join(parts, "~")
	}
	s = strings.TrimSpace(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r == '+' && b.Len() == 0, r == '*', r == '#':
			b.WriteRune(r)
		case r == ' ', r == '-', r == '.', r == '(', r == ')', r == '\u00a0':
		default:
			return s // a sender name or an e-mail: keep as is
		}
	}
	n := b.String()
	if strings.HasPrefix(n, "00") {
		n = "+" + n[2:]
	}
	if strings.HasPrefix(n, "+86") && len(n) > 3 {
		n = n[3:]
	}
	return n
}
