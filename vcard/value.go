package vcard

import (
	"strings"

	"github.com/beifen/beifen"
)

// valueKind says how a 2.1 value maps to 3.0 escaping.
type valueKind int

const (
	kindText       valueKind = iota // FN, NOTE, TITLE: ";" and "," are literal
	kindStructured                  // N, ADR, ORG, X-*: ";" separates components
	kindList                        // CATEGORIES, NICKNAME: "," separates items
	kindRaw                         // TEL, EMAIL, URL, dates, URIs: no text escaping at all
)

var valueKinds = map[string]valueKind{
	"N": kindStructured, "ADR": kindStructured, "ORG": kindStructured, "GENDER": kindStructured,
	"CLIENTPIDMAP": kindStructured, "SOUND": kindStructured,
	"CATEGORIES": kindList, "NICKNAME": kindList,
	"TEL": kindRaw, "EMAIL": kindRaw, "URL": kindRaw, "BDAY": kindRaw, "ANNIVERSARY": kindRaw,
	"REV": kindRaw, "UID": kindRaw, "TZ": kindRaw, "GEO": kindRaw, "KEY": kindRaw,
	"PHOTO": kindRaw, "LOGO": kindRaw, "IMPP": kindRaw, "SOURCE": kindRaw, "FBURL": kindRaw,
	"CALURI": kindRaw, "CALADRURI": kindRaw, "MEMBER": kindRaw, "RELATED": kindRaw,
	"AGENT": kindRaw,
}

// escape21Chars lists, per kind, the bytes escape21 changes.
var escape21Chars = [...]string{
	kindText:       "\\;,\r\n",
	kindStructured: "\\,\r\n",
	kindList:       "\\;\r\n",
}

func kindOf(name string) valueKind {
	if k, ok := valueKinds[name]; ok {
		return k
	}
	if strings.HasPrefix(name, "X-") {
		return kindStructured // X-ANDROID-CUSTOM and friends use ";" between fields
	}
	return kindText
}

// escape21 turns a decoded 2.1 value into 3.0 escaped form. 2.1 escapes only "\;" (and, as
// Android reads it, "\\", "\:" and "\,"); a backslash before anything else is literal.
func escape21(s string, k valueKind) string {
	if k == kindRaw {
		return escapeNewlines(s)
	}
	if !strings.ContainsAny(s, escape21Chars[k]) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			i += escapeBackslash(&b, s, i)
		case ';':
			writeSep(&b, c, k == kindStructured)
		case ',':
			writeSep(&b, c, k == kindList)
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			b.WriteString(`\n`)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// writeSep writes c as a separator when it is one for this kind, else escaped as a literal.
func writeSep(b *strings.Builder, c byte, isSep bool) {
	if !isSep {
		b.WriteByte('\\')
	}
	b.WriteByte(c)
}

// escapeBackslash writes the 3.0 form of the 2.1 escape at s[i] and returns how many bytes
// after the backslash it used.
func escapeBackslash(b *strings.Builder, s string, i int) int {
	if i+1 < len(s) {
		switch s[i+1] {
		case ';', ',', '\\':
			b.WriteByte('\\')
			b.WriteByte(s[i+1])
			return 1
		case ':':
			b.WriteByte(':')
			return 1
		}
	}
	b.WriteString(`\\`)
	return 0
}

// escapeNewlines replaces raw line breaks (from quoted-printable or a stray CR) by "\n".
func escapeNewlines(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.ReplaceAll(s, "\n", `\n`)
}

// fixValue applies the per-property repairs: a 4.0 tel: URI becomes a plain number, and
// trailing junk after a date ("1990-01-01;") goes.
func fixValue(p *beifen.ContactProp) {
	switch p.Name {
	case "TEL":
		v, _ := paramValue(p.Params, "VALUE")
		if strings.EqualFold(v, "uri") && hasPrefixFold(p.Value, "tel:") {
			p.Value = p.Value[len("tel:"):]
			p.Params = dropParams(p.Params, func(q beifen.Param) bool { return q.Name == "VALUE" })
		}
	case "BDAY", "ANNIVERSARY":
		p.Value = strings.TrimRight(p.Value, "; \t")
	}
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
