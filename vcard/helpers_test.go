package vcard_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/vcard"
)

// result is what reading a file gave: the cards and the parse errors, in order.
type result struct {
	cards []*beifen.Contact
	errs  []*beifen.ParseError
}

// readAll reads every card of data, failing the test on any error but a ParseError.
func readAll(tb testing.TB, data []byte, name string) result {
	tb.Helper()
	var res result
	r := vcard.NewReader(strings.NewReader(string(data)), name)
	for {
		c, err := r.Read()
		var pe *beifen.ParseError
		switch {
		case errors.Is(err, io.EOF):
			return res
		case errors.As(err, &pe):
			res.errs = append(res.errs, pe)
		case err != nil:
			tb.Fatalf("Read: %v", err)
		default:
			res.cards = append(res.cards, c)
		}
	}
}

// mustReadFixture reads testdata/name.
func mustReadFixture(tb testing.TB, name string) ([]byte, result) {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return data, readAll(tb, data, name)
}

// writeAll writes cards with a Writer and returns the output.
func writeAll(tb testing.TB, cards []*beifen.Contact) []byte {
	tb.Helper()
	var b strings.Builder
	w := vcard.NewWriter(&b)
	for _, c := range cards {
		if err := w.Write(c); err != nil {
			tb.Fatalf("Write: %v", err)
		}
	}
	return []byte(b.String())
}

// checkRoundTrip writes c and reads it back, which must give the same properties.
func checkRoundTrip(tb testing.TB, c *beifen.Contact) {
	tb.Helper()
	out := writeAll(tb, []*beifen.Contact{c})
	res := readAll(tb, out, "roundtrip.vcf")
	if len(res.cards) != 1 || len(res.errs) != 0 {
		tb.Fatalf("read back %d cards, %d errors, want 1 card\n%s", len(res.cards), len(res.errs), out)
	}
	if got := res.cards[0].Props; !reflect.DeepEqual(got, c.Props) {
		tb.Fatalf("round trip:\ngot  %q\nwant %q\nwritten:\n%s", got, c.Props, out)
	}
}

// findProp returns the first property called name (with group, if given as "group.NAME").
func findProp(tb testing.TB, c *beifen.Contact, name string) beifen.ContactProp {
	tb.Helper()
	ps := findProps(c, name)
	if len(ps) == 0 {
		tb.Fatalf("no %s in %q", name, c.Props)
	}
	return ps[0]
}

func findProps(c *beifen.Contact, name string) []beifen.ContactProp {
	group, n, ok := strings.Cut(name, ".")
	if !ok {
		group, n = "", name
	}
	var out []beifen.ContactProp
	for _, p := range c.Props {
		if p.Name == n && (!ok || p.Group == group) {
			out = append(out, p)
		}
	}
	return out
}

func param(p beifen.ContactProp, name string) string {
	for _, pr := range p.Params {
		if pr.Name == name {
			return pr.Value
		}
	}
	return ""
}
