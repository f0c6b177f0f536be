package vcard

import (
	"bytes"
	"errors"
	"io"
)

// logicalLine is one property line with its folds and soft line breaks joined.
type logicalLine struct {
	num     int     // line number of its first physical line
	tooLong bool    // longer than MaxLine
	hdr     *header // nil when the line has no "name:" part (a comment or junk line)
	value   []byte  // the raw value after the first unquoted colon; valid until the next call
}

// Line modes decide which following physical lines continue a property.
const (
	modeUnknown = iota // no colon seen yet: only RFC folding applies
	modePlain
	modeQP     // quoted-printable: a trailing "=" joins the next line as it is
	modeBase64 // base64: in a 2.1 card, bare base64 lines continue it until a blank line
)

// unfolder joins physical lines into logical lines.
type unfolder struct {
	lr  *lineReader
	v21 bool // the current card said VERSION:2.1

	acc  []byte
	last byte // last content byte, kept even when acc stops growing at MaxLine
	// header scan state, incremental so a long folded line is scanned once
	pos, colon int
	inQuote    bool
	mode       int
	hdr        header
	hdrOK      bool
}

// next returns the next logical line, or io.EOF.
func (u *unfolder) next() (logicalLine, error) {
	first, err := u.lr.next()
	if err != nil {
		return logicalLine{}, err
	}
	ll := logicalLine{num: first.num, tooLong: first.tooLong}
	u.reset()
	u.add(first.data, &ll)
	for {
		nx, err := u.lr.next()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return logicalLine{}, err
		}
		if !u.join(nx, &ll) {
			u.lr.unread()
			break
		}
	}
	u.finish(&ll)
	return ll, nil
}

func (u *unfolder) reset() {
	u.acc, u.last = u.acc[:0], 0
	u.pos, u.colon, u.inQuote, u.mode, u.hdrOK = 0, -1, false, modeUnknown, false
}

// join appends nx to the current line when it continues it, and reports whether it did.
func (u *unfolder) join(nx *physLine, ll *logicalLine) bool {
	d := nx.data
	switch {
	case u.mode == modeQP && u.last == '=' && !isCardDelim(d):
		u.last = 0
		if !ll.tooLong {
			u.acc = u.acc[:len(u.acc)-1] // the soft line break
			if n := len(u.acc); n > 0 {
				u.last = u.acc[n-1]
			}
		}
	case len(d) > 0 && (d[0] == ' ' || d[0] == '\t'):
		d = d[1:]
	case u.mode == modeBase64 && u.v21 && isBase64Line(d):
	default:
		return false
	}
	ll.tooLong = ll.tooLong || nx.tooLong
	u.add(d, ll)
	return true
}

// add appends d to the line unless that makes it longer than MaxLine, then scans the header.
func (u *unfolder) add(d []byte, ll *logicalLine) {
	if len(d) > 0 {
		u.last = d[len(d)-1]
	}
	if ll.tooLong || len(u.acc)+len(d) > MaxLine {
		ll.tooLong = true
		return
	}
	u.acc = append(u.acc, d...)
	if u.colon < 0 {
		u.scanHeader()
	}
}

// scanHeader looks for the first colon outside double quotes; once found, the header is
// parsed and decides the line mode.
func (u *unfolder) scanHeader() {
	for ; u.pos < len(u.acc); u.pos++ {
		switch u.acc[u.pos] {
		case '"':
			u.inQuote = !u.inQuote
		case ':':
			if !u.inQuote {
				u.setColon(u.pos)
				return
			}
		}
	}
}

func (u *unfolder) setColon(i int) {
	u.colon = i
	u.hdrOK = parseHeader(&u.hdr, u.acc[:i])
	u.mode = modePlain
	if !u.hdrOK {
		return
	}
	switch u.hdr.encoding() {
	case "QUOTED-PRINTABLE":
		u.mode = modeQP
	case "B", "BASE64":
		u.mode = modeBase64
	}
}

// finish fills in ll's header and value; a header with an unbalanced quote ends at the
// first colon.
func (u *unfolder) finish(ll *logicalLine) {
	if u.colon < 0 {
		i := bytes.IndexByte(u.acc, ':')
		if i < 0 {
			return
		}
		u.setColon(i)
	}
	if !u.hdrOK {
		return
	}
	ll.hdr = &u.hdr
	ll.value = u.acc[u.colon+1:]
}

// isCardDelim reports whether a line is BEGIN:VCARD or END:VCARD, which a soft line break
// never swallows.
func isCardDelim(d []byte) bool {
	d = bytes.TrimSpace(d)
	return bytes.EqualFold(d, []byte("BEGIN:VCARD")) || bytes.EqualFold(d, []byte("END:VCARD"))
}

// isBase64Line reports whether d holds only base64 and white space.
func isBase64Line(d []byte) bool {
	n := 0
	for _, c := range d {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/', c == '=':
			n++
		case c == ' ' || c == '\t':
		default:
			return false
		}
	}
	return n > 0
}
