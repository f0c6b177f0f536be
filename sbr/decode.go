package sbr

import (
	"fmt"
	"io"

	"github.com/beifen/beifen"
)

// Decode streams a <smses> or <calls> file into the sink: sink.Message for each <sms> and <mms>
// (with Kind set), sink.Call for each <call>, and sink.Skip for each element it cannot read,
// after which it resumes at the next <sms>, <mms> or <call>. A part's data attribute goes to
// sink.PutBlob as a stream of decoded bytes and is referenced by the part's Blob; it is never
// held in memory. Decode returns an error only when reading r or a sink call fails.
func Decode(r io.Reader, name string, sink beifen.ExportSink) error {
	d := &decoder{s: newScanner(r, name), sink: sink, names: make(map[string]string)}
	return d.run()
}

// decoder holds the state of one Decode.
type decoder struct {
	s         *scanner
	sink      beifen.ExportSink
	names     map[string]string
	cache     [512]string // see intern
	expect    [5][]string // per element: the attribute names of the last one, see readAttr
	scratch   []byte      // decoded attribute values of the current element
	spans     []span
	blob      blobReader
	root      string // "smses" or "calls" once seen; " " (no name) for another root
	rootOpen  bool
	truncated bool // a ParseError already reported the end of the input
}

// syntaxError is a problem with one element: reported through Skip, never returned by Decode.
// It is never wrapped, so a type assertion finds it.
type syntaxError struct {
	line   int
	reason string
	eof    bool
}

func (e *syntaxError) Error() string { return e.reason }

func syntax(reason string) error { return &syntaxError{reason: reason} }

// eof turns the end of the input inside an element into a syntax error; read errors stay.
func eof(err error) error {
	if err == io.EOF {
		return &syntaxError{reason: "unexpected end of file", eof: true}
	}
	return err
}

// run reads items until the end of the input.
func (d *decoder) run() error {
	for {
		t, err := d.next()
		switch {
		case err != nil:
			err = at(t, err)
		case t.kind == tokEOF:
			return d.finish()
		default:
			err = d.token(t)
		}
		if err := d.skipBad(err); err != nil {
			return err
		}
	}
}

// skipBad reports a syntax error and resynchronises; other errors are returned.
func (d *decoder) skipBad(err error) error {
	se, ok := err.(*syntaxError)
	if !ok {
		return err
	}
	d.sink.Skip(&beifen.ParseError{File: d.s.name, Line: se.line, Reason: se.reason})
	if se.eof {
		d.truncated = true
		d.s.pos = d.s.end // the input ended inside the element: nothing is left to read
		return nil
	}
	return d.resync()
}

// finish reports what the end of the input leaves unsaid.
func (d *decoder) finish() error {
	switch {
	case d.s.err != io.EOF:
		return d.s.err
	case d.truncated:
	case d.root == "":
		d.skip(d.s.line, "no <smses> or <calls> root element")
	case d.rootOpen:
		d.skip(d.s.line, "unexpected end of file: missing </"+d.root+">")
	}
	return nil
}

func (d *decoder) skip(line int, reason string) {
	d.sink.Skip(&beifen.ParseError{File: d.s.name, Line: line, Reason: reason})
}

// token handles one top-level tag.
func (d *decoder) token(t token) error {
	if t.kind == tokEnd {
		if t.name == d.root {
			d.rootOpen = false
		}
		return nil
	}
	if d.root == "" {
		d.openRoot(t)
	}
	d.s.pos += 1 + len(t.name)
	switch t.name {
	case "sms", "call":
		attrs, _, err := d.readAttrs(t.name, nil)
		if err != nil {
			return at(t, err)
		}
		return d.deliver(t.name, attrs)
	case "mms":
		return at(t, d.readMMS())
	}
	return at(t, d.skipTag())
}

// openRoot notes the root element, or reports a file that is not SB&R's.
func (d *decoder) openRoot(t token) {
	switch t.name {
	case "smses", "calls":
		d.root, d.rootOpen = t.name, true
	default:
		d.root = " "
		d.skip(t.line, "root element is not <smses> or <calls>")
	}
}

// at completes a syntax error with the element and line where it starts. Only SB&R's own
// element names go into the reason: other names come from the file.
func at(t token, err error) error {
	if se, ok := err.(*syntaxError); ok && se.line == 0 {
		se.line = t.line
		switch t.name {
		case "sms", "mms", "call", "smses", "calls":
			se.reason = t.name + ": " + se.reason
		}
	}
	return err
}

// deliver hands an <sms> or <call> to the sink.
func (d *decoder) deliver(elem string, attrs beifen.Attrs) error {
	var err error
	if elem == "call" {
		err = d.sink.Call(&beifen.Call{Attrs: attrs})
	} else {
		err = d.sink.Message(&beifen.Message{Kind: beifen.MessageSMS, Attrs: attrs})
	}
	if err != nil {
		return fmt.Errorf("deliver %s from %s: %w", elem, d.s.name, err)
	}
	return nil
}

// resync skips to the next <sms, <mms or <call, or to the root's end tag.
func (d *decoder) resync() error {
	s := d.s
	for {
		found, err := s.skipTo('<')
		if !found {
			if err == io.EOF {
				return nil // run finds the end of the input
			}
			return err
		}
		off := 1
		if s.hasPrefix("</") {
			off = 2
		}
		name, err := s.nameAt(off)
		if err == io.EOF {
			s.pos = s.end
			return nil
		}
		if _, ok := err.(*syntaxError); !ok && err != nil {
			return err
		}
		switch string(name) { // a name too long for nameAt is none of these
		case "sms", "mms", "call":
			if off == 1 {
				return nil
			}
		case d.root:
			if off == 2 {
				return nil
			}
		}
		s.pos++
	}
}
