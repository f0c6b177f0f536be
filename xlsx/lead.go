package xlsx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/leadfile"
	"github.com/xuri/excelize/v2"
)

// Limits on a workbook. A sheet of a million leads is about 300 MiB of XML, which excelize
// unpacks to a temporary file rather than memory.
const (
	MaxFile   = 512 << 20 // the .xlsx file itself
	MaxMember = 2 << 30   // one unpacked part (a sheet)
	MaxTotal  = 4 << 30   // all parts together
)

// DecodeLeads reads every sheet of an .xlsx workbook, in order, calling fn with each lead row
// (see leadfile.Table for how columns are found). It reads each sheet with excelize's Rows
// iterator and raw cell values, so a number shown as 1.38001E+10 comes out as 13800138000.
// It returns EINVALID for a legacy .xls file, for a file that is not an .xlsx, and for a
// part packed over leadfile.MaxRatio to 1; ETOOLARGE past MaxFile, MaxMember or MaxTotal;
// and the first error of fn, as it is. The file is copied to a temporary file in tmpDir (see
// SweepTempDir; "" means the system's) while it is read, and excelize keeps its own
// temporary files there too; all are removed before DecodeLeads returns.
func DecodeLeads(r io.Reader, name, tmpDir string, fn func(*beifen.LeadRow) error) error {
	path, err := spool(r, name, tmpDir)
	if err != nil {
		return err
	}
	defer os.Remove(path)
	if err := check(path, name); err != nil {
		return err
	}
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: MaxTotal, TmpDir: tmpDir})
	if err != nil {
		return beifen.Errorf(beifen.EINVALID, "%s is not a readable .xlsx file.", name)
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		if err := decodeSheet(f, sheet, name, fn); err != nil {
			return err
		}
	}
	return nil
}

// spool copies r to a temporary file, whose path it returns, so that excelize can read the
// zip in place instead of holding the whole file in memory.
func spool(r io.Reader, name, tmpDir string) (string, error) {
	tmp, err := os.CreateTemp(tmpDir, "beifen-xlsx-*")
	if err != nil {
		return "", fmt.Errorf("spool %s: %w", name, err)
	}
	n, err := io.Copy(tmp, io.LimitReader(r, MaxFile+1))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		os.Remove(tmp.Name())
		return "", fmt.Errorf("spool %s: %w", name, err)
	case n > MaxFile:
		os.Remove(tmp.Name())
		return "", beifen.Errorf(beifen.ETOOLARGE, "%s is larger than %d MiB.", name, MaxFile>>20)
	}
	return tmp.Name(), nil
}

var oleMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}

// check refuses legacy .xls files, files that are not zip archives and zip bombs, before
// excelize unpacks anything.
func check(path, name string) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return notXLSX(path, name)
	}
	defer zr.Close()
	var total uint64
	for _, f := range zr.File {
		if err := leadfile.CheckMember(f, name, MaxMember); err != nil {
			return err
		}
		if total += f.UncompressedSize64; total > MaxTotal {
			return beifen.Errorf(beifen.ETOOLARGE, "%s is too large once unpacked (over %d MiB).", name, MaxTotal>>20)
		}
	}
	return nil
}

func notXLSX(path, name string) error {
	head := make([]byte, len(oleMagic))
	if f, err := os.Open(path); err == nil {
		_, _ = io.ReadFull(f, head)
		f.Close()
	}
	if bytes.Equal(head, oleMagic) {
		return beifen.Errorf(beifen.EINVALID, "%s is an old Excel workbook (.xls). Open it in Excel or WPS, save it as .xlsx, and import that file.", name)
	}
	return beifen.Errorf(beifen.EINVALID, "%s is not an .xlsx file.", name)
}

// rawOpts reads cells as stored: numbers unformatted, so no digit is lost to a format.
var rawOpts = excelize.Options{RawCellValue: true}

// decodeSheet streams one sheet into a leadfile.Table. Row is the row number in the sheet.
func decodeSheet(f *excelize.File, sheet, name string, fn func(*beifen.LeadRow) error) error {
	rows, err := f.Rows(sheet)
	if err != nil {
		return fmt.Errorf("read %s sheet: %w", name, err)
	}
	defer rows.Close()
	t := leadfile.NewTable(sheet, fn)
	for n := 1; rows.Next(); n++ {
		cells, err := rows.Columns(rawOpts)
		if err != nil {
			return beifen.Errorf(beifen.EINVALID, "%s sheet %q row %d cannot be read.", name, sheet, n)
		}
		for i, c := range cells {
			cells[i] = exactNumber(c)
		}
		if err := t.Add(n, cells); err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		return beifen.Errorf(beifen.EINVALID, "%s sheet %q cannot be read.", name, sheet)
	}
	return t.Flush()
}

// floatRE matches numbers stored in scientific or decimal form (1.3800138E10, 13800138000.0).
var floatRE = regexp.MustCompile(`^[0-9]+(?:\.[0-9]+)?[eE]\+?[0-9]+$|^[0-9]+\.0+$`)

// exactNumber writes a whole number stored as 1.3800138E10 or 13800138000.0 with all its
// digits; other values come back as they are.
func exactNumber(s string) string {
	if len(s) == 0 || s[0] < '0' || s[0] > '9' || !strings.ContainsAny(s, ".eE") || !floatRE.MatchString(s) {
		return s
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v != float64(int64(v)) || v >= 1e16 {
		return s
	}
	return strconv.FormatInt(int64(v), 10)
}
