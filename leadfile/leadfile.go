package leadfile

import (
	"bufio"
	"fmt"
	"io"

	"github.com/beifen/beifen"
)

// Decode reads a lead file of any format but spreadsheets, calling fn with each row in file
// order; name is the file's name, used by Sniff and in error messages (it may be empty for
// pasted text). It returns:
//   - EINVALID for a legacy .doc or .xls file, asking for .docx or .xlsx, and for a damaged
//     or unknown zip file;
//   - ETOOLARGE or EINVALID for a .docx holding an oversized or over-packed member, or for a
//     line over MaxLine bytes;
//   - a plain error for an .xlsx file, which the caller must send to xlsx.DecodeLeads;
//   - the first error of fn, as it is.
//
// A reader that is also an io.ReaderAt and io.Seeker (an *os.File) is read in place when it
// holds a .docx; from another reader, a .docx is read into memory up to MaxZip bytes.
func Decode(r io.Reader, name string, fn func(*beifen.LeadRow) error) error {
	start, size := seekable(r)
	br := bufio.NewReaderSize(r, sampleLen)
	head, _ := br.Peek(SniffLen)
	switch f := Sniff(head, name); f {
	case FormatTXT:
		text, _ := decodeBOM(br)
		return decodeLines(text, name, fn)
	case FormatCSV:
		return decodeCSV(br, name, fn)
	case FormatVCF:
		return decodeVCF(br, name, fn)
	case FormatDOCX:
		return readDOCX(r, br, start, size, name, fn)
	case FormatDOC:
		return beifen.Errorf(beifen.EINVALID, "%s is an old Word document (.doc). Open it in Word or WPS, save it as .docx, and import that file.", name)
	case FormatXLS:
		return beifen.Errorf(beifen.EINVALID, "%s is an old Excel workbook (.xls). Open it in Excel or WPS, save it as .xlsx, and import that file.", name)
	default:
		return fmt.Errorf("decode leads %s: %s is read by package xlsx", name, f)
	}
}

// readDOCX reads a .docx from r in place when start >= 0, else from br into memory.
func readDOCX(r io.Reader, br *bufio.Reader, start, size int64, name string, fn func(*beifen.LeadRow) error) error {
	src := io.Reader(br)
	if start >= 0 {
		src = r
	}
	zr, err := openZip(src, start, size, name)
	if err != nil {
		return err
	}
	rc, err := openMember(zr, "word/document.xml", name)
	if err != nil {
		return err
	}
	defer rc.Close()
	return decodeDOCX(rc, name, fn)
}

// seekable returns the position of r and the bytes left from there when r is an
// io.ReaderAt and io.Seeker, else -1, -1.
func seekable(r io.Reader) (start, size int64) {
	s, ok := r.(interface {
		io.ReaderAt
		io.Seeker
	})
	if !ok {
		return -1, -1
	}
	start, err := s.Seek(0, io.SeekCurrent)
	if err != nil {
		return -1, -1
	}
	end, err := s.Seek(0, io.SeekEnd)
	if err != nil {
		return -1, -1
	}
	if _, err := s.Seek(start, io.SeekStart); err != nil {
		return -1, -1
	}
	return start, end - start
}
