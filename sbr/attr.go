package sbr

import (
	"encoding/binary"
	"unicode/utf8"

	"github.com/beifen/beifen"
)

// Limits on what one element may hold in memory. A part's data attribute is streamed and is not
// limited.
const (
	maxValue    = 16 << 20 // bytes of one decoded attribute value
	maxElement  = 64 << 20 // bytes of all decoded values of one element
	maxAttrs    = 4096     // attributes of one element
	maxChildren = 10000    // parts, and addrs, of one MMS
)

// span is one attribute read into the decoder's scratch buffer: its value ends at end.
type span struct {
	name string
	end  int
}

// readAttrs reads the attributes of an elem start tag up to and including its closing ">" or
// "/>", and reports whether the tag closed itself. When part is non-nil, a data attribute is
// streamed to the sink and its reference stored in part.Blob instead of being kept.
func (d *decoder) readAttrs(elem string, part *beifen.MessagePart) (beifen.Attrs, bool, error) {
	expect := &d.expect[elemIndex(elem)]
	if cap(d.scratch) > 1<<20 {
		d.scratch = nil // do not keep a huge element's buffer for the rest of the file
	}
	d.scratch, d.spans = d.scratch[:0], d.spans[:0]
	for {
		end, selfClosing, err := d.tagEnd()
		if err != nil {
			return nil, false, err
		}
		if end {
			attrs := d.attrs()
			*expect = names(*expect, attrs)
			return attrs, selfClosing, nil
		}
		if err := d.readAttr(*expect, part); err != nil {
			return nil, false, err
		}
	}
}

// tagEnd skips white space and consumes ">" or "/>" if it comes next.
func (d *decoder) tagEnd() (end, selfClosing bool, err error) {
	s := d.s
	if err := s.skipSpace(); err != nil {
		return false, false, eof(err)
	}
	switch s.buf[s.pos] {
	case '>':
		s.pos++
		return true, false, nil
	case '/':
		if s.hasPrefix("/>") {
			s.pos += 2
			return true, true, nil
		}
		return false, false, syntax("bad attribute syntax")
	case '<':
		return false, false, syntax("unterminated tag")
	}
	return false, false, nil
}

// elemIndex numbers the elements whose attribute names readAttr predicts.
func elemIndex(elem string) int {
	switch elem {
	case "sms":
		return 0
	case "mms":
		return 1
	case "part":
		return 2
	case "addr":
		return 3
	}
	return 4
}

// names sets list to the names of attrs.
func names(list []string, attrs beifen.Attrs) []string {
	list = list[:0]
	for _, a := range attrs {
		list = append(list, a.Name)
	}
	return list
}

// readAttr reads one name="value" (or name='value') pair. Elements of one kind mostly repeat
// the attribute names of the one before, in the same order: expect holds those, and a name
// that matches costs one comparison.
func (d *decoder) readAttr(expect []string, part *beifen.MessagePart) error {
	name, err := d.readName(expect)
	if err != nil {
		return err
	}
	quote, err := d.readEq()
	if err != nil {
		return err
	}
	if part != nil && name == "data" {
		if part.Blob != nil {
			return syntax("part has two data attributes")
		}
		part.Blob, err = d.readBlob(quote)
		return err
	}
	if err := d.readValue(quote); err != nil {
		return err
	}
	d.spans = append(d.spans, span{name: name, end: len(d.scratch)})
	return nil
}

// readName reads an attribute name.
func (d *decoder) readName(expect []string) (string, error) {
	s := d.s
	if i := len(d.spans); i < len(expect) {
		name, avail := expect[i], s.avail()
		if len(avail) > len(name) && avail[len(name)] == '=' && string(avail[:len(name)]) == name {
			s.pos += len(name)
			return name, nil
		}
	}
	b, err := s.nameAt(0)
	if err != nil {
		return "", eof(err)
	}
	if len(b) == 0 {
		return "", syntax("bad attribute syntax")
	}
	if len(d.spans) == maxAttrs {
		return "", syntax("too many attributes")
	}
	s.pos += len(b)
	return d.intern(b), nil
}

// readEq consumes `= "` (white space allowed around "=") and returns the quote character.
func (d *decoder) readEq() (byte, error) {
	s := d.s
	if s.end-s.pos >= 2 && s.buf[s.pos] == '=' && (s.buf[s.pos+1] == '"' || s.buf[s.pos+1] == '\'') {
		s.pos += 2
		return s.buf[s.pos-1], nil // the common case: name="value"
	}
	if err := s.skipSpace(); err != nil {
		return 0, eof(err)
	}
	if s.buf[s.pos] != '=' {
		return 0, syntax("bad attribute syntax")
	}
	s.pos++
	if err := s.skipSpace(); err != nil {
		return 0, eof(err)
	}
	q := s.buf[s.pos]
	if q != '"' && q != '\'' {
		return 0, syntax("bad attribute syntax")
	}
	s.pos++
	return q, nil
}

// valueStop marks the bytes readValue cannot copy as they are.
var valueStop = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = c != '\t' && c != '\r'
	}
	t['"'], t['\''], t['&'], t['<'] = true, true, true, true
	return t
}()

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// plainPrefix returns a length, a multiple of 8, of the start of b that holds no byte
// valueStop marks, testing eight bytes at a time: no control character, quote, '&' or '<'.
// Tabs and CRs also end it; the byte loop after it takes them.
func plainPrefix(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		below := (x - 0x20*ones) &^ x
		if (below|zero(x^'"'*ones)|zero(x^'\''*ones)|zero(x^'&'*ones)|zero(x^'<'*ones))&highs != 0 {
			break
		}
	}
	return i
}

// zero has the high bit set in some byte if x has a zero byte.
func zero(x uint64) uint64 { return (x - ones) &^ x }

// readValue decodes an attribute value up to and including its closing quote into d.scratch.
// Raw tabs, CRs and newlines are kept (no XML attribute normalisation), so a "\r\n" in a body
// survives; raw control characters XML forbids become U+FFFD like their references.
func (d *decoder) readValue(quote byte) error {
	s := d.s
	start := len(d.scratch)
	for {
		avail := s.avail()
		i := plainPrefix(avail)
		for i < len(avail) && !valueStop[avail[i]] {
			i++
		}
		d.scratch = append(d.scratch, avail[:i]...)
		s.pos += i
		if len(d.scratch)-start > maxValue {
			return syntax("attribute value too large")
		}
		if len(d.scratch) > maxElement {
			return syntax("element too large")
		}
		if i == len(avail) {
			if err := s.fill(); err != nil {
				return eof(err)
			}
			continue
		}
		if done, err := d.valueByte(avail[i], quote); done || err != nil {
			return err
		}
	}
}

// valueByte handles one byte of a value that readValue stopped at, and reports whether it
// closed the value.
func (d *decoder) valueByte(c, quote byte) (bool, error) {
	s := d.s
	switch {
	case c == quote:
		s.pos++
		return true, nil
	case c == '&':
		d.readRef()
	case c == '<':
		return false, syntax("unterminated attribute value")
	case c == '"' || c == '\'':
		d.scratch = append(d.scratch, c)
		s.pos++
	case c == '\n':
		d.scratch = append(d.scratch, c)
		s.line++
		s.pos++
	default:
		d.scratch = utf8.AppendRune(d.scratch, utf8.RuneError)
		s.pos++
	}
	return false, nil
}

// readRef decodes the reference at pos into d.scratch, or copies a bare "&".
func (d *decoder) readRef() {
	s := d.s
	_ = s.ensure(2 * maxRef) // at the end of the input, what is there is enough
	r, n := decodeRef(s.avail())
	if n == 0 {
		d.scratch = append(d.scratch, '&')
		s.pos++
		return
	}
	d.scratch = utf8.AppendRune(d.scratch, r)
	s.pos += n
}

// attrs builds the attribute list from the scratch buffer with one string allocation.
func (d *decoder) attrs() beifen.Attrs {
	if len(d.spans) == 0 {
		return nil
	}
	all := string(d.scratch)
	attrs := make(beifen.Attrs, len(d.spans))
	start := 0
	for i, sp := range d.spans {
		attrs[i] = beifen.Attr{Name: sp.name, Value: all[start:sp.end]}
		start = sp.end
	}
	return attrs
}

// intern returns name as a string, sharing one copy of each of the (few) names a file uses. A
// small direct-mapped cache in front of the map makes the common case one comparison.
func (d *decoder) intern(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	h := (uint(len(b))*31 + uint(b[0])*7 + uint(b[len(b)-1])*3 + uint(b[len(b)/2])) % uint(len(d.cache))
	if c := d.cache[h]; c == string(b) {
		return c
	}
	s, ok := d.names[string(b)]
	if !ok {
		s = string(b)
		if len(d.names) < 4096 {
			d.names[s] = s
		}
	}
	d.cache[h] = s
	return s
}
