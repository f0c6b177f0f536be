package vcard

// Common names and parameter values are shared strings, so reading a large address book
// does not allocate one per line.
var (
	names = internTable(
		"BEGIN", "END", "VERSION", "PRODID", "REV", "UID", "N", "FN", "NICKNAME", "TEL", "EMAIL",
		"ADR", "LABEL", "ORG", "TITLE", "ROLE", "NOTE", "URL", "BDAY", "ANNIVERSARY", "PHOTO",
		"LOGO", "SOUND", "CATEGORIES", "IMPP", "GEO", "TZ", "KEY", "KIND", "GENDER",
		"X-ANDROID-CUSTOM", "X-PHONETIC-FIRST-NAME", "X-PHONETIC-MIDDLE-NAME",
		"X-PHONETIC-LAST-NAME", "X-QQ", "X-ABLABEL", "X-ABADR", "X-ABDATE", "X-ABRELATEDNAMES",
		"TYPE", "CHARSET", "ENCODING", "VALUE", "PREF", "MEDIATYPE",
	)
	values = internTable(
		"CELL", "HOME", "WORK", "VOICE", "FAX", "PREF", "pref", "INTERNET", "OTHER", "MAIN",
		"cell", "home", "work", "voice", "fax", "internet", "other",
		"UTF-8", "QUOTED-PRINTABLE", "BASE64", "B", "b", "JPEG", "PNG", "date", "uri",
	)
)

// internTable maps each string to itself.
func internTable(ss ...string) map[string]string {
	m := make(map[string]string, 2*len(ss))
	for _, s := range ss {
		m[s] = s
	}
	return m
}

// intern returns b upper-cased (ASCII), shared when it is a common name.
func intern(b []byte) string {
	if s, ok := names[string(b)]; ok {
		return s
	}
	return upperASCII(string(b))
}

// internValue returns b as a string, shared when it is a common parameter value.
func internValue(b []byte) string {
	if s, ok := values[string(b)]; ok {
		return s
	}
	return string(b)
}
