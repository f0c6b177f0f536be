package leadfile_test

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beifen/beifen"
)

const docxNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
	`xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"`

// para returns a w:p holding runs of text; "\n" in a run becomes a w:br, "\t" a w:tab.
func para(runs ...string) string {
	var b strings.Builder
	b.WriteString(`<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>`)
	for _, r := range runs {
		r = strings.NewReplacer("\n", `</w:t><w:br/><w:t>`, "\t", `</w:t><w:tab/><w:t>`).Replace(r)
		b.WriteString(`<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">` + r + `</w:t></w:r>`)
	}
	b.WriteString(`</w:p>`)
	return b.String()
}

// table returns a w:tbl; each cell's paragraphs are separated by "|".
func table(rows ...[]string) string {
	var b strings.Builder
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>`)
	for _, row := range rows {
		b.WriteString(`<w:tr>`)
		for _, cell := range row {
			b.WriteString(`<w:tc><w:tcPr><w:tcW w:w="2000"/></w:tcPr>`)
			for _, p := range strings.Split(cell, "|") {
				b.WriteString(para(p))
			}
			b.WriteString(`</w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl>`)
	return b.String()
}

// mustDOCX zips a document body as Word does: content types, rels, then word/document.xml.
func mustDOCX(tb testing.TB, body string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range []struct{ name, data string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ` + docxNS + `><w:body>` +
			body + `<w:sectPr/></w:body></w:document>`},
	} {
		w, err := zw.Create(m.name)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write([]byte(m.data)); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

var leadsDOCXBody = para("三月展会客户") +
	para("张三 ", "138 0013 8000", " 北京星辰科技 老客户") +
	para("") +
	para("李四 13900139000\n王五 +86 137-0013-7000 要报价") +
	`<w:p><w:r><mc:AlternateContent><mc:Choice><w:t>赵六 13600136000</w:t></mc:Choice>` +
	`<mc:Fallback><w:t>赵六 13600136000</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>` +
	table(
		[]string{"客户名单", "", ""},
		[]string{"姓名", "联系电话", "备注"},
		[]string{"孙七", "13500135000|010-65529988", "第一行|第二行"},
		[]string{"周八", "暂无", ""},
	) +
	para("以上共六位")

func TestDecodeDOCX(t *testing.T) {
	got := mustDecode(t, mustDOCX(t, leadsDOCXBody), "客户名单.docx")
	want := []beifen.LeadRow{
		{Row: 1, Name: "三月展会客户", Raw: "三月展会客户"},
		{Row: 2, Name: "张三", Phones: []string{"138 0013 8000"}, Note: "北京星辰科技 老客户", Raw: "张三 138 0013 8000 北京星辰科技 老客户"},
		{Row: 4, Name: "李四", Phones: []string{"13900139000"}, Raw: "李四 13900139000"},
		{Row: 4, Name: "王五", Phones: []string{"+86 137-0013-7000"}, Note: "要报价", Raw: "王五 +86 137-0013-7000 要报价"},
		{Row: 5, Name: "赵六", Phones: []string{"13600136000"}, Raw: "赵六 13600136000"},
		{Row: 8, Name: "孙七", Phones: []string{"13500135000", "010-65529988"}, Note: "第一行\n第二行",
			Raw: "孙七\t13500135000\n010-65529988\t第一行\n第二行"},
		{Row: 9, Name: "周八", Phones: []string{"暂无"}, Raw: "周八\t暂无\t"},
		{Row: 10, Name: "以上共六位", Raw: "以上共六位"},
	}
	checkRows(t, got, want)
}

// TestDecodeDOCXFile reads a .docx from a file, in place.
func TestDecodeDOCXFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "leads.docx")
	if err := os.WriteFile(path, mustDOCX(t, para("张三 13800138000")), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []beifen.LeadRow
	err = leadfileDecode(f, "leads.docx", &rows)
	if err != nil || len(rows) != 1 || rows[0].Phones[0] != "13800138000" {
		t.Fatalf("rows=%s, err=%v, want one row with 13800138000", js(rows), err)
	}
}

func TestDecodeDOCXRefused(t *testing.T) {
	tests := []struct {
		name, code, part string
		data             []byte
	}{
		{"Bomb", beifen.EINVALID, "zip bomb", bombDOCX(t, strings.Repeat(" ", 20<<20), 0)},
		{"Huge", beifen.ETOOLARGE, "too large", bombDOCX(t, "<w:document/>", 300<<20)},
		{"NoDocument", beifen.EINVALID, "not a Word document", zipOf(t, "xl2/foo.xml", "x")},
		{"Damaged", beifen.EINVALID, "damaged", mustDOCX(t, "<w:p><w:r></w:p>")},
		{"Truncated", beifen.EINVALID, "damaged zip", mustDOCX(t, para("x"))[:100]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decode(tt.data, "bad.docx")
			checkError(t, err, tt.code, tt.part)
		})
	}
}

// bombDOCX zips word/document.xml; with size > 0 it is stored raw with that uncompressed
// size declared, as a crafted bomb would.
func bombDOCX(tb testing.TB, doc string, size uint64) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	var err error
	if size > 0 {
		hdr := &zip.FileHeader{Name: "word/document.xml", Method: zip.Store,
			CompressedSize64: uint64(len(doc)), UncompressedSize64: size}
		w, err := zw.CreateRaw(hdr)
		if err == nil {
			_, err = w.Write([]byte(doc))
		}
		if err != nil {
			tb.Fatal(err)
		}
	} else {
		w, err := zw.Create("word/document.xml")
		if err == nil {
			_, err = w.Write([]byte(doc))
		}
		if err != nil {
			tb.Fatal(err)
		}
	}
	if err = zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func zipOf(tb testing.TB, name, data string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err == nil {
		_, err = w.Write([]byte(data))
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}
