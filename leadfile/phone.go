package leadfile

import (
	"regexp"
	"strings"
	"unicode"
)

// phoneRE finds phone numbers in text, in order of preference at one position: mainland
// mobiles with an optional +86/0086/86 prefix, landlines with an area code, then any +country
// number (at most 15 digits, E.164's limit). Spaces and dashes may sit inside a mobile
// number or a +country number.
var phoneRE = regexp.MustCompile(
	`(?:(?:\+|00)?86)?[ -]?1[3-9]\d(?:[ -]?\d){8}` +
		`|0\d{2,3}-?\d{7,8}` +
		`|\+[1-9](?:[ -]?\d){6,14}`)

// span is the byte range of a number found in a string.
type span struct{ start, end int }

// findPhones returns the numbers phoneRE finds in s, dropping those that are part of a longer
// run of digits (an order number, an ID card number).
func findPhones(s string) []span {
	var out []span
	for _, m := range phoneRE.FindAllStringIndex(s, -1) {
		start, end := m[0], m[1]
		for start < end && (s[start] == ' ' || s[start] == '-') {
			start++
		}
		if start > 0 && isDigit(s[start-1]) || end < len(s) && isDigit(s[end]) {
			continue
		}
		out = append(out, span{start, end})
	}
	return out
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// isCellSep reports the separators of several numbers in one cell that cannot be part of a
// number. A space can (138 0013 8000), so spaces are left to findPhones.
func isCellSep(r rune) bool {
	switch r {
	case ',', '，', ';', '；', '/', '、', '\n', '\r', '\t', '|':
		return true
	}
	return false
}

// SplitPhones returns the numbers in a phone cell, as written. Numbers may be separated by
// any of , ， ; ； / 、 | a newline, or a space; spaces and dashes inside a number stay.
// Text that holds no number the pattern knows (a 7-digit local number, "无", "暂无") comes
// back whole, so that the caller can report it as invalid.
func SplitPhones(cell string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(cell, isCellSep) {
		out = append(out, splitPart(strings.TrimSpace(part))...)
	}
	return out
}

// splitPart splits one separator-free part of a cell on the numbers in it.
func splitPart(p string) []string {
	if p == "" {
		return nil
	}
	if allDigits(p) {
		// A run of digits is one number whatever findPhones says: a match would have to
		// span it all, and without one the part comes back whole. Spreadsheets are mostly
		// such cells, so skip the regexp.
		return []string{p}
	}
	spans := findPhones(p)
	if len(spans) == 0 {
		return []string{p}
	}
	var out []string
	last := 0
	for _, s := range spans {
		out = append(out, digitWords(p[last:s.start])...)
		out = append(out, p[s.start:s.end])
		last = s.end
	}
	return append(out, digitWords(p[last:])...)
}

// digitWords returns the space-separated words of s that hold a digit: beside a known
// number, they are numbers the pattern does not know, and other words are labels.
func digitWords(s string) []string {
	var out []string
	for _, w := range strings.Fields(s) {
		if strings.IndexFunc(w, unicode.IsDigit) >= 0 {
			out = append(out, w)
		}
	}
	return out
}

// looksLikePhone reports whether a cell of a table without a header holds phone numbers:
// seven digits or more, and nothing but digits, separators and + - ( ) . signs. Dates
// (2024-01-05) are not numbers.
func looksLikePhone(cell string) bool {
	digits := 0
	for _, r := range cell {
		switch {
		case '0' <= r && r <= '9':
			digits++
		case unicode.IsSpace(r), isCellSep(r), strings.ContainsRune("+-().", r):
		default:
			return false
		}
	}
	return digits >= 7 && !dateRE.MatchString(cell)
}

var dateRE = regexp.MustCompile(`^\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}`)
