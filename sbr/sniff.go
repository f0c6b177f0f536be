package sbr

import (
	"bytes"

	"github.com/beifen/beifen"
)

const sniffLen = 4 << 10

// Sniff looks at the first bytes of a file (up to 4 KiB; a byte order mark, white space, the
// XML declaration, processing instructions, comments and a DOCTYPE may come before the root) and
// returns beifen.FormatSBRMessages for a <smses> root, beifen.FormatSBRCalls for a <calls> root,
// or "" otherwise.
func Sniff(head []byte) beifen.ExportFormat {
	b := head[:min(len(head), sniffLen)]
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	for {
		b = bytes.TrimLeft(b, " \t\r\n")
		var ok bool
		switch {
		case bytes.HasPrefix(b, []byte("<?")):
			b, ok = after(b, "?>")
		case bytes.HasPrefix(b, []byte("<!--")):
			b, ok = after(b, "-->")
		case bytes.HasPrefix(b, []byte("<!")):
			b, ok = afterDeclaration(b)
		default:
			return rootFormat(b)
		}
		if !ok {
			return ""
		}
	}
}

// afterDeclaration returns what follows a <!...> declaration, minding an internal subset in
// brackets and quoted strings.
func afterDeclaration(b []byte) ([]byte, bool) {
	depth, quote := 0, byte(0)
	for i, c := range b {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '[':
			depth++
		case c == ']' && depth > 0:
			depth--
		case c == '>' && depth == 0:
			return b[i+1:], true
		}
	}
	return nil, false
}

// after returns what follows the first end in b.
func after(b []byte, end string) ([]byte, bool) {
	_, rest, ok := bytes.Cut(b, []byte(end))
	return rest, ok
}

// rootFormat tells the format from the root start tag at the start of b.
func rootFormat(b []byte) beifen.ExportFormat {
	for name, f := range map[string]beifen.ExportFormat{
		"<smses": beifen.FormatSBRMessages,
		"<calls": beifen.FormatSBRCalls,
	} {
		if rest, ok := bytes.CutPrefix(b, []byte(name)); ok && len(rest) > 0 && !isName[rest[0]] {
			return f
		}
	}
	return ""
}
