package leadfile_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/beifen/beifen"
)

// FuzzDecode checks that Decode never panics or hangs on any input, that it fails only with
// an application error (or the xlsx hand-off), and that every row it gives is UTF-8 text
// with a positive Row and no blank phone.
func FuzzDecode(f *testing.F) {
	vcf, err := os.ReadFile(filepath.Join("testdata", "android21.vcf"))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{leadsTXT, leadsCSV, string(vcf), "张三\t13800138000\n", "a;b;\"c\n"} {
		f.Add([]byte(s), "leads")
	}
	f.Add(mustDOCX(f, leadsDOCXBody), "leads.docx")
	f.Add([]byte(leadsCSV), "leads.csv")
	f.Add(ole, "leads.doc")
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		rows, err := decode(data, name)
		if err != nil && beifen.ErrorCode(err) == beifen.EINTERNAL && !strings.Contains(err.Error(), "package xlsx") {
			t.Fatalf("Decode: %v", err)
		}
		for _, r := range rows {
			checkFuzzRow(t, r)
		}
	})
}

func checkFuzzRow(t *testing.T, r beifen.LeadRow) {
	if r.Row < 1 {
		t.Fatalf("Row=%d, want >= 1", r.Row)
	}
	for _, s := range append([]string{r.Name, r.Company, r.Note}, r.Phones...) {
		if !utf8.ValidString(s) {
			t.Fatalf("field %q is not UTF-8", s)
		}
	}
	for _, p := range r.Phones {
		if strings.TrimSpace(p) == "" {
			t.Fatalf("blank phone in %s", js(r))
		}
	}
}
