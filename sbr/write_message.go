package sbr

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"

	"github.com/beifen/beifen"
)

// MessageWriter writes a <smses> file.
type MessageWriter struct {
	x    *xmlWriter
	open func(beifen.BlobKey) (io.ReadCloser, error)
}

// NewMessageWriter writes the XML declaration and `<smses count="N">` to w. open gives the
// content of an MMS part's blob, which is written back as its data attribute; it may be nil
// when no message has a blob.
func NewMessageWriter(w io.Writer, count int, open func(beifen.BlobKey) (io.ReadCloser, error)) (*MessageWriter, error) {
	x, err := newXMLWriter(w, "smses", count)
	if err != nil {
		return nil, err
	}
	return &MessageWriter{x: x, open: open}, nil
}

// Write writes one <sms> or <mms> element with the message's attributes in order, escaped
// (& < > " and control characters as references, everything else as UTF-8). An MMS gets its
// <parts>, each media part with its blob as a base64 data attribute written last and streamed
// from open, and its <addrs>.
func (w *MessageWriter) Write(m *beifen.Message) error {
	if err := w.check(m); err != nil {
		return fmt.Errorf("write message: %w", err)
	}
	var err error
	if m.Kind == beifen.MessageSMS {
		w.x.start("  ", "sms", m.Attrs)
		err = w.x.end(" />\n")
	} else {
		err = w.writeMMS(m)
	}
	if err != nil {
		w.x.err = err
		return fmt.Errorf("write message: %w", err)
	}
	return nil
}

// check refuses, before anything is written, a message the file could not hold.
func (w *MessageWriter) check(m *beifen.Message) error {
	if err := w.x.usable(); err != nil {
		return err
	}
	if m.Kind != beifen.MessageSMS && m.Kind != beifen.MessageMMS {
		return fmt.Errorf("unknown message kind %q", m.Kind)
	}
	if err := checkAttrs(m.Attrs); err != nil {
		return err
	}
	for _, p := range m.Parts {
		if _, ok := p.Attrs.Get("data"); ok {
			return errors.New("part attrs hold data")
		}
		if p.Blob != nil && w.open == nil {
			return errors.New("part has a blob but the writer cannot open blobs")
		}
		if err := checkAttrs(p.Attrs); err != nil {
			return err
		}
	}
	for _, a := range m.Addrs {
		if err := checkAttrs(a); err != nil {
			return err
		}
	}
	return nil
}

// writeMMS writes an <mms> element with its parts and addrs.
func (w *MessageWriter) writeMMS(m *beifen.Message) error {
	w.x.start("  ", "mms", m.Attrs)
	w.x.w.WriteString(">\n    <parts>\n")
	for _, p := range m.Parts {
		w.x.start("      ", "part", p.Attrs)
		if p.Blob != nil {
			if err := w.writeData(p.Blob.Key); err != nil {
				return err
			}
		}
		w.x.w.WriteString(" />\n")
	}
	w.x.w.WriteString("    </parts>\n    <addrs>\n")
	for _, a := range m.Addrs {
		w.x.start("      ", "addr", a)
		w.x.w.WriteString(" />\n")
	}
	return w.x.end("    </addrs>\n  </mms>\n")
}

// writeData writes ` data="<base64>"`, streaming the blob through the encoder.
func (w *MessageWriter) writeData(key beifen.BlobKey) error {
	rc, err := w.open(key)
	if err != nil {
		return fmt.Errorf("open blob %s: %w", key, err)
	}
	defer rc.Close()
	w.x.w.WriteString(` data="`)
	enc := base64.NewEncoder(base64.StdEncoding, w.x.w)
	if _, err := io.Copy(enc, rc); err != nil {
		return fmt.Errorf("copy blob %s: %w", key, err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("copy blob %s: %w", key, err)
	}
	return w.x.end(`"`)
}

// Close writes </smses> and flushes what is buffered. It does not close the underlying writer.
func (w *MessageWriter) Close() error {
	if err := w.x.close(); err != nil {
		return fmt.Errorf("close messages: %w", err)
	}
	return nil
}
