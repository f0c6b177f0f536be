package sbr

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/beifen/beifen"
)

// header is the XML declaration SMS Backup & Restore writes.
const header = "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"

var errClosed = errors.New("writer closed")

// xmlWriter writes the parts of an SB&R file shared by messages and calls.
type xmlWriter struct {
	w      *bufio.Writer
	root   string
	closed bool
	err    error // a failed write leaves a broken file: later writes fail too
}

// newXMLWriter writes the declaration and the root start tag with its count.
func newXMLWriter(w io.Writer, root string, count int) (*xmlWriter, error) {
	if count < 0 {
		return nil, fmt.Errorf("new %s writer: negative count", root)
	}
	x := &xmlWriter{w: bufio.NewWriterSize(w, 64<<10), root: root}
	x.w.WriteString(header)
	x.w.WriteString("<" + root + ` count="` + strconv.Itoa(count) + "\">\n")
	return x, nil
}

// start writes an element's start tag up to its attributes, leaving the tag open.
func (x *xmlWriter) start(indent, elem string, attrs beifen.Attrs) {
	x.w.WriteString(indent)
	x.w.WriteString("<")
	x.w.WriteString(elem)
	for _, a := range attrs {
		x.attr(a.Name, a.Value)
	}
}

// attr writes ` name="value"` with the value escaped.
func (x *xmlWriter) attr(name, value string) {
	x.w.WriteByte(' ')
	x.w.WriteString(name)
	x.w.WriteString(`="`)
	last := 0
	for i := 0; i < len(value); i++ {
		if e := escapes[value[i]]; e != "" {
			x.w.WriteString(value[last:i])
			x.w.WriteString(e)
			last = i + 1
		}
	}
	x.w.WriteString(value[last:])
	x.w.WriteByte('"')
}

// escapes holds the escaped form of each byte that cannot appear as itself in a
// double-quoted attribute value. Non-ASCII is written as UTF-8.
var escapes = func() (t [256]string) {
	for c := range 0x20 {
		t[c] = "&#" + strconv.Itoa(c) + ";"
	}
	t['&'], t['<'], t['>'], t['"'] = "&amp;", "&lt;", "&gt;", "&quot;"
	return t
}()

// end writes s (the end of an element) and returns any error of the writes since the last end.
func (x *xmlWriter) end(s string) error {
	_, err := x.w.WriteString(s)
	return err
}

// usable reports why nothing more may be written, if so.
func (x *xmlWriter) usable() error {
	if x.closed {
		return errClosed
	}
	return x.err
}

// close writes the root end tag and flushes.
func (x *xmlWriter) close() error {
	if err := x.usable(); err != nil {
		return err
	}
	x.closed = true
	x.w.WriteString("</" + x.root + ">\n")
	return x.w.Flush()
}

// checkAttrs reports attribute names a reader could not read back.
func checkAttrs(attrs beifen.Attrs) error {
	for _, a := range attrs {
		if !validName(a.Name) {
			return errors.New("invalid attribute name")
		}
	}
	return nil
}

func validName(name string) bool {
	if name == "" || len(name) >= maxName {
		return false
	}
	for i := 0; i < len(name); i++ {
		if !isName[name[i]] {
			return false
		}
	}
	return true
}

// CallWriter writes a <calls> file.
type CallWriter struct {
	x *xmlWriter
}

// NewCallWriter writes the XML declaration and `<calls count="N">` to w. count is written as
// given; SB&R readers do not rely on it.
func NewCallWriter(w io.Writer, count int) (*CallWriter, error) {
	x, err := newXMLWriter(w, "calls", count)
	if err != nil {
		return nil, err
	}
	return &CallWriter{x: x}, nil
}

// Write writes one <call> element with the call's attributes in order.
func (w *CallWriter) Write(c *beifen.Call) error {
	if err := w.x.usable(); err != nil {
		return fmt.Errorf("write call: %w", err)
	}
	if err := checkAttrs(c.Attrs); err != nil {
		return fmt.Errorf("write call: %w", err)
	}
	w.x.start("  ", "call", c.Attrs)
	if err := w.x.end(" />\n"); err != nil {
		w.x.err = err
		return fmt.Errorf("write call: %w", err)
	}
	return nil
}

// Close writes </calls> and flushes what is buffered. It does not close the underlying writer.
func (w *CallWriter) Close() error {
	if err := w.x.close(); err != nil {
		return fmt.Errorf("close calls: %w", err)
	}
	return nil
}
