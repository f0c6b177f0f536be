package sbr

import (
	"fmt"

	"github.com/beifen/beifen"
)

// readMMS reads an <mms> element after its name: its attributes, then <part> and <addr>
// elements (wherever they sit inside it) up to </mms>, and delivers the message.
func (d *decoder) readMMS() error {
	attrs, selfClosing, err := d.readAttrs("mms", nil)
	if err != nil {
		return err
	}
	m := &beifen.Message{Kind: beifen.MessageMMS, Attrs: attrs}
	for !selfClosing {
		t, err := d.next()
		if err != nil {
			return err
		}
		if selfClosing, err = d.mmsChild(m, t); err != nil {
			return err
		}
	}
	if err := d.sink.Message(m); err != nil {
		return fmt.Errorf("deliver mms from %s: %w", d.s.name, err)
	}
	return nil
}

// mmsChild handles one tag inside an <mms> and reports whether it was </mms>.
func (d *decoder) mmsChild(m *beifen.Message, t token) (bool, error) {
	switch {
	case t.kind == tokEOF:
		return false, eof(d.s.err)
	case t.kind == tokEnd:
		return t.name == "mms", nil
	}
	switch t.name {
	case "sms", "mms", "call":
		return false, syntax("missing </mms>") // left unconsumed for resync
	}
	d.s.pos += 1 + len(t.name)
	switch t.name {
	case "part":
		if len(m.Parts) == maxChildren {
			return false, syntax("too many parts")
		}
		p := beifen.MessagePart{}
		attrs, _, err := d.readAttrs("part", &p)
		p.Attrs = attrs
		m.Parts = append(m.Parts, p)
		return false, subject("part", err)
	case "addr":
		if len(m.Addrs) == maxChildren {
			return false, syntax("too many addrs")
		}
		attrs, _, err := d.readAttrs("addr", nil)
		m.Addrs = append(m.Addrs, attrs)
		return false, subject("addr", err)
	}
	return false, d.skipTag()
}

// subject prefixes a syntax error's reason with the child element it concerns.
func subject(elem string, err error) error {
	if se, ok := err.(*syntaxError); ok {
		se.reason = elem + ": " + se.reason
	}
	return err
}
