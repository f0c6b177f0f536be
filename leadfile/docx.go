package leadfile

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/beifen/beifen"
)

// docx reads word/document.xml token by token. Each paragraph outside tables is a line of
// text (a line break inside it starts another line with the same Row); each table is a Table
// whose rows are its w:tr rows. Row counts paragraphs and table rows in document order.
type docx struct {
	name     string
	fn       func(*beifen.LeadRow) error
	n        int
	tables   int // depth of w:tbl nesting
	paras    int // depth of w:p nesting (text boxes nest paragraphs)
	runs     int
	text     bool // inside w:t
	fallback int  // depth inside mc:Fallback, which repeats mc:Choice
	buf      strings.Builder
	cells    []string
	table    *Table
}

func decodeDOCX(zr io.Reader, name string, fn func(*beifen.LeadRow) error) error {
	d := &docx{name: name, fn: fn}
	dec := xml.NewDecoder(zr)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return d.xmlError(err)
		}
		if err := d.token(tok); err != nil {
			return err
		}
	}
}

func (d *docx) xmlError(err error) error {
	var e *beifen.Error
	if errors.As(err, &e) {
		return err
	}
	return beifen.Errorf(beifen.EINVALID, "%s is not a readable .docx file (damaged document).", d.name)
}

func (d *docx) token(tok xml.Token) error {
	switch t := tok.(type) {
	case xml.StartElement:
		if d.fallback > 0 || t.Name.Local == "Fallback" {
			d.fallback++
			return nil
		}
		return d.start(t.Name)
	case xml.EndElement:
		if d.fallback > 0 {
			d.fallback--
			return nil
		}
		return d.end(t.Name)
	case xml.CharData:
		if d.text && d.fallback == 0 {
			return d.write(string(t))
		}
	}
	return nil
}

func (d *docx) write(s string) error {
	if d.buf.Len()+len(s) > MaxLine {
		return beifen.Errorf(beifen.ETOOLARGE, "%s has a paragraph longer than %d bytes.", d.name, MaxLine)
	}
	d.buf.WriteString(s)
	return nil
}

// isWord reports whether an element is WordprocessingML (transitional or strict), not
// DrawingML text in a chart or shape.
func isWord(n xml.Name) bool {
	return strings.HasSuffix(n.Space, "/wordprocessingml/2006/main") || strings.HasSuffix(n.Space, "/wordprocessingml/main")
}

func (d *docx) start(n xml.Name) error {
	if !isWord(n) {
		return nil
	}
	switch n.Local {
	case "t":
		d.text = true
	case "r":
		d.runs++
	case "tab":
		if d.runs > 0 {
			return d.write("\t")
		}
	case "br", "cr":
		if d.runs > 0 {
			return d.write("\n")
		}
	case "p":
		d.paras++
	case "tbl":
		d.tables++
		if d.tables == 1 {
			d.table = NewTable("", d.fn)
		}
	case "tr":
		if d.tables == 1 {
			d.cells = d.cells[:0]
		}
	case "tc":
		if d.tables == 1 {
			d.buf.Reset()
		}
	}
	return nil
}

func (d *docx) end(n xml.Name) error {
	if !isWord(n) {
		return nil
	}
	switch n.Local {
	case "t":
		d.text = false
	case "r":
		d.runs--
	case "p":
		return d.endParagraph()
	case "tc":
		return d.endCell()
	case "tr":
		if d.tables == 1 {
			d.n++
			return d.table.Add(d.n, d.cells)
		}
	case "tbl":
		d.tables--
		if d.tables == 0 {
			return d.table.Flush()
		}
	}
	return nil
}

// endParagraph emits the lines of a paragraph outside tables; inside a table cell or a text
// box, it only ends a line of the text around it.
func (d *docx) endParagraph() error {
	if d.paras--; d.paras > 0 || d.tables > 0 {
		return d.write("\n")
	}
	d.n++
	text := d.buf.String()
	d.buf.Reset()
	for _, line := range strings.Split(text, "\n") {
		if err := emitLine(line, d.n, d.fn); err != nil {
			return err
		}
	}
	return nil
}

func (d *docx) endCell() error {
	switch {
	case d.tables == 1:
		d.cells = append(d.cells, strings.TrimSpace(d.buf.String()))
		d.buf.Reset()
	case d.tables > 1:
		return d.write("\t")
	}
	return nil
}
