package leadfile

import (
	"bytes"
	"path"
	"strings"

	"github.com/beifen/beifen/vcard"
)

// Format is the kind of a lead import file, as detected by Sniff.
type Format string

// Formats Sniff reports. DOC and XLS are the legacy binary (OLE2) Office formats, which are
// refused with a request to save the file as .docx or .xlsx.
const (
	FormatTXT  Format = "txt"
	FormatCSV  Format = "csv"
	FormatDOCX Format = "docx"
	FormatXLSX Format = "xlsx"
	FormatVCF  Format = "vcf"
	FormatDOC  Format = "doc"
	FormatXLS  Format = "xls"
)

// SniffLen is how many leading bytes Sniff wants to see; fewer work, more are ignored.
const SniffLen = 4096

var (
	oleMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}
	zipMagic = []byte("PK\x03\x04")
)

// Sniff returns the format of a file from its first bytes (up to SniffLen) and its name.
// Content decides wherever it can: the OLE2 and zip signatures, the names of the first zip
// members, BEGIN:VCARD, a first line that is a header row split by , ; tab or |. The name's
// extension breaks ties (an OLE2 file without its stream names in head, a zip whose first
// members do not say) and makes .csv and .tsv files CSV. Anything else is FormatTXT.
func Sniff(head []byte, name string) Format {
	ext := strings.ToLower(path.Ext(strings.ReplaceAll(name, `\`, "/")))
	switch {
	case bytes.HasPrefix(head, oleMagic):
		return sniffOLE(head, ext)
	case bytes.HasPrefix(head, zipMagic):
		return sniffZip(head, ext)
	case vcard.Sniff(head):
		return FormatVCF
	case ext == ".csv" || ext == ".tsv":
		return FormatCSV
	case looksCSV(head):
		return FormatCSV
	}
	return FormatTXT
}

// sniffOLE tells a legacy Excel workbook from a Word document by its stream names (UTF-16
// in the directory sector, when it is in head), else by extension.
func sniffOLE(head []byte, ext string) Format {
	switch {
	case bytes.Contains(head, utf16le("Workbook")), bytes.Contains(head, utf16le("Book")):
		return FormatXLS
	case bytes.Contains(head, utf16le("WordDocument")):
		return FormatDOC
	case ext == ".xls" || ext == ".xlsx" || ext == ".et" || ext == ".csv":
		return FormatXLS
	}
	return FormatDOC
}

// sniffZip looks for the main part's name among the local file headers in head.
func sniffZip(head []byte, ext string) Format {
	switch {
	case bytes.Contains(head, []byte("word/")):
		return FormatDOCX
	case bytes.Contains(head, []byte("xl/")):
		return FormatXLSX
	case ext == ".xlsx" || ext == ".xlsm":
		return FormatXLSX
	}
	return FormatDOCX
}

func utf16le(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		b = append(b, s[i], 0)
	}
	return b
}
