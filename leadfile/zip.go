package leadfile

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"

	"github.com/beifen/beifen"
)

// Limits on zip files (.docx). A member is read only if it unpacks to at most MaxMember
// bytes and, when over 1 MiB, at most MaxRatio times its packed size: real Office XML packs
// 5 to 20 times, zip bombs thousands of times.
const (
	MaxMember = 256 << 20
	MaxRatio  = 200
	MaxZip    = 128 << 20 // a .docx held in memory when the reader cannot seek
)

// CheckMember returns ETOOLARGE for a zip member that unpacks to more than max bytes and
// EINVALID for one packed more than MaxRatio to 1; name is the file's name, for the message.
func CheckMember(f *zip.File, name string, max int64) error {
	size, packed := f.UncompressedSize64, f.CompressedSize64
	switch {
	case size > uint64(max):
		return beifen.Errorf(beifen.ETOOLARGE, "%s is too large once unpacked (over %d MiB).", name, max>>20)
	case size > 1<<20 && size > MaxRatio*packed:
		return beifen.Errorf(beifen.EINVALID, "%s is packed over %d:1, like a zip bomb, and was refused.", name, MaxRatio)
	}
	return nil
}

// openZip returns r as a zip archive. A reader that can seek (a file) is read in place;
// another is read into memory, up to MaxZip bytes. start and size are -1 when r cannot seek.
func openZip(r io.Reader, start, size int64, name string) (*zip.Reader, error) {
	ra, ok := r.(io.ReaderAt)
	if !ok || start < 0 {
		b, err := io.ReadAll(io.LimitReader(r, MaxZip+1))
		if err != nil {
			return nil, readError(name, err)
		}
		if len(b) > MaxZip {
			return nil, beifen.Errorf(beifen.ETOOLARGE, "%s is larger than %d MiB.", name, MaxZip>>20)
		}
		ra, start, size = bytes.NewReader(b), 0, int64(len(b))
	}
	zr, err := zip.NewReader(io.NewSectionReader(ra, start, size), size)
	if err != nil {
		return nil, beifen.Errorf(beifen.EINVALID, "%s is not a readable .docx file (damaged zip).", name)
	}
	return zr, nil
}

// openMember opens the member called want (matched by name only: member names are never
// used as paths), checked by CheckMember, reading at most MaxMember bytes.
func openMember(zr *zip.Reader, want, name string) (io.ReadCloser, error) {
	for _, f := range zr.File {
		if !strings.EqualFold(strings.ReplaceAll(f.Name, `\`, "/"), want) {
			continue
		}
		if err := CheckMember(f, name, MaxMember); err != nil {
			return nil, err
		}
		rc, err := f.Open()
		if err != nil {
			return nil, beifen.Errorf(beifen.EINVALID, "%s is not a readable .docx file (damaged zip).", name)
		}
		return struct {
			io.Reader
			io.Closer
		}{io.LimitReader(rc, MaxMember), rc}, nil
	}
	return nil, beifen.Errorf(beifen.EINVALID, "%s is a zip file but not a Word document (.docx).", name)
}
