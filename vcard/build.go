package vcard

import (
	"strings"
	"unicode/utf8"

	"github.com/beifen/beifen"
)

// buildContact decodes the raw properties of a card into 3.0 form. Values are read as 2.1
// when the card's first VERSION says so, else as 3.0 (also without VERSION: 3.0 escapes do
// less harm when the guess is wrong). VERSION comes first and says 3.0, the form of every
// value now, so the card reads back the same after Writer.Write.
func buildContact(c *card) *beifen.Contact {
	v21 := c.v21
	props := make([]beifen.ContactProp, 1, len(c.props)+1)
	props[0] = beifen.ContactProp{Name: "VERSION", Value: "3.0"}
	values, start := string(c.values), 0 // one string for all the values
	for i := range c.props {
		rp := &c.props[i]
		if rp.hdr.name != "VERSION" {
			props = append(props, buildProp(&rp.hdr, values[start:rp.end], v21))
		}
		start = rp.end
	}
	return &beifen.Contact{Props: props}
}

// buildProp decodes one property: charset, then escapes (Reader.add decoded quoted-printable
// already); base64 is normalised. CHARSET and the transfer encodings are dropped once applied.
func buildProp(hdr *header, raw string, v21 bool) beifen.ContactProp {
	p := beifen.ContactProp{Group: hdr.group, Name: hdr.name, Params: hdr.params}
	charset, _ := paramValue(p.Params, "CHARSET")
	enc := hdr.encoding()
	cleanParams(p.Params, charset)
	p.Params = dropParams(p.Params, isTransportParam)
	if enc == "B" || enc == "BASE64" {
		fixBinary(&p, raw)
		return p
	}
	text := toUTF8(raw, charset)
	if v21 {
		p.Value = escape21(text, kindOf(p.Name))
	} else {
		p.Value = escapeNewlines(text)
	}
	fixValue(&p)
	if isImage(p.Name) {
		fixImage(&p)
	}
	return p
}

// isTransportParam reports the parameters that only say how the bytes were carried.
func isTransportParam(p beifen.Param) bool {
	switch p.Name {
	case "CHARSET":
		return true
	case "ENCODING":
		switch upperASCII(p.Value) {
		case "QUOTED-PRINTABLE", "7BIT", "8BIT":
			return true
		}
	}
	return false
}

// cleanParams makes parameter values valid UTF-8 that the Writer can write as they are.
func cleanParams(ps []beifen.Param, charset string) {
	for i := range ps {
		v := ps[i].Value
		if !utf8.ValidString(v) {
			v = toUTF8(v, charset)
		}
		ps[i].Value = cleanParamValue(v)
	}
}

// cleanParamValue drops what a 3.0 parameter value cannot hold (double quotes, line breaks)
// and trims it, as the header parser does on the way back.
func cleanParamValue(v string) string {
	if strings.ContainsAny(v, "\"\r\n") {
		v = strings.NewReplacer(`"`, "", "\r", " ", "\n", " ").Replace(v)
	}
	return strings.TrimSpace(v)
}
