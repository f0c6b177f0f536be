package leadfile_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/leadfile"
)

var ole = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0}

func utf16(s string) []byte {
	var b []byte
	for i := range len(s) {
		b = append(b, s[i], 0)
	}
	return b
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name, file string
		head       []byte
		want       leadfile.Format
	}{
		{"DocByExt", "客户.doc", ole, leadfile.FormatDOC},
		{"XlsByExt", "客户.XLS", ole, leadfile.FormatXLS},
		{"XlsByStream", "upload", append(append([]byte{}, ole...), utf16("Workbook")...), leadfile.FormatXLS},
		{"DocByStream", "upload.xls", append(append([]byte{}, ole...), utf16("WordDocument")...), leadfile.FormatDOC},
		{"DOCX", "upload", mustDOCX(t, para("x")), leadfile.FormatDOCX},
		{"XLSXByMember", "upload", zipOf(t, "xl/workbook.xml", "<workbook/>"), leadfile.FormatXLSX},
		{"XLSXByExt", "a.xlsx", []byte("PK\x03\x04"), leadfile.FormatXLSX},
		{"VCF", "contacts", []byte("\xef\xbb\xbfBEGIN:VCARD\r\nVERSION:2.1\r\n"), leadfile.FormatVCF},
		{"CSVByExt", "a.csv", []byte("张三 13800138000"), leadfile.FormatCSV},
		{"CSVByHeader", "paste", []byte("姓名\t手机\n张三\t13800138000\n"), leadfile.FormatCSV},
		{"CSVHeaderInTXT", "a.txt", []byte("name,phone\nZhang,13800138000\n"), leadfile.FormatCSV},
		{"TXT", "a.txt", []byte("张三,13800138000\n"), leadfile.FormatTXT},
		{"Clipboard", "", []byte("张三 13800138000 老客户"), leadfile.FormatTXT},
		{"Empty", "", nil, leadfile.FormatTXT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := leadfile.Sniff(tt.head, tt.file); got != tt.want {
				t.Fatalf("Sniff=%q, want %q", got, tt.want)
			}
		})
	}
}

func TestDecodeLegacy(t *testing.T) {
	_, err := decode(ole, "报价单.doc")
	checkError(t, err, beifen.EINVALID, "save it as .docx")
	_, err = decode(ole, "客户.xls")
	checkError(t, err, beifen.EINVALID, "save it as .xlsx")
	if msg := beifen.ErrorMessage(err); !strings.HasPrefix(msg, "客户.xls ") {
		t.Errorf("ErrorMessage=%q, want it to name the file", msg)
	}
}

// TestDecodeXLSX checks that a workbook is not read here but sent back to the caller.
func TestDecodeXLSX(t *testing.T) {
	_, err := decode(zipOf(t, "xl/workbook.xml", "<workbook/>"), "a.xlsx")
	if err == nil || beifen.ErrorCode(err) != beifen.EINTERNAL {
		t.Fatalf("err=%v, want an internal error", err)
	}
}

// TestDecodeStops checks that the first error of fn ends reading and comes back as it is.
func TestDecodeStops(t *testing.T) {
	stop := errors.New("stop")
	for _, tt := range []struct {
		name string
		data []byte
	}{
		{"leads.txt", []byte(leadsTXT)},
		{"leads.csv", []byte("姓名,手机\n张三,13800138000\n李四,13900139000\n")},
		{"leads.docx", mustDOCX(t, leadsDOCXBody)},
		{"leads.vcf", []byte("BEGIN:VCARD\nFN:张三\nTEL:13800138000\nEND:VCARD\nBEGIN:VCARD\nFN:李四\nEND:VCARD\n")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			err := leadfile.Decode(bytes.NewReader(tt.data), tt.name, func(*beifen.LeadRow) error {
				calls++
				return stop
			})
			if !errors.Is(err, stop) || calls != 1 {
				t.Fatalf("err=%v after %d calls, want stop after 1", err, calls)
			}
		})
	}
}
