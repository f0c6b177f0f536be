package vcard

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/beifen/beifen"
)

// foldAt is the longest line the Writer writes, in octets, without its CRLF.
const foldAt = 75

// Writer writes cards as vCard 3.0: CRLF line ends, lines folded at 75 octets without
// splitting a UTF-8 sequence, and exactly one VERSION:3.0 line right after BEGIN:VCARD.
type Writer struct {
	w    io.Writer
	buf  []byte
	line []byte
}

// NewWriter returns a Writer to w. Each Write writes one whole card to w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: w}
}

// Write writes c. Values are written as they are (they are in 3.0 form already); a raw line
// break in a value is written as "\n". Returns EINVALID if a group, property or parameter
// name is not a vCard name.
func (w *Writer) Write(c *beifen.Contact) error {
	if c == nil {
		return beifen.Errorf(beifen.EINVALID, "Contact required.")
	}
	b := append(w.buf[:0], "BEGIN:VCARD\r\nVERSION:3.0\r\n"...)
	for i := range c.Props {
		p := &c.Props[i]
		if skipOnWrite(p) {
			continue
		}
		line, err := appendProp(w.line[:0], p)
		if err != nil {
			return err
		}
		b = appendFolded(b, line)
		w.line = line
	}
	b = append(b, "END:VCARD\r\n"...)
	w.buf = b
	if _, err := w.w.Write(b); err != nil {
		return fmt.Errorf("write vcard: %w", err)
	}
	return nil
}

// skipOnWrite reports the properties the Writer writes itself.
func skipOnWrite(p *beifen.ContactProp) bool {
	switch strings.ToUpper(p.Name) {
	case "VERSION":
		return true
	case "BEGIN", "END":
		return strings.EqualFold(strings.TrimSpace(p.Value), "VCARD")
	}
	return false
}

// appendProp appends one unfolded property line to b.
func appendProp(b []byte, p *beifen.ContactProp) ([]byte, error) {
	if p.Group != "" {
		if !isToken(p.Group) {
			return b, beifen.Errorf(beifen.EINVALID, "Invalid contact property group.")
		}
		b = append(append(b, p.Group...), '.')
	}
	if !isToken(p.Name) {
		return b, beifen.Errorf(beifen.EINVALID, "Invalid contact property name.")
	}
	b = append(b, upperASCII(p.Name)...)
	for _, pr := range p.Params {
		if !isToken(pr.Name) {
			return b, beifen.Errorf(beifen.EINVALID, "Invalid contact property parameter.")
		}
		b = append(append(append(b, ';'), upperASCII(pr.Name)...), '=')
		b = appendParamValue(b, pr.Value)
	}
	b = append(b, ':')
	return append(b, escapeNewlines(p.Value)...), nil
}

// appendParamValue writes a parameter value, quoted when it holds ";" or ":". Double quotes
// and line breaks cannot be written in 3.0: they are dropped, and the value trimmed.
func appendParamValue(b []byte, v string) []byte {
	v = cleanParamValue(v)
	if !strings.ContainsAny(v, ";:") {
		return append(b, v...)
	}
	return append(append(append(b, '"'), v...), '"')
}

// appendFolded appends line to b, folded at foldAt octets: each continuation line starts
// with one space and no UTF-8 sequence is split.
func appendFolded(b, line []byte) []byte {
	limit := foldAt
	for len(line) > limit {
		cut := limit
		for cut > limit-utf8.UTFMax && !utf8.RuneStart(line[cut]) {
			cut--
		}
		if !utf8.RuneStart(line[cut]) {
			cut = limit // not UTF-8 here anyway
		}
		b = append(append(b, line[:cut]...), "\r\n "...)
		line = line[cut:]
		limit = foldAt - 1
	}
	return append(append(b, line...), "\r\n"...)
}
