package backup

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/sbr"
	"github.com/beifen/beifen/vcard"
)

// UploadFragment reads one item-aligned chunk of a large export and remembers it as a source.
func (s *Service) UploadFragment(ctx context.Context, hash beifen.BlobKey, size int64, name string, line int, r io.Reader) (*beifen.UploadResult, error) {
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkUpload(hash, size, 0); err != nil {
		return nil, err
	}
	if size > beifen.UploadPartSize {
		return nil, beifen.Errorf(beifen.ETOOLARGE, "A chunk may hold at most %d bytes.", beifen.UploadPartSize)
	}
	if have, err := s.have(ctx, a, hash); err != nil || have {
		return &beifen.UploadResult{Hash: hash, Complete: true}, err
	}
	br := bufio.NewReaderSize(newHashingReader(r, hash, size), sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("read chunk: %w", err)
	}
	format, doc := fragmentDocument(head, br)
	if format == "" {
		return nil, beifen.Errorf(beifen.EINVALID, "Chunk %s:%d is not part of a vCard or SMS Backup & Restore export.", name, line)
	}
	res, err := s.ingest(ctx, a, hash, name, format, doc, nil, size)
	if res != nil {
		for _, e := range res.Errors {
			e.Line += max(line-1, 0)
		}
	}
	return res, err
}

// fragmentDocument makes a chunk a whole document again: an SMS Backup & Restore chunk gets the
// root's start or end tags it lacks, so the reader reports no truncation. A vCard chunk is
// whole cards already.
func fragmentDocument(head []byte, body io.Reader) (beifen.ExportFormat, io.Reader) {
	if vcard.Sniff(head) {
		return beifen.FormatVCard, body
	}
	trimmed := bytes.TrimLeft(head, " \t\r\n\ufeff")
	root := ""
	switch {
	case sbr.Sniff(head) == beifen.FormatSBRMessages:
		return beifen.FormatSBRMessages, io.MultiReader(body, strings.NewReader("</smses>"))
	case sbr.Sniff(head) == beifen.FormatSBRCalls:
		return beifen.FormatSBRCalls, io.MultiReader(body, strings.NewReader("</calls>"))
	case bytes.HasPrefix(trimmed, []byte("<sms")) && !bytes.HasPrefix(trimmed, []byte("<smses")),
		bytes.HasPrefix(trimmed, []byte("<mms")), bytes.HasPrefix(trimmed, []byte("</smses")):
		root = "smses"
	case bytes.HasPrefix(trimmed, []byte("<call")) && !bytes.HasPrefix(trimmed, []byte("<calls")),
		bytes.HasPrefix(trimmed, []byte("</calls")):
		root = "calls"
	default:
		return "", nil
	}
	format := map[string]beifen.ExportFormat{"smses": beifen.FormatSBRMessages, "calls": beifen.FormatSBRCalls}[root]
	if bytes.HasPrefix(trimmed, []byte("</")) {
		return format, io.MultiReader(strings.NewReader("<"+root+">"), body)
	}
	return format, io.MultiReader(strings.NewReader("<"+root+">"), body, strings.NewReader("</"+root+">"))
}
