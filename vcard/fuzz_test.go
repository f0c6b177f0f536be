package vcard_test

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzReader checks that the Reader never panics or hangs, and that every card it reads
// comes back with the same properties after Write and Read.
func FuzzReader(f *testing.F) {
	for _, name := range fixtures {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"BEGIN:VCARD\r\nVERSION:2.1\r\nNOTE;ENCODING=QUOTED-PRINTABLE:a=\r\n=0D=0Ab;c\\,d\\\r\nEND:VCARD\r\n",
		"BEGIN:VCARD\nPHOTO:data:image/png;base64,iVBORw0KGgo=\nTEL;VALUE=uri:tel:+1\nEND:VCARD",
		"BEGIN:VCARD\nBEGIN:VCARD\nX-A;\"a:b\";=:c\nEND:VCARD\nitem1.N;CELL;type=\"x,y\":1\\;2\n",
		"\xff\xfeB\x00E\x00G\x00I\x00N\x00:\x00V\x00C\x00A\x00R\x00D\x00\n\x00",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res := readAll(t, data, "fuzz.vcf")
		for _, c := range res.cards {
			checkRoundTrip(t, c)
		}
		if len(res.cards) > 0 {
			checkWellFormed(t, writeAll(t, res.cards))
		}
	})
}
