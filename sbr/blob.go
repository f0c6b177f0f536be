package sbr

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"

	"github.com/beifen/beifen"
)

// readBlob streams the base64 value of a part's data attribute, decoded, into the sink, and
// consumes it up to and including the closing quote.
func (d *decoder) readBlob(quote byte) (*beifen.BlobRef, error) {
	br := &d.blob
	if br.src == nil {
		br.src = make([]byte, 0, blobChunk)
		br.buf = make([]byte, base64.StdEncoding.DecodedLen(blobChunk))
	}
	*br = blobReader{s: d.s, quote: quote, src: br.src[:0], buf: br.buf}
	ref, err := d.sink.PutBlob(br)
	if br.err == nil && err == nil {
		_, _ = io.Copy(io.Discard, br) // the sink may stop early; the value must still be consumed
	}
	if br.err != nil && br.err != io.EOF {
		return nil, br.err // bad base64, truncation or a read error: not the sink's fault
	}
	if err != nil {
		return nil, fmt.Errorf("store blob from %s: %w", d.s.name, err)
	}
	return &ref, nil
}

const blobChunk = 32 << 10 // base64 characters decoded at a time

// blobReader yields the decoded bytes of a base64 attribute value read from the scanner. It
// returns io.EOF after the closing quote, or a *syntaxError for bad base64 or a value cut short.
type blobReader struct {
	s      *scanner
	quote  byte
	src    []byte // base64 characters not decoded yet
	buf    []byte // decode buffer, reused
	out    []byte // decoded bytes not returned yet
	padded bool   // "=" seen: nothing may follow
	err    error
}

// Read implements io.Reader.
func (b *blobReader) Read(p []byte) (int, error) {
	for len(b.out) == 0 {
		if b.err != nil {
			return 0, b.err
		}
		b.err = b.decodeMore()
	}
	n := copy(p, b.out)
	b.out = b.out[n:]
	return n, nil
}

// decodeMore gathers base64 characters from the scanner and decodes the whole quanta among
// them into out. It returns io.EOF once the closing quote is consumed.
func (b *blobReader) decodeMore() error {
	b.out = b.buf[:0]
	done, err := b.gather()
	if err != nil {
		return err
	}
	n := len(b.src) / 4 * 4
	if err := b.decode(b.src[:n], base64.StdEncoding); err != nil {
		return err
	}
	b.src = b.src[:copy(b.src, b.src[n:])]
	if !done {
		return nil
	}
	// Be lenient with a last quantum that lacks its padding.
	if len(b.src) == 1 {
		return syntax("bad base64 in part data")
	}
	if err := b.decode(b.src, base64.RawStdEncoding); err != nil {
		return err
	}
	return io.EOF
}

// gather appends the available base64 characters of the value to src, dropping line breaks,
// and reports whether the closing quote was reached (and consumed).
func (b *blobReader) gather() (done bool, err error) {
	s := b.s
	if s.pos == s.end {
		if err := s.fill(); err != nil {
			return false, eof(err)
		}
	}
	chunk := s.avail()
	chunk = chunk[:min(len(chunk), cap(b.src)-len(b.src))]
	q := bytes.IndexByte(chunk, b.quote)
	if q >= 0 {
		chunk = chunk[:q]
	}
	lt := bytes.IndexByte(chunk, '<')
	if lt >= 0 {
		chunk = chunk[:lt] // leave the '<' for resynchronisation
	}
	b.append(chunk)
	s.pos += len(chunk)
	switch {
	case lt >= 0:
		return false, syntax("unterminated attribute value")
	case q >= 0:
		s.pos++
		return true, nil
	}
	return false, nil
}

// append adds chunk to src without CR and LF, counting lines.
func (b *blobReader) append(chunk []byte) {
	if bytes.IndexByte(chunk, '\n') < 0 && bytes.IndexByte(chunk, '\r') < 0 {
		b.src = append(b.src, chunk...)
		return
	}
	for _, c := range chunk {
		switch c {
		case '\n':
			b.s.line++
		case '\r':
		default:
			b.src = append(b.src, c)
		}
	}
}

// decode decodes src onto the end of out; nothing may follow padding.
func (b *blobReader) decode(src []byte, enc *base64.Encoding) error {
	if len(src) == 0 {
		return nil
	}
	if b.padded {
		return syntax("bad base64 in part data")
	}
	n, err := enc.Decode(b.buf[len(b.out):], src)
	if err != nil {
		return syntax("bad base64 in part data")
	}
	b.out = b.buf[:len(b.out)+n]
	b.padded = src[len(src)-1] == '='
	return nil
}
