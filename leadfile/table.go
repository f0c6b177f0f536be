package leadfile

import (
	"slices"
	"strings"

	"github.com/beifen/beifen"
)

// HeaderScan is how many leading non-blank rows a table is searched for its header row.
const HeaderScan = 10

// Table turns the rows of a sheet, a CSV file or a Word table into lead rows. It looks for a
// header row (see ParseHeader) among the first HeaderScan non-blank rows: rows above it are
// titles and are dropped, rows below are mapped by it. With no header there, every row is
// read on its own: each cell that looks like phone numbers is a phone cell, the first text
// cell is Name and the other text cells are Note.
type Table struct {
	sheet   string
	fn      func(*beifen.LeadRow) error
	head    *Header
	decided bool
	pending []pendingRow
}

type pendingRow struct {
	row   int
	cells []string
}

// NewTable returns a Table that calls fn with each lead row; sheet goes into LeadRow.Sheet.
func NewTable(sheet string, fn func(*beifen.LeadRow) error) *Table {
	return &Table{sheet: sheet, fn: fn}
}

// Add reads the cells of row (its 1-based number in the file or sheet). Blank rows are
// skipped. Add copies the cells it keeps while it looks for the header, so the caller may
// reuse the slice. It returns the error of fn.
func (t *Table) Add(row int, cells []string) error {
	if blankCells(cells) {
		return nil
	}
	if t.decided {
		return t.emit(row, cells)
	}
	if h, ok := ParseHeader(cells); ok {
		t.head, t.decided, t.pending = &h, true, nil
		return nil
	}
	t.pending = append(t.pending, pendingRow{row, slices.Clone(cells)})
	if len(t.pending) == HeaderScan {
		return t.Flush()
	}
	return nil
}

// Flush reads the rows kept while looking for a header, as rows of a table without one.
// Call it after the last Add.
func (t *Table) Flush() error {
	t.decided = true
	for _, p := range t.pending {
		if err := t.emit(p.row, p.cells); err != nil {
			return err
		}
	}
	t.pending = nil
	return nil
}

func (t *Table) emit(row int, cells []string) error {
	var lr beifen.LeadRow
	if t.head != nil {
		lr = t.head.Row(cells)
	} else {
		lr = headless(cells)
	}
	lr.Sheet, lr.Row = t.sheet, row
	return t.fn(&lr)
}

// Row maps the cells of one data row by h. Raw is the cells joined by tabs.
func (h *Header) Row(cells []string) beifen.LeadRow {
	lr := beifen.LeadRow{
		Name:    join(cells, h.Name),
		Company: join(cells, h.Company),
		Note:    join(cells, h.Note),
		Raw:     strings.Join(cells, "\t"),
	}
	for _, i := range h.Phone {
		if i < len(cells) {
			lr.Phones = append(lr.Phones, SplitPhones(cells[i])...)
		}
	}
	return lr
}

// join returns the non-empty cells at idx, trimmed and joined by a space.
func join(cells []string, idx []int) string {
	var parts []string
	for _, i := range idx {
		if i < len(cells) {
			if c := strings.TrimSpace(cells[i]); c != "" {
				parts = append(parts, c)
			}
		}
	}
	return strings.Join(parts, " ")
}

// headless reads a row of a table without a header.
func headless(cells []string) beifen.LeadRow {
	lr := beifen.LeadRow{Raw: strings.Join(cells, "\t")}
	var notes []string
	for _, c := range cells {
		c = strings.TrimSpace(c)
		switch {
		case c == "":
		case looksLikePhone(c):
			lr.Phones = append(lr.Phones, SplitPhones(c)...)
		default:
			text := textOf(c, &lr.Phones)
			if lr.Name == "" {
				lr.Name = text
			} else if text != "" {
				notes = append(notes, text)
			}
		}
	}
	lr.Note = strings.Join(notes, " ")
	return lr
}

// textOf returns the text of a cell without the numbers in it, which it adds to phones.
func textOf(c string, phones *[]string) string {
	var b strings.Builder
	last := 0
	for _, s := range findPhones(c) {
		b.WriteString(c[last:s.start] + " ")
		*phones = append(*phones, c[s.start:s.end])
		last = s.end
	}
	b.WriteString(c[last:])
	return strings.Join(strings.Fields(b.String()), " ")
}

func blankCells(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
