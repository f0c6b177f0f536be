package leadfile

import (
	"strings"
	"unicode"
)

// Column is what a spreadsheet column holds, as told by its header.
type Column int

// Columns ParseHeader knows; ColumnOther is any column it does not map.
const (
	ColumnOther Column = iota
	ColumnName
	ColumnPhone
	ColumnCompany
	ColumnNote
)

// aliases maps normalised header texts (see normHeader) to their column.
var aliases = map[string]Column{}

func init() {
	for col, names := range map[Column][]string{
		ColumnName: {"姓名", "名字", "客户名称", "客户姓名", "客户", "联系人", "name", "first_name",
			"last_name", "full name"},
		ColumnPhone: {"手机", "手机号", "手机号码", "电话", "电话号码", "联系电话", "联系方式", "号码",
			"mobile", "phone", "phone_number", "mobile_number", "tel", "telephone", "work_phone"},
		ColumnCompany: {"公司", "单位", "公司名称", "company", "organization", "organisation"},
		ColumnNote:    {"备注", "说明", "note", "notes", "comment", "comments"},
	} {
		for _, n := range names {
			aliases[normHeader(n)] = col
		}
	}
}

// Header maps a table's columns (0-based cell indexes) to lead fields. A field may come from
// several columns: Phone always may (手机, 电话, 电话2), Name may (first_name, last_name).
type Header struct {
	Name, Phone, Company, Note []int
}

// ParseHeader reports whether cells are a header row, and its mapping. A row is a header
// when it names a phone column, or at least two known columns. Matching ignores case, white
// space, "_" and "-", a byte order mark, a trailing "*" or
// column number (电话2, 手机号*), and a
// bracketed remark (手机号(必填)).
func ParseHeader(cells []string) (Header, bool) {
	var h Header
	known := 0
	for i, c := range cells {
		col := aliases[normHeader(c)]
		switch col {
		case ColumnName:
			h.Name = append(h.Name, i)
		case ColumnPhone:
			h.Phone = append(h.Phone, i)
		case ColumnCompany:
			h.Company = append(h.Company, i)
		case ColumnNote:
			h.Note = append(h.Note, i)
		}
		if col != ColumnOther {
			known++
		}
	}
	return h, len(h.Phone) > 0 || known >= 2
}

// normHeader lowers s and drops what people add to header cells around the alias.
func normHeader(s string) string {
	s = strings.ToLower(strings.ReplaceAll(s, "\ufeff", ""))
	if i := strings.IndexAny(s, "(（[【"); i > 0 {
		s = s[:i]
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '_' || r == '-' || r == '*' || r == ':' || r == '：' {
			return -1
		}
		return r
	}, s)
	// Up to two trailing digits number a repeated column (电话2); more are data.
	for i := 0; i < 2 && s != "" && s[len(s)-1] >= '0' && s[len(s)-1] <= '9'; i++ {
		s = s[:len(s)-1]
	}
	return s
}
