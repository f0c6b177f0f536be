package vcard

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// Limits of the reader. A card breaking one is reported as a *beifen.ParseError and skipped.
const (
	MaxLine = 32 << 20 // longest logical (unfolded) line, in bytes
	MaxCard = 64 << 20 // most bytes of properties one card (with its nested cards) may hold
)

// physLine is one physical line without its line end.
type physLine struct {
	data    []byte
	num     int  // 1-based line number
	tooLong bool // longer than MaxLine; data holds only the start
}

// lineReader splits a stream into physical lines and lets the caller push one line back.
type lineReader struct {
	br      *bufio.Reader
	num     int
	cur     physLine
	pending bool
	err     error
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 64<<10)}
}

// next returns the next physical line; its data is valid until the following call.
func (lr *lineReader) next() (*physLine, error) {
	if lr.pending {
		lr.pending = false
		return &lr.cur, nil
	}
	if lr.err != nil {
		return nil, lr.err
	}
	lr.cur.data, lr.cur.tooLong = lr.cur.data[:0], false
	if err := lr.fill(); err != nil {
		lr.err = err
		if !errors.Is(err, io.EOF) || len(lr.cur.data) == 0 && !lr.cur.tooLong {
			return nil, err
		}
		// A last line without a line end: return it now and io.EOF on the next call.
	}
	lr.num++
	lr.cur.num = lr.num
	lr.cur.data = trimEOL(lr.cur.data)
	return &lr.cur, nil
}

// fill reads one line into lr.cur, keeping at most MaxLine bytes of it.
func (lr *lineReader) fill() error {
	for {
		chunk, err := lr.br.ReadSlice('\n')
		if len(lr.cur.data)+len(chunk) > MaxLine+2 { // +2: the line end is not counted
			lr.cur.tooLong = true
		} else {
			lr.cur.data = append(lr.cur.data, chunk...)
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return err
		}
	}
}

// unread pushes the line last returned by next back.
func (lr *lineReader) unread() { lr.pending = true }

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte{'\n'})
	return bytes.TrimSuffix(b, []byte{'\r'})
}
