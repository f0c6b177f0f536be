package genexport

import (
	"bufio"
	"encoding/base64"
	"math/rand/v2"
	"strings"
)

// writeContacts writes contacts.vcf the way Android's contacts app exports it: vCard 2.1 with
// CRLF line ends, UTF-8 text in quoted-printable, and photos in folded base64 (AOSP VCardBuilder).
func (g *gen) writeContacts() error {
	t, err := g.create("contacts.vcf")
	if err != nil {
		return err
	}
	r := g.rng(streamContacts)
	for _, p := range g.people {
		writeAndroidCard(t.Writer, r, p)
	}
	g.stats.Contacts += len(g.people)
	return g.finish(t, exportTime)
}

func writeAndroidCard(w *bufio.Writer, r *rand.Rand, p *person) {
	w.WriteString("BEGIN:VCARD\r\nVERSION:2.1\r\n")
	qpProp(w, "N", qp(p.family)+";"+qp(p.given)+";;;")
	qpProp(w, "FN", qp(p.name()))
	if r.IntN(2) == 0 {
		prop(w, "X-PHONETIC-FIRST-NAME", p.givenPY)
		prop(w, "X-PHONETIC-LAST-NAME", p.familyPY)
	}
	if p.nick != "" {
		// AOSP encodes every data column, even the type "1", and never the MIME type.
		qpProp(w, "X-ANDROID-CUSTOM", "vnd.android.cursor.item/nickname;"+qp(p.nick)+";"+qp("1")+strings.Repeat(";", 13))
	}
	for _, ph := range p.phones {
		prop(w, "TEL;"+ph.kind, ph.typed)
	}
	if p.email != "" {
		prop(w, "EMAIL;"+pick(r, []string{"HOME", "WORK"}), p.email)
	}
	if p.org != "" {
		qpProp(w, "ORG", qp(p.org))
		qpProp(w, "TITLE", qp(p.title))
	}
	if p.photo {
		androidPhoto(w, smallJPEG(r))
	}
	if p.note != "" {
		qpProp(w, "NOTE", qp(strings.ReplaceAll(p.note, "\n", "\r\n")))
	}
	if p.birthday != "" {
		prop(w, "BDAY", p.birthday)
	}
	w.WriteString("END:VCARD\r\n")
}

func prop(w *bufio.Writer, name, value string) {
	w.WriteString(name)
	w.WriteByte(':')
	w.WriteString(value)
	w.WriteString("\r\n")
}

func qpProp(w *bufio.Writer, name, encoded string) {
	prop(w, name+";CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE", encoded)
}

// qp encodes s as AOSP's encodeQuotedPrintable does: every byte as =XX, and a soft line break
// ("=" CRLF, next line without a leading space) after every 23 bytes, even at the very end.
func qp(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) * 4)
	n := 0
	for i := 0; i < len(s); i++ {
		b.WriteByte('=')
		b.WriteByte(hex[s[i]>>4])
		b.WriteByte(hex[s[i]&15])
		if n += 3; n >= 67 {
			b.WriteString("=\r\n")
			n = 0
		}
	}
	return b.String()
}

// androidPhoto writes a vCard 2.1 PHOTO as AOSP appendPhotoLine does: a 74-character first line,
// continuation lines of a space and 73 characters, then an empty line.
func androidPhoto(w *bufio.Writer, jpeg []byte) {
	s := "PHOTO;ENCODING=BASE64;JPEG:" + base64.StdEncoding.EncodeToString(jpeg)
	limit, n := 73, 0
	for i := 0; i < len(s); i++ {
		w.WriteByte(s[i])
		if n++; n > limit {
			w.WriteString("\r\n ")
			limit, n = 72, 0
		}
	}
	w.WriteString("\r\n\r\n")
}
