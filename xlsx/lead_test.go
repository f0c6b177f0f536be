package xlsx_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/xlsx"
	"github.com/xuri/excelize/v2"
)

// mustLeadsXLSX builds a workbook as sales teams send them: a merged title row above a
// Chinese header, numeric phone cells (one shown in scientific notation), a cell with two
// numbers, a blank row, and a second sheet with two phone columns.
func mustLeadsXLSX(tb testing.TB) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "三月展会"))
	sci, err := f.NewStyle(&excelize.Style{NumFmt: 11}) // 0.00E+00
	must(err)
	rows := [][]any{
		{"2024年3月展会客户名单"},
		{"姓名", "手机号", "公司", "备注"},
		{"张三", 13800138000, "北京星辰科技有限公司", "老客户"},
		{"李四", "13900139000、13700137000", "上海云帆贸易", nil},
		{"王五", "138-0013-8001", nil, "要报价"},
		{},
		{"赵六", 13600136000.0, nil, nil},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		must(f.SetSheetRow("三月展会", cell, &r))
	}
	must(f.MergeCell("三月展会", "A1", "D1"))
	must(f.SetCellStyle("三月展会", "B3", "B3", sci))
	_, err = f.NewSheet("第二批")
	must(err)
	must(f.SetSheetRow("第二批", "A1", &[]any{"客户名称", "电话", "电话2"}))
	must(f.SetSheetRow("第二批", "A2", &[]any{"孙七", 13500135000, "010-65529988"}))
	must(f.SetSheetRow("第二批", "A3", &[]any{"周八", "暂无", nil}))
	if got, _ := f.GetCellValue("三月展会", "B3"); got != "1.38E+10" {
		tb.Fatalf("B3 shows %q, want 1.38E+10 (the fixture must hide digits)", got)
	}
	buf, err := f.WriteToBuffer()
	must(err)
	return buf.Bytes()
}

func TestDecodeLeads(t *testing.T) {
	got := mustDecodeLeads(t, mustLeadsXLSX(t), "展会客户.xlsx")
	want := []beifen.LeadRow{
		{Sheet: "三月展会", Row: 3, Name: "张三", Phones: []string{"13800138000"}, Company: "北京星辰科技有限公司",
			Note: "老客户", Raw: "张三\t13800138000\t北京星辰科技有限公司\t老客户"},
		{Sheet: "三月展会", Row: 4, Name: "李四", Phones: []string{"13900139000", "13700137000"}, Company: "上海云帆贸易",
			Raw: "李四\t13900139000、13700137000\t上海云帆贸易"},
		{Sheet: "三月展会", Row: 5, Name: "王五", Phones: []string{"138-0013-8001"}, Note: "要报价", Raw: "王五\t138-0013-8001\t\t要报价"},
		{Sheet: "三月展会", Row: 7, Name: "赵六", Phones: []string{"13600136000"}, Raw: "赵六\t13600136000"},
		{Sheet: "第二批", Row: 2, Name: "孙七", Phones: []string{"13500135000", "010-65529988"}, Raw: "孙七\t13500135000\t010-65529988"},
		{Sheet: "第二批", Row: 3, Name: "周八", Phones: []string{"暂无"}, Raw: "周八\t暂无"},
	}
	checkRows(t, got, want)
}

// TestDecodeLeadsHeaderless reads a sheet without a header: numeric cells are phones, the
// first text cell is the name.
func TestDecodeLeadsHeaderless(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	_ = f.SetSheetRow("Sheet1", "A1", &[]any{"张三", 13800138000, "北京星辰科技"})
	_ = f.SetSheetRow("Sheet1", "A2", &[]any{nil, "李四 13900139000", 45352})
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	got := mustDecodeLeads(t, buf.Bytes(), "list.xlsx")
	want := []beifen.LeadRow{
		{Sheet: "Sheet1", Row: 1, Name: "张三", Phones: []string{"13800138000"}, Note: "北京星辰科技", Raw: "张三\t13800138000\t北京星辰科技"},
		{Sheet: "Sheet1", Row: 2, Name: "李四", Phones: []string{"13900139000"}, Note: "45352", Raw: "\t李四 13900139000\t45352"},
	}
	checkRows(t, got, want)
}

func TestDecodeLeadsRefused(t *testing.T) {
	tests := []struct {
		name, code, part string
		data             []byte
	}{
		{"Legacy", beifen.EINVALID, "save it as .xlsx", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00")},
		{"NotZip", beifen.EINVALID, "not an .xlsx file", []byte("姓名,手机\n")},
		{"NotWorkbook", beifen.EINVALID, "not a readable .xlsx", zipWith(t, "word/document.xml", "<w/>", 0)},
		{"Bomb", beifen.EINVALID, "zip bomb", zipWith(t, "xl/worksheets/sheet1.xml", strings.Repeat(" ", 20<<20), 0)},
		{"Huge", beifen.ETOOLARGE, "too large", zipWith(t, "xl/worksheets/sheet1.xml", "<worksheet/>", 3<<30)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := xlsx.DecodeLeads(bytes.NewReader(tt.data), "客户.xlsx", "", func(*beifen.LeadRow) error { return nil })
			if got := beifen.ErrorCode(err); got != tt.code {
				t.Fatalf("ErrorCode=%q (%v), want %q", got, err, tt.code)
			}
			if msg := beifen.ErrorMessage(err); !strings.Contains(msg, tt.part) {
				t.Fatalf("ErrorMessage=%q, want it to contain %q", msg, tt.part)
			}
		})
	}
}

func TestDecodeLeadsStops(t *testing.T) {
	stop := errors.New("stop")
	calls := 0
	err := xlsx.DecodeLeads(bytes.NewReader(mustLeadsXLSX(t)), "a.xlsx", "", func(*beifen.LeadRow) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) || calls != 1 {
		t.Fatalf("err=%v after %d calls, want stop after 1", err, calls)
	}
}

// zipWith zips one member; with size > 0 it is stored raw with that size declared.
func zipWith(tb testing.TB, name, data string, size uint64) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	var w interface{ Write([]byte) (int, error) }
	var err error
	if size > 0 {
		w, err = zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Store,
			CompressedSize64: uint64(len(data)), UncompressedSize64: size})
	} else {
		w, err = zw.Create(name)
	}
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

func mustDecodeLeads(tb testing.TB, data []byte, name string) []beifen.LeadRow {
	tb.Helper()
	var rows []beifen.LeadRow
	err := xlsx.DecodeLeads(bytes.NewReader(data), name, "", func(r *beifen.LeadRow) error {
		rows = append(rows, *r)
		return nil
	})
	if err != nil {
		tb.Fatalf("DecodeLeads: %v", err)
	}
	return rows
}

func checkRows(tb testing.TB, got, want []beifen.LeadRow) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Errorf("got %d rows, want %d:\n%s", len(got), len(want), js(got))
	}
	for i := range min(len(got), len(want)) {
		if !reflect.DeepEqual(got[i], want[i]) {
			tb.Errorf("row %d:\n got %s\nwant %s", i, js(got[i]), js(want[i]))
		}
	}
}

func js(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
