package leadfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/beifen/beifen"
)

// delimiters are the CSV field separators detectDelimiter chooses from, in order of
// preference on a tie.
var delimiters = []rune{',', ';', '\t', '|'}

// csvSampleLines is how many leading lines decide a CSV file's delimiter.
const csvSampleLines = 10

// detectDelimiter returns the delimiter that appears, outside quotes, the same number of
// times or more in every one of the first lines: the one with the highest such minimum, then
// the highest total. With none, it is a comma.
func detectDelimiter(sample []byte) rune {
	counts := countDelimiters(sample)
	best, bestMin, bestSum := ',', 0, 0
	for _, d := range delimiters {
		lo, sum := -1, 0
		for _, c := range counts {
			if lo < 0 || c[d] < lo {
				lo = c[d]
			}
			sum += c[d]
		}
		if lo > bestMin || lo == bestMin && sum > bestSum {
			best, bestMin, bestSum = d, lo, sum
		}
	}
	return best
}

// countDelimiters counts each delimiter, outside quotes, in each non-blank line of sample (a
// quoted field may span lines).
func countDelimiters(sample []byte) []map[rune]int {
	var lines []map[rune]int
	cur, quoted := map[rune]int{}, false
	for _, r := range string(sample) {
		switch {
		case r == '"':
			quoted = !quoted
		case quoted:
		case r == '\n':
			if len(cur) > 0 {
				lines = append(lines, cur)
			}
			if cur = map[rune]int{}; len(lines) == csvSampleLines {
				return lines
			}
		case strings.ContainsRune(",;\t|", r):
			cur[r]++
		}
	}
	if len(cur) > 0 || len(lines) == 0 {
		lines = append(lines, cur)
	}
	return lines
}

// looksCSV reports whether the first line of head is a header row split by a delimiter.
func looksCSV(head []byte) bool {
	text, _ := io.ReadAll(io.LimitReader(decodeText(bufio.NewReader(bytes.NewReader(head))), SniffLen))
	line, _, _ := strings.Cut(strings.TrimLeft(string(text), "\r\n\t "), "\n")
	for _, d := range delimiters {
		if strings.ContainsRune(line, d) {
			if _, ok := ParseHeader(strings.Split(strings.TrimRight(line, "\r"), string(d))); ok {
				return true
			}
		}
	}
	return false
}

// decodeCSV reads a CSV file: encoding as for text, delimiter by detectDelimiter, rows
// through a Table. Row is the line the record starts on.
func decodeCSV(br *bufio.Reader, name string, fn func(*beifen.LeadRow) error) error {
	text := bufio.NewReaderSize(&lineGuard{r: decodeText(br), name: name}, sampleLen)
	sample, _ := text.Peek(sampleLen)
	cr := csv.NewReader(text)
	cr.Comma = detectDelimiter(sample)
	cr.LazyQuotes, cr.FieldsPerRecord, cr.ReuseRecord = true, -1, true
	t := NewTable("", fn)
	for {
		rec, err := cr.Read()
		var pe *csv.ParseError
		switch {
		case errors.Is(err, io.EOF):
			return t.Flush()
		case errors.As(err, &pe):
			return beifen.Errorf(beifen.EINVALID, "%s line %d: malformed CSV.", name, pe.StartLine)
		case err != nil:
			return readError(name, err)
		}
		for i, f := range rec {
			rec[i] = fixText(f)
		}
		line, _ := cr.FieldPos(0)
		if err := t.Add(line, rec); err != nil {
			return err
		}
	}
}

// lineGuard fails a read once MaxLine bytes have passed without a line feed, so that a
// file with no line ends cannot grow a CSV record without bound.
type lineGuard struct {
	r    io.Reader
	name string
	run  int
}

func (g *lineGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	for _, c := range p[:n] {
		if g.run++; c == '\n' {
			g.run = 0
		}
	}
	if g.run > MaxLine {
		return n, beifen.Errorf(beifen.ETOOLARGE, "%s has a line longer than %d bytes.", g.name, MaxLine)
	}
	return n, err
}
