package leadfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/beifen/beifen"
)

// MaxLine is the longest line (or CSV record) read; a longer one is ETOOLARGE.
const MaxLine = 1 << 20

// lineReader reads lines of at most MaxLine bytes, without their line ending.
type lineReader struct {
	br   *bufio.Reader
	name string
	n    int // lines read
	buf  []byte
}

func newLineReader(r io.Reader, name string) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 64<<10), name: name}
}

// next returns the next line, io.EOF after the last.
func (l *lineReader) next() (string, error) {
	l.buf = l.buf[:0]
	for {
		frag, err := l.br.ReadSlice('\n')
		l.buf = append(l.buf, frag...)
		if len(l.buf) > MaxLine {
			return "", beifen.Errorf(beifen.ETOOLARGE, "%s line %d is longer than %d bytes.", l.name, l.n+1, MaxLine)
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(l.buf) > 0:
		case err != nil:
			return "", err
		}
		l.n++
		return fixText(strings.TrimRight(string(l.buf), "\r\n")), nil
	}
}

// decodeLines calls fn with a row for every line of r that is not blank.
func decodeLines(r io.Reader, name string, fn func(*beifen.LeadRow) error) error {
	lr := newLineReader(r, name)
	for {
		line, err := lr.next()
		if errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return readError(name, err)
		}
		if err := emitLine(line, lr.n, fn); err != nil {
			return err
		}
	}
}

// emitLine calls fn with the row of a line, unless the line is blank.
func emitLine(line string, n int, fn func(*beifen.LeadRow) error) error {
	if blank(line) {
		return nil
	}
	row := ParseLine(line)
	row.Row = n
	return fn(&row)
}

// readError wraps an error met while reading name, keeping application errors as they are.
func readError(name string, err error) error {
	var e *beifen.Error
	if errors.As(err, &e) {
		return err
	}
	return fmt.Errorf("read %s: %w", name, err)
}
