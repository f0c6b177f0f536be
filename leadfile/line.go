package leadfile

import (
	"strings"
	"unicode"

	"github.com/beifen/beifen"
)

// ParseLine reads one line of free text (a text file, pasted text, a Word paragraph): every
// number phoneRE finds goes to Phones as written; of the words left, the first is Name and
// the others, joined by spaces, are Note. Labels (姓名:, 手机, Tel, 备注：) are dropped. A line with
// text but no number gives a row with no Phones, for the caller to report.
func ParseLine(line string) beifen.LeadRow {
	row := beifen.LeadRow{Raw: line}
	var words []string
	last := 0
	for _, s := range findPhones(line) {
		words = appendWords(words, line[last:s.start])
		row.Phones = append(row.Phones, line[s.start:s.end])
		last = s.end
	}
	words = appendWords(words, line[last:])
	if len(words) > 0 {
		row.Name, row.Note = words[0], strings.Join(words[1:], " ")
	}
	return row
}

// appendWords appends the words of s, split on spaces and separators, without the words
// that are header aliases: in a line they are labels.
func appendWords(words []string, s string) []string {
	for _, w := range strings.FieldsFunc(s, isWordSep) {
		if _, label := aliases[normHeader(w)]; !label {
			words = append(words, w)
		}
	}
	return words
}

// isWordSep reports the runes that separate words of a text line.
func isWordSep(r rune) bool {
	return unicode.IsSpace(r) || isCellSep(r) || strings.ContainsRune(":：()（）[]【】<>《》\"'“”‘’", r)
}

// blank reports whether a line holds nothing but spaces and separators.
func blank(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return !isWordSep(r) && r != '\ufeff' }) < 0
}
