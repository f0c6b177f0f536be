package ui

import (
	"html/template"
	"strings"
)

// Markdown renders the little Markdown policy documents use (headings, bullet lists,
// paragraphs) as HTML. Every piece of text is escaped; nothing else is let through.
func Markdown(src string) template.HTML {
	var b strings.Builder
	inList := false
	var para []string
	flush := func() {
		if len(para) > 0 {
			b.WriteString("<p>" + template.HTMLEscapeString(strings.Join(para, " ")) + "</p>\n")
			para = nil
		}
	}
	closeList := func() {
		if inList {
			b.WriteString("</ul>\n")
			inList = false
		}
	}
	for _, line := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "":
			flush()
			closeList()
		case strings.HasPrefix(t, "#"):
			flush()
			closeList()
			level := min(len(t)-len(strings.TrimLeft(t, "#"))+1, 6)
			tag := "h" + string(rune('0'+level))
			b.WriteString("<" + tag + ">" + template.HTMLEscapeString(strings.TrimSpace(strings.TrimLeft(t, "#"))) + "</" + tag + ">\n")
		case strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* "):
			flush()
			if !inList {
				b.WriteString("<ul>\n")
				inList = true
			}
			b.WriteString("<li>" + template.HTMLEscapeString(strings.TrimSpace(t[2:])) + "</li>\n")
		case inList && (strings.HasPrefix(line, "  ") || strings.HasPrefix(line, "\t")):
			// a continuation line of the last item
			s := b.String()
			if i := strings.LastIndex(s, "</li>\n"); i >= 0 {
				b.Reset()
				b.WriteString(s[:i] + " " + template.HTMLEscapeString(t) + "</li>\n")
			}
		default:
			closeList()
			para = append(para, t)
		}
	}
	flush()
	closeList()
	return template.HTML(b.String())
}

// MaskPhone shows only the end of a number: +86 138****8000 becomes "…8000".
func MaskPhone(p string) string {
	d := []rune(p)
	if len(d) <= 4 {
		return "****"
	}
	return "****" + string(d[len(d)-4:])
}
