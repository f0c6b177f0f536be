package backup

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/beifen/beifen"
)

// Record payloads use a compact binary form rather than JSON: a first backup seals hundreds of
// thousands of them and a restore opens them all again, and decoding JSON was most of a
// restore's time. Every string is a uvarint length and its bytes; lists are a uvarint count and
// their items. The first byte is the form's version.
const payloadV1 = 1

type encoder struct{ b []byte }

func (e *encoder) uvarint(n uint64) { e.b = binary.AppendUvarint(e.b, n) }
func (e *encoder) varint(n int64)   { e.b = binary.AppendVarint(e.b, n) }

func (e *encoder) str(s string) {
	e.uvarint(uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *encoder) attrs(as beifen.Attrs) {
	e.uvarint(uint64(len(as)))
	for _, a := range as {
		e.str(a.Name)
		e.str(a.Value)
	}
}

// encodePayload encodes a contact, message, call or file.
func encodePayload(item any) ([]byte, error) {
	return appendPayload(make([]byte, 0, 256), item)
}

// appendPayload appends the encoding of a contact, message, call or file to b.
func appendPayload(b []byte, item any) ([]byte, error) {
	e := &encoder{b: append(b, payloadV1)}
	switch x := item.(type) {
	case *beifen.Message:
		e.encodeMessage(x)
	case *beifen.Call:
		e.attrs(x.Attrs)
	case *beifen.Contact:
		e.encodeContact(x)
	case *beifen.File:
		e.str(x.Path)
		e.varint(x.Size)
		e.str(string(x.Hash))
		e.varint(unixNano(x.ModTime))
	default:
		return nil, fmt.Errorf("encode payload: unknown type %T", item)
	}
	return e.b, nil
}

func (e *encoder) encodeMessage(m *beifen.Message) {
	e.str(string(m.Kind))
	e.attrs(m.Attrs)
	e.uvarint(uint64(len(m.Parts)))
	for _, p := range m.Parts {
		e.attrs(p.Attrs)
		if p.Blob == nil {
			e.b = append(e.b, 0)
			continue
		}
		e.b = append(e.b, 1)
		e.str(string(p.Blob.Key))
		e.varint(p.Blob.Size)
	}
	e.uvarint(uint64(len(m.Addrs)))
	for _, a := range m.Addrs {
		e.attrs(a)
	}
}

func (e *encoder) encodeContact(c *beifen.Contact) {
	e.uvarint(uint64(len(c.Props)))
	for _, p := range c.Props {
		e.str(p.Group)
		e.str(p.Name)
		e.uvarint(uint64(len(p.Params)))
		for _, pr := range p.Params {
			e.str(pr.Name)
			e.str(pr.Value)
		}
		e.str(p.Value)
	}
}

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

var errPayload = errors.New("decode payload: malformed")

// decoder reads a payload. Attribute names repeat in every record, so they are interned.
type decoder struct {
	b     []byte
	err   error
	names map[string]string
}

func (d *decoder) uvarint() uint64 {
	n, k := binary.Uvarint(d.b)
	if k <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[k:]
	return n
}

func (d *decoder) varint() int64 {
	n, k := binary.Varint(d.b)
	if k <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[k:]
	return n
}

func (d *decoder) fail() {
	d.err, d.b = errPayload, nil
}

func (d *decoder) bytes() []byte {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail()
		return nil
	}
	s := d.b[:n]
	d.b = d.b[n:]
	return s
}

func (d *decoder) str() string { return string(d.bytes()) }

func (d *decoder) name() string {
	b := d.bytes()
	if s, ok := d.names[string(b)]; ok {
		return s
	}
	s := string(b)
	d.names[s] = s
	return s
}

// count reads a list length, refusing one longer than the bytes left could hold.
func (d *decoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) attrs() beifen.Attrs {
	n := d.count()
	as := make(beifen.Attrs, n)
	for i := range as {
		as[i] = beifen.Attr{Name: d.name(), Value: d.str()}
	}
	return as
}

func newDecoder(b []byte, names map[string]string) (*decoder, error) {
	if len(b) == 0 || b[0] != payloadV1 {
		return nil, errPayload
	}
	return &decoder{b: b[1:], names: names}, nil
}

func (d *decoder) message(m *beifen.Message) {
	m.Kind = beifen.MessageKind(d.name())
	m.Attrs = d.attrs()
	m.Parts = make([]beifen.MessagePart, d.count())
	for i := range m.Parts {
		m.Parts[i].Attrs = d.attrs()
		if len(d.b) > 0 && d.b[0] == 1 {
			d.b = d.b[1:]
			m.Parts[i].Blob = &beifen.BlobRef{Key: beifen.BlobKey(d.str()), Size: d.varint()}
		} else if len(d.b) > 0 {
			d.b = d.b[1:]
		} else {
			d.fail()
		}
	}
	if m.Addrs = make([]beifen.Attrs, d.count()); len(m.Addrs) == 0 {
		m.Addrs = nil
	}
	for i := range m.Addrs {
		m.Addrs[i] = d.attrs()
	}
	if len(m.Parts) == 0 {
		m.Parts = nil
	}
}

func (d *decoder) contact(c *beifen.Contact) {
	c.Props = make([]beifen.ContactProp, d.count())
	for i := range c.Props {
		p := &c.Props[i]
		p.Group, p.Name = d.name(), d.name()
		if n := d.count(); n > 0 {
			p.Params = make([]beifen.Param, n)
			for j := range p.Params {
				p.Params[j] = beifen.Param{Name: d.name(), Value: d.name()}
			}
		}
		p.Value = d.str()
	}
}

func (d *decoder) file(f *beifen.File) {
	f.Path, f.Size, f.Hash = d.str(), d.varint(), beifen.BlobKey(d.str())
	if ns := d.varint(); ns != 0 {
		f.ModTime = time.Unix(0, ns).UTC()
	}
}

// decodePayload decodes a payload into v: a *Message, *Call, *Contact or *File.
func decodePayload(b []byte, v any, names map[string]string) error {
	d, err := newDecoder(b, names)
	if err != nil {
		return err
	}
	switch x := v.(type) {
	case *beifen.Message:
		d.message(x)
	case *beifen.Call:
		x.Attrs = d.attrs()
	case *beifen.Contact:
		d.contact(x)
	case *beifen.File:
		d.file(x)
	default:
		return fmt.Errorf("decode payload: unknown type %T", v)
	}
	if d.err == nil && len(d.b) != 0 {
		d.err = errPayload
	}
	return d.err
}
