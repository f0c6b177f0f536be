package sbr

import (
	"bytes"
	"fmt"
	"io"
)

const bufSize = 64 << 10

// scanner is a sliding window over the input that counts lines as bytes are consumed. The
// unread bytes are buf[pos:end]; callers that step over a newline add it to line themselves.
type scanner struct {
	r    io.Reader
	name string
	buf  []byte
	pos  int
	end  int
	line int
	err  error // sticky: io.EOF or a wrapped read error
}

func newScanner(r io.Reader, name string) *scanner {
	return &scanner{r: r, name: name, buf: make([]byte, bufSize), line: 1}
}

// avail returns the unread bytes in the window.
func (s *scanner) avail() []byte { return s.buf[s.pos:s.end] }

// fill moves the unread bytes to the front and reads more after them. It returns nil when at
// least one byte was added, io.EOF at the end of the input, or the read error.
func (s *scanner) fill() error {
	if s.err != nil {
		return s.err
	}
	if s.pos > 0 {
		s.end = copy(s.buf, s.buf[s.pos:s.end])
		s.pos = 0
	}
	if s.end == len(s.buf) {
		s.buf = append(s.buf, make([]byte, len(s.buf))...)
	}
	for range 100 {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.err = err
			if err != io.EOF {
				s.err = fmt.Errorf("read %s: %w", s.name, err)
			}
			if n > 0 {
				return nil
			}
			return s.err
		}
		if n > 0 {
			return nil
		}
	}
	s.err = fmt.Errorf("read %s: %w", s.name, io.ErrNoProgress)
	return s.err
}

// ensure tries to make n bytes available. It returns io.EOF (with fewer bytes available) when
// the input ends first.
func (s *scanner) ensure(n int) error {
	for s.end-s.pos < n {
		if err := s.fill(); err != nil {
			return err
		}
	}
	return nil
}

// skipTo consumes bytes up to the next c and reports whether one was found before the end.
func (s *scanner) skipTo(c byte) (bool, error) {
	for {
		avail := s.avail()
		i := bytes.IndexByte(avail, c)
		if i >= 0 {
			s.line += bytes.Count(avail[:i], nl)
			s.pos += i
			return true, nil
		}
		s.line += bytes.Count(avail, nl)
		s.pos = s.end
		if err := s.fill(); err != nil {
			return false, err
		}
	}
}

// skipPast consumes bytes up to and including the next occurrence of pattern.
func (s *scanner) skipPast(pattern string) error {
	p := []byte(pattern)
	for {
		avail := s.avail()
		if i := bytes.Index(avail, p); i >= 0 {
			s.line += bytes.Count(avail[:i+len(p)], nl)
			s.pos += i + len(p)
			return nil
		}
		// Keep a tail that may hold the start of the pattern.
		keep := min(len(avail), len(p)-1)
		s.line += bytes.Count(avail[:len(avail)-keep], nl)
		s.pos = s.end - keep
		if err := s.fill(); err != nil {
			return err
		}
	}
}

// skipSpace consumes XML white space.
func (s *scanner) skipSpace() error {
	for {
		avail := s.avail()
		for i, c := range avail {
			switch c {
			case ' ', '\t', '\r':
			case '\n':
				s.line++
			default:
				s.pos += i
				return nil
			}
		}
		s.pos = s.end
		if err := s.fill(); err != nil {
			return err
		}
	}
}

// peek returns the next byte without consuming it.
func (s *scanner) peek() (byte, error) {
	if s.pos == s.end {
		if err := s.fill(); err != nil {
			return 0, err
		}
	}
	return s.buf[s.pos], nil
}

// hasPrefix reports whether the unread input starts with p (p must be short).
func (s *scanner) hasPrefix(p string) bool {
	_ = s.ensure(len(p))
	return bytes.HasPrefix(s.avail(), []byte(p))
}

var nl = []byte{'\n'}

const maxName = 1024

// isName marks the bytes allowed in element and attribute names: anything but white space,
// control characters and the delimiters of the markup.
var isName = func() (t [256]bool) {
	for c := 0x21; c < 256; c++ {
		t[c] = true
	}
	for _, c := range "=></\"'&" {
		t[c] = false
	}
	t[0x7f] = false
	return t
}()

// nameAt returns the name that starts off bytes after pos, without consuming it. The slice is
// valid until the next read.
func (s *scanner) nameAt(off int) ([]byte, error) {
	if avail := s.buf[s.pos+off : s.end]; len(avail) > 32 {
		for n, c := range avail[:32] {
			if !isName[c] {
				return avail[:n], nil // the common case: a short name, whole in the window
			}
		}
	}
	for n := 0; ; {
		avail := s.buf[s.pos+off : s.end]
		for n < len(avail) && isName[avail[n]] {
			n++
		}
		if n >= maxName {
			return nil, syntax("name too long")
		}
		if n < len(avail) {
			return avail[:n], nil
		}
		if err := s.ensure(off + n + 1); err != nil {
			return nil, err
		}
	}
}
