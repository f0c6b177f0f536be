package vcard

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/beifen/beifen"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// maxDepth is how deeply cards may nest (2.1 AGENT cards, broken exports) before the
// innermost BEGIN is ignored.
const maxDepth = 8

// Reader reads cards one at a time from a vCard file. It holds at most one card (with the
// cards nested in it) in memory.
type Reader struct {
	src   io.Reader
	name  string
	u     *unfolder
	stack []*card
	extra int   // BEGIN lines past maxDepth, whose END lines must not close a card
	size  int   // bytes held by the cards on the stack
	spare *card // the last card built, whose buffers the next one reuses
	err   error
}

// card is one card being read: its raw properties until END:VCARD.
type card struct {
	line    int
	props   []rawProp
	values  []byte         // the values of props, one after another, quoted-printable decoded
	params  []beifen.Param // the parameters of props, see keepParams
	size    int
	bad     string // why the card cannot be read, once known
	version bool   // a VERSION was seen; the first one decides v21
	v21     bool
}

// rawProp is one property as it stands in the file, before decoding (but for quoted-printable).
// Its value ends at end in the card's values.
type rawProp struct {
	hdr header
	end int
}

// NewReader returns a Reader of r; name is the file name that errors report.
func NewReader(r io.Reader, name string) *Reader {
	return &Reader{src: r, name: name}
}

// Read returns the next card, io.EOF at the end, or a *beifen.ParseError naming the file and
// the line where a bad card starts; after a ParseError, Read goes on with the next card.
// Any other error comes from the underlying reader and ends reading.
func (r *Reader) Read() (*beifen.Contact, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.u == nil {
		r.u = &unfolder{lr: newLineReader(decodeBOM(r.src))}
	}
	for {
		ll, err := r.u.next()
		if errors.Is(err, io.EOF) {
			return r.atEOF()
		} else if err != nil {
			r.err = fmt.Errorf("read vcard %s: %w", r.name, err)
			return nil, r.err
		}
		if c, err := r.handle(ll); c != nil || err != nil {
			return c, err
		}
	}
}

// handle takes one logical line and returns a card when the line ends one.
func (r *Reader) handle(ll logicalLine) (*beifen.Contact, error) {
	top := r.top()
	switch {
	case ll.tooLong:
		r.fail(top, fmt.Sprintf("line %d is longer than %d MiB", ll.num, MaxLine>>20))
	case ll.hdr == nil: // a comment or junk line
	case isDelim(ll, "BEGIN"):
		r.begin(ll.num)
	case isDelim(ll, "END"):
		return r.end()
	case top != nil && top.bad == "":
		r.add(top, ll)
		if ll.hdr.name == "VERSION" && !top.version {
			top.version, top.v21 = true, isV21(string(ll.value))
			r.u.v21 = top.v21
		}
	}
	return nil, nil
}

// isV21 reports whether a VERSION value is 2.1 (or older).
func isV21(v string) bool {
	v = strings.TrimSpace(v)
	return strings.HasPrefix(v, "2") || strings.HasPrefix(v, "1")
}

func isDelim(ll logicalLine, name string) bool {
	return ll.hdr.name == name && strings.EqualFold(string(bytes.TrimSpace(ll.value)), "VCARD")
}

func (r *Reader) top() *card {
	if len(r.stack) == 0 {
		return nil
	}
	return r.stack[len(r.stack)-1]
}

func (r *Reader) begin(line int) {
	if len(r.stack) >= maxDepth {
		r.extra++
		r.fail(r.top(), "cards nested too deeply")
		return
	}
	r.stack = append(r.stack, r.newCard(line))
	r.u.v21 = false
}

// newCard returns an empty card, with the buffers of the last card built when there is one.
func (r *Reader) newCard(line int) *card {
	c := r.spare
	if c == nil {
		return &card{line: line, props: make([]rawProp, 0, 16)}
	}
	r.spare = nil
	*c = card{line: line, props: c.props[:0], values: c.values[:0]}
	return c
}

// recycle keeps a card that has been built for newCard, unless it was a large one.
func (r *Reader) recycle(c *card) {
	if cap(c.values) > 1<<20 || cap(c.props) > 1024 {
		return
	}
	clear(c.props) // the built contact holds their parameters now
	r.spare = c
}

func (r *Reader) end() (*beifen.Contact, error) {
	if r.extra > 0 {
		r.extra--
		return nil, nil
	}
	c := r.pop()
	if c == nil { // END without BEGIN: junk
		return nil, nil
	}
	defer r.recycle(c)
	if c.bad != "" {
		return nil, r.parseError(c, c.bad)
	}
	return buildContact(c), nil
}

func (r *Reader) pop() *card {
	c := r.top()
	if c != nil {
		r.stack = r.stack[:len(r.stack)-1]
		r.size -= c.size
		r.u.v21 = false
		if top := r.top(); top != nil {
			r.u.v21 = top.v21
		}
	}
	return c
}

// atEOF reports the cards left open at the end of the file, one per call, then io.EOF.
func (r *Reader) atEOF() (*beifen.Contact, error) {
	r.extra = 0
	c := r.pop()
	if c == nil {
		return nil, io.EOF
	}
	reason := c.bad
	if reason == "" {
		reason = "card has no END:VCARD"
	}
	return nil, r.parseError(c, reason)
}

// Memory a property costs beyond its bytes, as MaxCard counts it, so a card of a million
// tiny properties is refused as surely as one huge photo.
const (
	propOverhead  = 256
	paramOverhead = 64
)

// add keeps a property of the open card, within MaxCard.
func (r *Reader) add(c *card, ll logicalLine) {
	n := len(ll.value) + len(ll.hdr.name) + len(ll.hdr.group) + propOverhead
	for _, p := range ll.hdr.params {
		n += len(p.Value) + paramOverhead
	}
	if r.size+n > MaxCard {
		r.fail(c, fmt.Sprintf("card is larger than %d MiB", MaxCard>>20))
		return
	}
	hdr := *ll.hdr
	hdr.params = c.keepParams(ll.hdr.params)
	if hdr.encoding() == "QUOTED-PRINTABLE" {
		c.values = appendQP(c.values, ll.value) // decoded now, into the card's buffer
	} else {
		c.values = append(c.values, ll.value...)
	}
	c.props = append(c.props, rawProp{hdr: hdr, end: len(c.values)})
	c.size += n
	r.size += n
}

// keepParams copies a property's parameters (the unfolder reuses its slice) to the end of the
// card's, which the built contact's properties then share: most cards need one allocation for
// all their parameters, not one per property. The copy's capacity ends with it, so that adding
// a parameter to one property never overwrites the next property's.
func (c *card) keepParams(ps []beifen.Param) []beifen.Param {
	if len(ps) == 0 {
		return nil
	}
	if c.params == nil {
		c.params = make([]beifen.Param, 0, max(16, len(ps)))
	}
	start := len(c.params)
	c.params = append(c.params, ps...)
	return c.params[start:len(c.params):len(c.params)]
}

// fail marks c bad and frees what it holds; the first reason wins.
func (r *Reader) fail(c *card, reason string) {
	if c == nil || c.bad != "" {
		return
	}
	c.bad = reason
	r.size -= c.size
	c.props, c.values, c.params, c.size = nil, nil, nil, 0
}

func (r *Reader) parseError(c *card, reason string) *beifen.ParseError {
	return &beifen.ParseError{File: r.name, Line: c.line, Reason: reason}
}

// decodeBOM drops a UTF-8 byte order mark and decodes UTF-16 (Windows exports) to UTF-8.
func decodeBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	head, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		_, _ = br.Discard(3)
	case bytes.HasPrefix(head, []byte("\xff\xfe")), bytes.HasPrefix(head, []byte("\xfe\xff")):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		return transform.NewReader(br, dec)
	}
	return br
}

// Decode reads every card of r, calling sink.Contact for each and sink.Skip for each bad
// one. It returns only errors from r or from the sink.
func Decode(r io.Reader, name string, sink beifen.ExportSink) error {
	vr := NewReader(r, name)
	for {
		c, err := vr.Read()
		var pe *beifen.ParseError
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case errors.As(err, &pe):
			sink.Skip(pe)
		case err != nil:
			return err
		default:
			if err := sink.Contact(c); err != nil {
				return fmt.Errorf("decode vcard %s: %w", name, err)
			}
		}
	}
}
