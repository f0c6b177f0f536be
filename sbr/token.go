package sbr

import "io"

// tokenKind tells what next found.
type tokenKind int

const (
	tokEOF   tokenKind = iota
	tokStart           // "<name": only the "<" is at pos, nothing is consumed
	tokEnd             // "</name>": consumed
)

// token is a tag found by next.
type token struct {
	kind tokenKind
	name string
	line int // where the tag starts
}

// next skips text, comments, processing instructions, DOCTYPE and CDATA, and returns the next
// start tag (unconsumed, so that a caller can leave it for another) or end tag (consumed). On
// error the token still carries the line where the markup starts.
func (d *decoder) next() (token, error) {
	s := d.s
	for {
		found, err := s.skipTo('<')
		if !found {
			if err == io.EOF {
				return token{kind: tokEOF, line: s.line}, nil
			}
			return token{}, err
		}
		t := token{line: s.line}
		done, err := d.skipMarkup()
		if err != nil {
			return t, eof(err)
		}
		if done {
			continue
		}
		return d.tag(t)
	}
}

// skipMarkup consumes a comment, processing instruction, DOCTYPE or CDATA section at pos and
// reports whether it did.
func (d *decoder) skipMarkup() (bool, error) {
	s := d.s
	_ = s.ensure(len("<![CDATA["))
	switch {
	case s.hasPrefix("<?"):
		return true, s.skipPast("?>")
	case s.hasPrefix("<!--"):
		return true, s.skipPast("-->")
	case s.hasPrefix("<![CDATA["):
		return true, s.skipPast("]]>")
	case s.hasPrefix("<!"):
		return true, d.skipDeclaration()
	}
	return false, nil
}

// skipDeclaration consumes a <!DOCTYPE ...> (or other <!...>) declaration, including an internal
// subset in brackets, whose entity declarations are never expanded.
func (d *decoder) skipDeclaration() error {
	s := d.s
	depth, quote := 0, byte(0)
	for {
		avail := s.avail()
		for i, c := range avail {
			switch {
			case c == '\n':
				s.line++
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '[':
				depth++
			case c == ']' && depth > 0:
				depth--
			case c == '>' && depth == 0:
				s.pos += i + 1
				return nil
			}
		}
		s.pos = s.end
		if err := s.fill(); err != nil {
			return eof(err)
		}
	}
}

// tag reads the name of the tag at pos; an end tag is consumed whole.
func (d *decoder) tag(t token) (token, error) {
	s := d.s
	off := 1
	t.kind = tokStart
	if s.hasPrefix("</") {
		off, t.kind = 2, tokEnd
	}
	b, err := s.nameAt(off)
	if err != nil {
		return t, eof(err)
	}
	t.name = d.intern(b)
	if t.kind == tokEnd {
		s.pos += off + len(b)
		return t, d.skipTag()
	}
	return t, nil
}

// skipTag consumes the rest of a tag up to and including ">", minding quotes. It stops before
// a "<", which only a broken tag holds.
func (d *decoder) skipTag() error {
	s := d.s
	var quote byte
	for {
		avail := s.avail()
		for i, c := range avail {
			switch {
			case c == '\n':
				s.line++
			case c == '<':
				s.pos += i
				return nil
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '>':
				s.pos += i + 1
				return nil
			}
		}
		s.pos = s.end
		if err := s.fill(); err != nil {
			return eof(err)
		}
	}
}
