package smsie

import (
	"strings"
	"unicode"

	"github.com/beifen/beifen"
)

// escaper writes a text value in vCard 3.0 escaped form.
var escaper = strings.NewReplacer(`\`, `\\`, ",", `\,`, ";", `\;`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)

func esc(s string) string { return escaper.Replace(s) }

// escJoin escapes each component and joins them with ";", as N and ADR are written.
func escJoin(parts ...string) string {
	for i, p := range parts {
		parts[i] = esc(p)
	}
	return strings.Join(parts, ";")
}

// TYPE parameters for Android's type codes (ContactsContract.CommonDataKinds), as Android's
// own vCard composer writes them. Code 0 is a custom label (data3); codes not listed get no TYPE.
var (
	phoneTypes = map[string]string{"1": "HOME", "2": "CELL", "3": "WORK", "4": "WORK,FAX",
		"5": "HOME,FAX", "6": "PAGER", "7": "VOICE", "8": "X-CALLBACK", "9": "CAR",
		"10": "WORK,PREF", "11": "ISDN", "12": "PREF", "13": "FAX", "14": "X-RADIO",
		"15": "X-TELEX", "16": "X-TTY-TDD", "17": "WORK,CELL", "18": "WORK,PAGER",
		"19": "X-ASSISTANT", "20": "MSG"}
	emailTypes  = map[string]string{"1": "HOME", "2": "WORK", "4": "CELL"}
	postalTypes = map[string]string{"1": "HOME", "2": "WORK"}
	imProps     = map[string]string{"0": "X-AIM", "1": "X-MSN", "2": "X-YAHOO",
		"3": "X-SKYPE-USERNAME", "4": "X-QQ", "5": "X-GOOGLE-TALK", "6": "X-ICQ",
		"7": "X-JABBER", "8": "X-NETMEETING"}
)

// typeParams returns the TYPE parameter for a typed row (phone, e-mail, address): the code in
// data2 looked up in table, or "X-<label>" for a custom one, plus PREF for the primary row.
func typeParams(r object, table map[string]string) []beifen.Param {
	var types []string
	code := data(r, 2)
	if t, ok := table[code]; ok {
		types = strings.Split(t, ",")
	} else if label := paramSafe(data(r, 3)); code == "0" && label != "" {
		types = []string{"X-" + label}
	}
	if field(r, "is_primary") == "1" || field(r, "is_super_primary") == "1" {
		if !contains(types, "PREF") {
			types = append(types, "PREF")
		}
	}
	if len(types) == 0 {
		return nil
	}
	return []beifen.Param{{Name: "TYPE", Value: strings.Join(types, ",")}}
}

// paramSafe drops what a parameter value cannot hold unquoted.
func paramSafe(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == ';' || r == ':' || r == ',' || r == '"' || unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// xName turns a custom label into an X- property name, or "" if it has no usable letters.
func xName(label string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(label) {
		switch {
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '-', r == ' ', r == '_':
			b.WriteByte('-')
		default:
			return ""
		}
	}
	if n := strings.Trim(b.String(), "-"); n != "" {
		return "X-" + n
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
