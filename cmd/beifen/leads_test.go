package main_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/beifen/beifen"
	main "github.com/beifen/beifen/cmd/beifen"
	beifenhttp "github.com/beifen/beifen/http"
	"github.com/beifen/beifen/xlsx"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// mustTeam creates a team and a member with role, and returns the member's client environment.
func mustTeam(tb testing.TB, s *Server, role beifen.Role, phone string) (int64, map[string]string) {
	tb.Helper()
	out := mustCLI(tb, operatorEnv(s), append([]string{"team", "add", "--name", "华东销售部"}, operatorFlags(s)...)...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var id int64
	if _, err := fmtSscan(lines[len(lines)-1], &id); err != nil {
		tb.Fatalf("team add printed %q", out)
	}
	return id, mustMember(tb, s, id, phone, role)
}

func mustMember(tb testing.TB, s *Server, team int64, phone string, role beifen.Role) map[string]string {
	tb.Helper()
	out := mustCLI(tb, operatorEnv(s), append([]string{"user", "add", "--phone", phone,
		"--team", itoa(team), "--role", string(role)}, operatorFlags(s)...)...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return clientEnv(s, lines[len(lines)-1])
}

func mustImport(tb testing.TB, env map[string]string, files ...string) main.LeadsSummary {
	tb.Helper()
	var sum main.LeadsSummary
	lastJSON(tb, mustCLI(tb, env, append([]string{"leads", "import", "--json"}, files...)...), &sum)
	return sum
}

func gbk(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// docx builds a minimal Word document with paragraphs and one table.
func docx(tb testing.TB, paragraphs []string, table [][]string) []byte {
	tb.Helper()
	var body strings.Builder
	for _, p := range paragraphs {
		body.WriteString("<w:p><w:r><w:t>" + p + "</w:t></w:r></w:p>")
	}
	body.WriteString("<w:tbl>")
	for _, row := range table {
		body.WriteString("<w:tr>")
		for _, cell := range row {
			body.WriteString("<w:tc><w:p><w:r><w:t>" + cell + "</w:t></w:r></w:p></w:tc>")
		}
		body.WriteString("</w:tr>")
	}
	body.WriteString("</w:tbl>")
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("[Content_Types].xml")
	w.Write([]byte(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`))
	w, _ = zw.Create("word/document.xml")
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
		body.String() + `</w:body></w:document>`))
	zw.Close()
	return b.Bytes()
}

// TestPolicy_9_storage_read_ImportsTxtAndWord: leads import from a GBK text file and a Word
// document with exact counts, and every rejected row comes back with a readable reason.
func TestPolicy_9_storage_read_ImportsTxtAndWord(t *testing.T) {
	s := MustRunMain(t, "")
	_, env := mustTeam(t, s, beifen.RoleAdmin, "13911110000")
	dir := t.TempDir()
	txt := "客户名单（2026年3月）\r\n" +
		"张三 138 0013 8000 老客户\r\n" +
		"李四，139-0013-9000\r\n" +
		"王五 +86 13700137000；赵六 13600136000\r\n" +
		"重复的张三 13800138000\r\n" +
		"错号 12345\r\n" +
		"北京办公室 010-65529988\r\n"
	os.WriteFile(filepath.Join(dir, "名单.txt"), gbk(t, txt), 0o600)
	sum := mustImport(t, env, filepath.Join(dir, "名单.txt"))
	// 5 new numbers (four mobiles, one landline); 1 duplicate; 2 lines with no valid number
	// (the title and "12345").
	if want := (main.LeadsSummary{Imported: 5, Duplicates: 1, Invalid: 2}); sum != want {
		t.Fatalf("txt import %+v, want %+v", sum, want)
	}
	rejected := readRejected(t, filepath.Join(dir, "名单.txt.rejected.csv"))
	if len(rejected) != 3 || !strings.Contains(rejected[0][2], "no phone number") ||
		!strings.Contains(rejected[1][2], "duplicate in this file") || !strings.Contains(rejected[2][2], "no phone number") || rejected[2][1] != "6" {
		t.Fatalf("rejected rows %q", rejected)
	}

	doc := docx(t, []string{"销售线索", "孙七 15800158000"},
		[][]string{{"姓名", "手机号", "公司"}, {"周八", "15900159000", "华为"}, {"吴九", "138 0013 8000", "腾讯"}, {"郑十", "无", ""}})
	os.WriteFile(filepath.Join(dir, "线索.docx"), doc, 0o600)
	sum = mustImport(t, env, filepath.Join(dir, "线索.docx"))
	if want := (main.LeadsSummary{Imported: 2, Duplicates: 1, Invalid: 2}); sum != want {
		t.Fatalf("docx import %+v, want %+v", sum, want)
	}
	leads, n, err := beifenhttp.NewClient(s.URL, env["BEIFEN_TOKEN"]).FindLeads(context.Background(), beifen.LeadFilter{})
	if err != nil || n != 7 {
		t.Fatalf("team has %d leads (%v), want 7", n, err)
	}
	byPhone := map[string]*beifen.Lead{}
	for _, l := range leads {
		byPhone[l.Phone] = l
	}
	if l := byPhone["+8615900159000"]; l == nil || l.Name != "周八" || l.Company != "华为" {
		t.Fatalf("the Word table row came in as %+v", l)
	}
	if l := byPhone["+861065529988"]; l == nil {
		t.Fatal("the landline did not come in")
	}
}

// TestPolicy_9_contacts_read_ImportsPhoneContacts: a phone's contacts (an Android vCard export)
// become leads, numbers normalised and deduplicated, and another team sees none of them.
func TestPolicy_9_contacts_read_ImportsPhoneContacts(t *testing.T) {
	s := MustRunMain(t, "")
	team, env := mustTeam(t, s, beifen.RoleManager, "13911110000")
	dir := t.TempDir()
	vcf := "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=BC=A0;=E4=B8=89;;;\r\n" +
		"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=BC=A0=E4=B8=89\r\nTEL;CELL:138 0013 8000\r\nTEL;WORK:+86 10 6552 9988\r\nEND:VCARD\r\n" +
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:李四\r\nORG:阿里巴巴\r\nitem1.TEL;type=CELL:+86 139-0013-9000\r\nEND:VCARD\r\n" +
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:只有邮箱\r\nEMAIL:a@example.com\r\nEND:VCARD\r\n"
	os.WriteFile(filepath.Join(dir, "00001.vcf"), []byte(vcf), 0o600)
	sum := mustImport(t, env, filepath.Join(dir, "00001.vcf"))
	if want := (main.LeadsSummary{Imported: 3, Invalid: 1}); sum != want {
		t.Fatalf("vcf import %+v, want %+v", sum, want)
	}
	if again := mustImport(t, env, filepath.Join(dir, "00001.vcf")); again != (main.LeadsSummary{Duplicates: 3, Invalid: 1}) {
		t.Fatalf("second import %+v, want 3 duplicates and the card without a number", again)
	}
	leads, _, _ := beifenhttp.NewClient(s.URL, env["BEIFEN_TOKEN"]).FindLeads(context.Background(), beifen.LeadFilter{})
	names := map[string]string{}
	for _, l := range leads {
		names[l.Phone] = l.Name + "/" + l.Company
	}
	if names["+8613800138000"] != "张三/" || names["+8613900139000"] != "李四/阿里巴巴" || names["+861065529988"] != "张三/" {
		t.Fatalf("leads %v", names)
	}
	// Another team: nothing of the first team's, and the same file imports fresh.
	_, other := mustTeam(t, s, beifen.RoleAdmin, "13911110001")
	otherLeads, n, _ := beifenhttp.NewClient(s.URL, other["BEIFEN_TOKEN"]).FindLeads(context.Background(), beifen.LeadFilter{})
	if n != 0 || len(otherLeads) != 0 {
		t.Fatalf("another team sees %d leads", n)
	}
	if sum := mustImport(t, other, filepath.Join(dir, "00001.vcf")); sum.Imported != 3 {
		t.Fatalf("another team's import %+v, want 3 new", sum)
	}
	// Staff may not import.
	staff := mustMember(t, s, team, "13922220000", beifen.RoleStaff)
	if _, err := runCLI(t, staff, "leads", "import", filepath.Join(dir, "00001.vcf")); err == nil {
		t.Fatal("a staff member imported leads")
	}
}

func readRejected(tb testing.TB, path string) [][]string {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	return rows[1:]
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func fmtSscan(s string, id *int64) (int, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	*id = n
	return 1, err
}

// operatorFlags are the flags an operator command needs to reach the server's storage.
func operatorFlags(s *Server) []string {
	flags := []string{"--data", s.Config.DataDir}
	if s.Config.DB != "" {
		flags = append(flags, "--db", s.Config.DB)
	}
	return flags
}

func operatorEnv(s *Server) map[string]string {
	return map[string]string{"BEIFEN_MASTER_KEY_FILE": s.Config.MasterKeyFile}
}

// TestLeadsImport_SpreadsheetAndCSV: an .xlsx with numeric phone cells and Chinese headers, and
// a GBK CSV with ; separators and quoted fields, import with exact counts and reasons.
func TestLeadsImport_SpreadsheetAndCSV(t *testing.T) {
	s := MustRunMain(t, "")
	_, env := mustTeam(t, s, beifen.RoleAdmin, "13911110000")
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "客户.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"张三", 13800138000, "华为"},                    // a numeric cell
		{"李四", "139 0013 9000, 137-0013-7000", "阿里"}, // two numbers in one cell
		{"王五", "", "腾讯"},                             // no number
		{"赵六", 13800138000, "字节"},                    // repeats 张三's number
		{"孙七", "12345", ""},                          // not a phone number
	}
	err = xlsx.WriteReport(f, "", xlsx.Sheet{Name: "客户名单", Header: []string{"姓名", "手机号", "公司"},
		Rows: func(add func([]any) error) error {
			for _, r := range rows {
				if err := add(r); err != nil {
					return err
				}
			}
			return nil
		}})
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	sum := mustImport(t, env, filepath.Join(dir, "客户.xlsx"))
	if want := (main.LeadsSummary{Imported: 3, Duplicates: 1, Invalid: 2}); sum != want {
		t.Fatalf("xlsx import %+v, want %+v", sum, want)
	}
	rejected := readRejected(t, filepath.Join(dir, "客户.xlsx.rejected.csv"))
	if len(rejected) != 3 || rejected[0][0] != "客户名单" || rejected[0][1] != "4" {
		t.Fatalf("rejected rows %q", rejected)
	}

	csvText := "姓名;手机;备注\r\n\"周八\";\"150 0015 0000\";\"老客户; 已联系\"\r\n吴九;15100151000;\r\n郑十;无;\r\n"
	os.WriteFile(filepath.Join(dir, "名单.csv"), gbk(t, csvText), 0o600)
	sum = mustImport(t, env, filepath.Join(dir, "名单.csv"))
	if want := (main.LeadsSummary{Imported: 2, Invalid: 1}); sum != want {
		t.Fatalf("csv import %+v, want %+v", sum, want)
	}
	leads, _, _ := beifenhttp.NewClient(s.URL, env["BEIFEN_TOKEN"]).FindLeads(context.Background(), beifen.LeadFilter{})
	for _, l := range leads {
		if l.Phone == "+8615000150000" && (l.Name != "周八" || l.Note != "老客户; 已联系") {
			t.Fatalf("csv lead %+v", l)
		}
	}
}
