package smsie

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/beifen/beifen"
)

// decodeNDJSON reads messages.ndjson, taking part binaries from the archive's data/.
func (a *archive) decodeNDJSON(f *zip.File, sink beifen.ExportSink) error {
	rc, err := a.open(f)
	if err != nil {
		return err
	}
	defer rc.Close()
	mr := &messageReader{sink: sink, file: a.name + "/" + f.Name, files: a}
	return mr.lines(rc, a.lim.MaxItem)
}

// lines delivers the message on each line of r. A line that is not a JSON object, or is
// longer than max, is skipped; a read error other than a refused read stops the file with a
// Skip, since what was read so far is good.
func (mr *messageReader) lines(r io.Reader, max int64) error {
	lr := &lineReader{br: bufio.NewReaderSize(r, 64<<10), max: max}
	for {
		line, long, err := lr.next()
		switch {
		case err == io.EOF:
			return nil
		case isLimit(err):
			return err
		case err != nil:
			mr.skip(pos{line: lr.n}, "unreadable; rest of file not read")
			return nil
		case long:
			mr.skip(pos{line: lr.n}, fmt.Sprintf("line longer than %s", mib(max)))
			continue
		}
		if err := mr.line(line, pos{line: lr.n}); err != nil {
			return err
		}
	}
}

// lineReader splits a stream into lines without ever holding more than max bytes of one.
type lineReader struct {
	br  *bufio.Reader
	max int64
	n   int // number of the line last returned
	buf []byte
}

// next returns the next line without its line ending. long is true, and line nil, when the
// line was longer than max; it has then been read past and dropped.
func (l *lineReader) next() (line []byte, long bool, err error) {
	l.buf = l.buf[:0]
	started := false
	for {
		frag, err := l.br.ReadSlice('\n')
		started = started || len(frag) > 0
		if !long && int64(len(l.buf)+len(frag)) <= l.max+2 {
			l.buf = append(l.buf, frag...)
		} else {
			long, l.buf = true, l.buf[:0]
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF && !started:
			return nil, false, io.EOF
		case err != nil && err != io.EOF:
			l.n++
			return nil, false, err
		}
		l.n++
		if long {
			return nil, true, nil
		}
		return bytes.TrimRight(l.buf, "\r\n"), false, nil
	}
}
