package genexport

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// xmlw writes SMS Backup & Restore XML. Write errors stay in the bufio.Writer until Flush.
type xmlw struct{ *bufio.Writer }

// attr writes ` name="value"` with value escaped as SB&R does it.
func (w xmlw) attr(name, value string) {
	w.WriteByte(' ')
	w.WriteString(name)
	w.WriteString(`="`)
	escapeAttr(w.Writer, value)
	w.WriteByte('"')
}

func (w xmlw) attrInt(name string, v int64) {
	var buf [20]byte
	w.WriteByte(' ')
	w.WriteString(name)
	w.WriteString(`="`)
	w.Write(strconv.AppendInt(buf[:0], v, 10))
	w.WriteByte('"')
}

// escapeAttr escapes an attribute value like SB&R with "store emoji" on: markup characters as
// entities, newlines and other control characters as character references (&#10;, even the
// invalid &#0;), and characters outside the BMP as two UTF-16 surrogate references
// (&#55357;&#56832; for U+1F600), which XML 1.0 forbids but real exports contain.
func escapeAttr(w *bufio.Writer, s string) {
	last := 0
	for i, c := range s {
		var esc string
		switch c {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&quot;"
		case '\'':
			esc = "&apos;"
		default:
			if c >= 0x20 && c <= 0xFFFF {
				continue
			}
		}
		w.WriteString(s[last:i])
		last = i + utf8.RuneLen(c)
		if esc != "" {
			w.WriteString(esc)
			continue
		}
		writeCharRef(w, c)
	}
	w.WriteString(s[last:])
}

func writeCharRef(w *bufio.Writer, c rune) {
	if c <= 0xFFFF {
		fmt.Fprintf(w, "&#%d;", c)
		return
	}
	hi, lo := utf16.EncodeRune(c)
	fmt.Fprintf(w, "&#%d;&#%d;", hi, lo)
}

// writeHeader writes the XML declaration, the stylesheet line and the root start tag. count comes
// first among the root's attributes so that Mutate can find and rewrite it.
func writeHeader(w xmlw, r *rand.Rand, root, xsl string, count int) {
	w.WriteString("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n")
	w.WriteString(`<?xml-stylesheet type="text/xsl" href="` + xsl + `"?>` + "\n")
	w.WriteString("<" + root)
	w.attrInt("count", int64(count))
	w.attr("backup_set", uuid(r))
	w.attrInt("backup_date", exportTime.UnixMilli())
	w.attr("type", "full")
	w.WriteString(">\n")
}

func uuid(r *rand.Rand) string {
	a, b := r.Uint64(), r.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x",
		a>>32, a>>16&0xffff, a&0xfff, 0x8000|b>>48&0x3fff, b&0xffffffffffff)
}

// readableDate is SB&R's display date on a phone set to Simplified Chinese.
func readableDate(t time.Time) string {
	t = t.In(cst)
	ampm, h := "上午", t.Hour()
	if h >= 12 {
		ampm = "下午"
	}
	if h = h % 12; h == 0 {
		h = 12
	}
	return fmt.Sprintf("%d年%d月%d日 %s%d:%02d:%02d", t.Year(), t.Month(), t.Day(), ampm, h, t.Minute(), t.Second())
}

// timeline returns n sorted times between from and to.
func timeline(r *rand.Rand, n int, from, to time.Time) []time.Time {
	span := to.Sub(from)
	out := make([]time.Time, n)
	for i := range out {
		out[i] = from.Add(time.Duration(r.Int64N(int64(span)))).Truncate(time.Millisecond)
	}
	slices.SortFunc(out, time.Time.Compare)
	return out
}
