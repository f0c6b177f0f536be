package leadfile_test

import (
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"testing"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/leadfile"
	"golang.org/x/text/encoding"
)

// mustDecode decodes data with leadfile.Decode and returns every row.
func mustDecode(tb testing.TB, data []byte, name string) []beifen.LeadRow {
	tb.Helper()
	rows, err := decode(data, name)
	if err != nil {
		tb.Fatalf("Decode(%s): %v", name, err)
	}
	return rows
}

func decode(data []byte, name string) ([]beifen.LeadRow, error) {
	var rows []beifen.LeadRow
	err := leadfile.Decode(bytes.NewReader(data), name, func(r *beifen.LeadRow) error {
		rows = append(rows, *r)
		return nil
	})
	return rows, err
}

// mustEncode encodes UTF-8 text in enc (GBK, UTF-16), as Windows programs save it.
func mustEncode(tb testing.TB, enc encoding.Encoding, s string) []byte {
	tb.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// checkRows compares rows field by field and prints both sides as JSON on a mismatch.
func checkRows(tb testing.TB, got, want []beifen.LeadRow) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Errorf("got %d rows, want %d:\n%s", len(got), len(want), js(got))
	}
	for i := range min(len(got), len(want)) {
		if !reflect.DeepEqual(got[i], want[i]) {
			tb.Errorf("row %d:\n got %s\nwant %s", i, js(got[i]), js(want[i]))
		}
	}
}

func js(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// checkError checks an application error's code and that its message contains part.
func checkError(tb testing.TB, err error, code, part string) {
	tb.Helper()
	if got := beifen.ErrorCode(err); got != code {
		tb.Fatalf("ErrorCode=%q (%v), want %q", got, err, code)
	}
	if msg := beifen.ErrorMessage(err); !bytes.Contains([]byte(msg), []byte(part)) {
		tb.Errorf("ErrorMessage=%q, want it to contain %q", msg, part)
	}
}

// leadfileDecode decodes r into rows, for tests that pass a file rather than bytes.
func leadfileDecode(r io.Reader, name string, rows *[]beifen.LeadRow) error {
	return leadfile.Decode(r, name, func(row *beifen.LeadRow) error {
		*rows = append(*rows, *row)
		return nil
	})
}
