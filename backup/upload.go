package backup

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/beifen/beifen"
)

// MissingFiles returns the hashes the server has neither as a blob nor as an export it read.
func (s *Service) MissingFiles(ctx context.Context, hashes []beifen.BlobKey) ([]beifen.BlobKey, error) {
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	missing := []beifen.BlobKey{}
	for _, h := range hashes {
		if !h.Valid() {
			return nil, beifen.Errorf(beifen.EINVALID, "Not a SHA-256 hash: %q.", h)
		}
		have, err := s.have(ctx, a, h)
		if err != nil {
			return nil, err
		}
		if !have {
			missing = append(missing, h)
		}
	}
	return missing, nil
}

// have reports whether content h is stored, as a blob or as an export already read.
func (s *Service) have(ctx context.Context, a *account, h beifen.BlobKey) (bool, error) {
	if _, err := s.Store.Sources.FindSource(ctx, a.sourceHash(h)); err == nil {
		return true, nil
	} else if beifen.ErrorCode(err) != beifen.ENOTFOUND {
		return false, err
	}
	return s.hasBlob(ctx, a, h)
}

// hasBlob reports whether blob h of the account is stored (or stored and queued to be
// registered, see groupWriter).
func (s *Service) hasBlob(ctx context.Context, a *account, h beifen.BlobKey) (bool, error) {
	name := a.blobName(h)
	if s.writer.queuedBlob(a.id, name) {
		return true, nil
	}
	if _, err := s.Store.Blobs.FindBlobEntry(ctx, name); err == nil {
		return true, nil
	} else if beifen.ErrorCode(err) != beifen.ENOTFOUND {
		return false, err
	}
	return false, nil
}

// parts returns how many parts a file of size bytes goes up in.
func parts(size int64) int {
	if size <= beifen.UploadPartSize {
		return 1
	}
	return int((size + beifen.UploadPartSize - 1) / beifen.UploadPartSize)
}

func partSize(size int64, n int) int64 {
	return min(beifen.UploadPartSize, size-int64(n)*beifen.UploadPartSize)
}

// UploadedParts returns the staged parts of a file in parts.
func (s *Service) UploadedParts(ctx context.Context, hash beifen.BlobKey, size int64) ([]int, error) {
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	prefix := "stage-" + a.blobName(hash) + "-"
	var got []int
	err = s.Blobs.List(ctx, prefix, func(info beifen.BlobInfo) error {
		n, err := strconv.Atoi(strings.TrimPrefix(info.Key, prefix))
		if err == nil && n < parts(size) {
			got = append(got, n)
		}
		return nil
	})
	sort.Ints(got)
	return got, err
}

// UploadPart stores part n and, once every part is in, stores or reads the whole file.
func (s *Service) UploadPart(ctx context.Context, hash beifen.BlobKey, size int64, n int, name string, r io.Reader) (*beifen.UploadResult, error) {
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkUpload(hash, size, n); err != nil {
		return nil, err
	}
	if have, err := s.have(ctx, a, hash); err != nil {
		return nil, err
	} else if have { // another attempt got there first
		return &beifen.UploadResult{Hash: hash, Complete: true}, nil
	}
	if parts(size) == 1 {
		return s.storeWhole(ctx, a, hash, size, name, r)
	}
	if err := a.blobs.Put(ctx, a.stageName(hash, n), r, partSize(size, n)); err != nil {
		return nil, fmt.Errorf("stage part %d: %w", n, err)
	}
	got, err := s.UploadedParts(ctx, hash, size)
	if err != nil || len(got) < parts(size) {
		return &beifen.UploadResult{Hash: hash}, err
	}
	return s.assemble(ctx, a, hash, size, name)
}

func checkUpload(hash beifen.BlobKey, size int64, n int) error {
	switch {
	case !hash.Valid():
		return beifen.Errorf(beifen.EINVALID, "Not a SHA-256 hash: %q.", hash)
	case size < 0:
		return beifen.Errorf(beifen.EINVALID, "File size must not be negative.")
	case size > MaxFileSize:
		return beifen.Errorf(beifen.ETOOLARGE, "File is larger than the limit of %d GiB.", MaxFileSize>>30)
	case n < 0 || n >= parts(size):
		return beifen.Errorf(beifen.EINVALID, "Part %d is out of range for a file of %d bytes.", n, size)
	}
	return nil
}

// storeWhole takes a file sent in one request. A plain file streams straight into its blob; an
// export is staged first, because it is read only once its hash has been checked.
func (s *Service) storeWhole(ctx context.Context, a *account, hash beifen.BlobKey, size int64, name string, r io.Reader) (*beifen.UploadResult, error) {
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	format := sniff(name, head)
	if format == beifen.FormatFile {
		if err := s.putBlob(ctx, a, hash, newHashingReader(br, hash, size), size); err != nil {
			return nil, err
		}
		return &beifen.UploadResult{Hash: hash, Complete: true, Format: format}, nil
	}
	if format != beifen.FormatSMSIEArchive {
		// Stream formats are read straight from the request. The hash is checked at the end of
		// the stream; a mismatch fails the read before the source is recorded, and the records
		// read so far are only orphans that no snapshot refers to.
		return s.ingest(ctx, a, hash, name, format, newHashingReader(br, hash, size), nil, size)
	}
	stage := a.stageName(hash, 0)
	if err := a.blobs.Put(ctx, stage, newHashingReader(br, hash, size), size); err != nil {
		return nil, err
	}
	defer s.Blobs.Delete(context.WithoutCancel(ctx), stage)
	return s.ingest(ctx, a, hash, name, format, nil, &stagedFile{ctx: ctx, a: a, hash: hash, size: size}, size)
}

// assemble checks and stores or reads a file whose parts have all arrived, then drops the parts.
func (s *Service) assemble(ctx context.Context, a *account, hash beifen.BlobKey, size int64, name string) (*beifen.UploadResult, error) {
	f := &stagedFile{ctx: ctx, a: a, hash: hash, size: size}
	defer f.remove(context.WithoutCancel(ctx), s.Blobs)
	head := make([]byte, min(sniffSize, size))
	if _, err := f.ReadAt(head, 0); err != nil {
		return nil, err
	}
	format := sniff(name, head)
	whole := newHashingReader(io.NewSectionReader(f, 0, size), hash, size)
	switch format {
	case beifen.FormatFile:
		if err := s.putBlob(ctx, a, hash, whole, size); err != nil {
			return nil, err
		}
		return &beifen.UploadResult{Hash: hash, Complete: true, Format: format}, nil
	case beifen.FormatSMSIEArchive:
		if _, err := io.Copy(io.Discard, whole); err != nil { // an archive is read only once checked
			return nil, err
		}
		return s.ingest(ctx, a, hash, name, format, nil, f, size)
	}
	return s.ingest(ctx, a, hash, name, format, whole, nil, size)
}

// putBlob stores content under its name and queues its registration, which the commit waits
// for (see groupWriter).
func (s *Service) putBlob(ctx context.Context, a *account, hash beifen.BlobKey, r io.Reader, size int64) error {
	if err := a.blobs.Put(ctx, a.blobName(hash), r, size); err != nil {
		return err
	}
	s.writer.addBlob(ctx, s, a.id, &beifen.BlobEntry{Name: a.blobName(hash), Size: size})
	return nil
}
