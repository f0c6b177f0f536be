package xlsx

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Sheet is one sheet of a report: a header row and rows streamed by Rows, which calls add for
// each row. Cells are strings, ints or float64s; numbers stay numbers in the spreadsheet.
type Sheet struct {
	Name   string
	Header []string
	Rows   func(add func(cells []any) error) error
}

// WriteReport writes sheets as an .xlsx workbook, streaming each sheet's rows (excelize's
// StreamWriter), so a million rows take little memory. Rows past excelize's in-memory chunk
// are buffered in temporary files in tmpDir (see SweepTempDir; "" means the system's).
func WriteReport(w io.Writer, tmpDir string, sheets ...Sheet) error {
	f := excelize.NewFile(excelize.Options{TmpDir: tmpDir})
	defer f.Close()
	for i, sh := range sheets {
		if err := writeSheet(f, i, sh); err != nil {
			return fmt.Errorf("sheet %s: %w", sh.Name, err)
		}
	}
	_, err := f.WriteTo(w)
	return err
}

func writeSheet(f *excelize.File, i int, sh Sheet) error {
	if i == 0 {
		if err := f.SetSheetName("Sheet1", sh.Name); err != nil {
			return err
		}
	} else if _, err := f.NewSheet(sh.Name); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sh.Name)
	if err != nil {
		return err
	}
	header := make([]any, len(sh.Header))
	for j, h := range sh.Header {
		header[j] = h
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	n := 1
	err = sh.Rows(func(cells []any) error {
		n++
		cell, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, cells)
	})
	if err != nil {
		return err
	}
	return sw.Flush()
}
