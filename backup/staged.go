package backup

import (
	"context"
	"fmt"
	"io"

	"github.com/beifen/beifen"
)

// stagedFile reads an uploaded file back from its encrypted staged parts, at any offset (zip
// archives are read from the end). It keeps the last reader open so that sequential reads cost
// one open per part.
type stagedFile struct {
	ctx  context.Context
	a    *account
	hash beifen.BlobKey
	size int64

	part int
	off  int64 // offset of rc within the whole file
	rc   io.ReadCloser
}

var _ io.ReaderAt = (*stagedFile)(nil)

// ReadAt implements io.ReaderAt. It is not safe for concurrent use.
func (f *stagedFile) ReadAt(p []byte, off int64) (int, error) {
	n := 0
	for n < len(p) {
		if off+int64(n) >= f.size {
			return n, io.EOF
		}
		m, err := f.readSome(p[n:], off+int64(n))
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func (f *stagedFile) readSome(p []byte, off int64) (int, error) {
	part := int(off / beifen.UploadPartSize)
	if parts(f.size) == 1 {
		part = 0
	}
	if f.rc == nil || f.part != part || f.off != off {
		if err := f.open(part, off); err != nil {
			return 0, err
		}
	}
	end := int64(part+1) * beifen.UploadPartSize
	if parts(f.size) == 1 {
		end = f.size
	}
	n, err := f.rc.Read(p[:min(int64(len(p)), end-off)])
	f.off += int64(n)
	if err == io.EOF {
		f.closeReader()
		if n > 0 {
			err = nil
		} else {
			err = fmt.Errorf("read staged part %d: unexpected end", part)
		}
	}
	return n, err
}

func (f *stagedFile) open(part int, off int64) error {
	f.closeReader()
	start := off - int64(part)*beifen.UploadPartSize
	rc, err := f.a.blobs.OpenRange(f.ctx, f.a.stageName(f.hash, part), start, -1)
	if err != nil {
		return fmt.Errorf("open staged part %d: %w", part, err)
	}
	f.rc, f.part, f.off = rc, part, off
	return nil
}

func (f *stagedFile) closeReader() {
	if f.rc != nil {
		f.rc.Close()
		f.rc = nil
	}
}

// remove deletes every staged part.
func (f *stagedFile) remove(ctx context.Context, base beifen.BlobStore) {
	f.closeReader()
	for i := 0; i < parts(f.size); i++ {
		base.Delete(ctx, f.a.stageName(f.hash, i))
	}
}
