package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"hash/fnv"
	"io"
	"os"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/sbr"
	"github.com/beifen/beifen/vcard"
)

// Large exports go up in chunks cut at item boundaries (an SMS Backup & Restore element, a vCard
// card), chosen by content: the same items give the same chunks, so a day's new messages change
// only the first chunk (its count attribute) and the last ones, and only those are sent and read.
const (
	splitAbove  = 4 << 20   // smaller exports go up whole
	minChunk    = 512 << 10 // no cut before this many bytes
	maxChunk    = 4 << 20   // cut at the next item after this many
	cutMask     = 1<<10 - 1 // beyond minChunk, about one item start in 1024 ends a chunk
	linePrefix  = 128       // bytes of an item's first line that choose the cuts
	scanBufSize = 1 << 20
)

// chunk is one piece of a split export.
type chunk struct {
	Off  int64          `json:"o"`
	Size int64          `json:"s"`
	Line int            `json:"l"`
	Hash beifen.BlobKey `json:"h"`
}

// splitExport cuts a large vCard or SMS Backup & Restore file into chunks. It returns nil for
// any other file, a small one, or one it cannot cut into chunks the server accepts.
func splitExport(path string, size int64) ([]chunk, error) {
	if size <= splitAbove {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, scanBufSize)
	head, _ := br.Peek(4096)
	xml := sbr.Sniff(head) != ""
	if !xml && !vcard.Sniff(head) {
		return nil, nil
	}
	s := &splitter{r: br, xml: xml, h: sha256.New(), line: 1, cur: chunk{Line: 1}}
	chunks, err := s.run()
	if err != nil || len(chunks) < 2 {
		return nil, err
	}
	for _, c := range chunks {
		if c.Size > beifen.UploadPartSize {
			return nil, nil // an item too big to stand in one chunk: send the file whole
		}
	}
	return chunks, nil
}

type splitter struct {
	r      *bufio.Reader
	xml    bool
	h      hash.Hash
	off    int64
	line   int
	cur    chunk
	seen   bool // an item has started (XML: the header chunk is over)
	chunks []chunk
}

func (s *splitter) run() ([]chunk, error) {
	atStart := true
	for {
		b, err := s.r.ReadSlice('\n')
		if len(b) > 0 {
			if atStart {
				s.maybeCut(b)
			}
			s.h.Write(b)
			s.off += int64(len(b))
			s.cur.Size += int64(len(b))
			atStart = b[len(b)-1] == '\n'
			if atStart {
				s.line++
			}
		}
		switch err {
		case nil, bufio.ErrBufferFull:
		case io.EOF:
			s.cut()
			return s.chunks, nil
		default:
			return nil, err
		}
	}
}

// maybeCut ends the current chunk before a line that starts an item (or, in XML, the root's
// end) when the rules say so.
func (s *splitter) maybeCut(line []byte) {
	t := bytes.TrimLeft(line, " \t\ufeff")
	item, end := s.classify(t)
	switch {
	case end, item && !s.seen && s.xml: // the header and the trailer stand alone
		s.cut()
	case item && s.cur.Size >= maxChunk:
		s.cut()
	case item && s.cur.Size >= minChunk:
		h := fnv.New64a()
		h.Write(t[:min(len(t), linePrefix)])
		if h.Sum64()&cutMask == 0 {
			s.cut()
		}
	}
	s.seen = s.seen || item
}

func (s *splitter) classify(t []byte) (item, end bool) {
	if !s.xml {
		return len(t) >= 11 && bytes.EqualFold(t[:11], []byte("BEGIN:VCARD")), false
	}
	for _, p := range []string{"<sms ", "<mms ", "<mms>", "<call "} {
		if bytes.HasPrefix(t, []byte(p)) {
			return true, false
		}
	}
	return false, bytes.HasPrefix(t, []byte("</smses")) || bytes.HasPrefix(t, []byte("</calls"))
}

func (s *splitter) cut() {
	if s.cur.Size > 0 {
		s.cur.Hash = beifen.BlobKey(hex.EncodeToString(s.h.Sum(nil)))
		s.chunks = append(s.chunks, s.cur)
	}
	s.h.Reset()
	s.cur = chunk{Off: s.off, Line: s.line}
}
