package leadfile

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/vcard"
)

// decodeVCF reads every card of a vCard file: FN (else N) is Name, each TEL is a phone, ORG
// is Company and NOTE is Note. Row is the card's number; a card that cannot be read gives a
// row with no Phones and the reason in Raw.
func decodeVCF(r io.Reader, name string, fn func(*beifen.LeadRow) error) error {
	vr := vcard.NewReader(r, name)
	for n := 1; ; n++ {
		c, err := vr.Read()
		var pe *beifen.ParseError
		var row beifen.LeadRow
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case errors.As(err, &pe):
			row = beifen.LeadRow{Raw: fmt.Sprintf("line %d: %s", pe.Line, pe.Reason)}
		case err != nil:
			return readError(name, err)
		default:
			row = cardRow(c)
		}
		row.Row = n
		if err := fn(&row); err != nil {
			return err
		}
	}
}

// cardRow maps a card to a lead row. Raw is name, numbers, company and note, tab-separated.
func cardRow(c *beifen.Contact) beifen.LeadRow {
	row := beifen.LeadRow{
		Name:    unescape(c.Prop("FN")),
		Company: joinComponents(c.Prop("ORG")),
		Note:    unescape(c.Prop("NOTE")),
	}
	if row.Name == "" {
		row.Name = nameOf(c.Prop("N"))
	}
	for _, tel := range c.PropValues("TEL") {
		if tel = strings.TrimSpace(unescape(tel)); tel != "" {
			row.Phones = append(row.Phones, tel)
		}
	}
	row.Raw = strings.Join([]string{row.Name, strings.Join(row.Phones, " "), row.Company, row.Note}, "\t")
	return row
}

// nameOf builds a name from N (family;given;...): 张三 for Chinese, "John Smith" otherwise.
func nameOf(n string) string {
	parts := splitComponents(n)
	for len(parts) < 2 {
		parts = append(parts, "")
	}
	family, given := parts[0], parts[1]
	if strings.IndexFunc(family+given, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0 {
		return family + given
	}
	return strings.TrimSpace(given + " " + family)
}

// joinComponents joins the non-empty components of a structured value (ORG:公司;部门).
func joinComponents(v string) string {
	var out []string
	for _, p := range splitComponents(v) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}

// splitComponents splits a vCard 3.0 value on unescaped semicolons and unescapes each part.
func splitComponents(v string) []string {
	var parts []string
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		switch {
		case v[i] == '\\' && i+1 < len(v):
			b.WriteString(v[i : i+2])
			i++
		case v[i] == ';':
			parts = append(parts, unescape(b.String()))
			b.Reset()
		default:
			b.WriteByte(v[i])
		}
	}
	return append(parts, unescape(b.String()))
}

// unescape undoes vCard 3.0 text escapes (\n, \, \; \\).
func unescape(v string) string {
	if !strings.Contains(v, `\`) {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] != '\\' || i+1 == len(v) {
			b.WriteByte(v[i])
			continue
		}
		i++
		if v[i] == 'n' || v[i] == 'N' {
			b.WriteByte('\n')
		} else {
			b.WriteByte(v[i])
		}
	}
	return b.String()
}
