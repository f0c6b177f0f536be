package leadfile_test

import (
	"testing"

	"github.com/beifen/beifen"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// leadsCSV is an export from a Chinese CRM as Excel saves it with ";" lists (GBK): a title
// line, a header with two phone columns, quoted fields holding ";", a quote and a line break.
const leadsCSV = "展会客户导出;;;;\r\n" +
	"客户姓名;手机号码;电话2;公司名称;备注\r\n" +
	"张三;138 0013 8000;010-65529988;北京星辰科技有限公司;\"老客户; 要报价\"\r\n" +
	"李四;\"13900139000，13700137000\";;\"上海\"\"云帆\"\"贸易\";\"第一行\r\n第二行\"\r\n" +
	";;;;\r\n" +
	"王五;暂无;;;\r\n"

func TestDecodeCSVGBK(t *testing.T) {
	got := mustDecode(t, mustEncode(t, simplifiedchinese.GBK, leadsCSV), "客户导出.csv")
	want := []beifen.LeadRow{
		{Row: 3, Name: "张三", Phones: []string{"138 0013 8000", "010-65529988"}, Company: "北京星辰科技有限公司",
			Note: "老客户; 要报价", Raw: "张三\t138 0013 8000\t010-65529988\t北京星辰科技有限公司\t老客户; 要报价"},
		{Row: 4, Name: "李四", Phones: []string{"13900139000", "13700137000"}, Company: `上海"云帆"贸易`,
			Note: "第一行\n第二行", Raw: "李四\t13900139000，13700137000\t\t上海\"云帆\"贸易\t第一行\n第二行"},
		{Row: 7, Name: "王五", Phones: []string{"暂无"}, Raw: "王五\t暂无\t\t\t"},
	}
	checkRows(t, got, want)
}

func TestDecodeCSVDelimiters(t *testing.T) {
	for _, tt := range []struct{ name, sep string }{{"Comma", ","}, {"Tab", "\t"}, {"Pipe", "|"}, {"Semicolon", ";"}} {
		t.Run(tt.name, func(t *testing.T) {
			data := "\ufeffname" + tt.sep + "phone" + tt.sep + "company\n" +
				"Zhang San" + tt.sep + "\"+86 138 0013 8000, 13900139000\"" + tt.sep + "\"Xingchen; Ltd.\"\n"
			got := mustDecode(t, []byte(data), "leads.csv")
			want := []beifen.LeadRow{{Row: 2, Name: "Zhang San", Phones: []string{"+86 138 0013 8000", "13900139000"},
				Company: "Xingchen; Ltd.", Raw: "Zhang San\t+86 138 0013 8000, 13900139000\tXingchen; Ltd."}}
			checkRows(t, got, want)
		})
	}
}

// TestDecodeCSVHeaderless reads a CSV without a header: phone-like cells are phones, the first
// text cell is the name and other text is the note.
func TestDecodeCSVHeaderless(t *testing.T) {
	data := "张三,13800138000,北京星辰科技,2024-03-01\n李四,010-65529988 / 13900139000,,\n"
	got := mustDecode(t, []byte(data), "list.csv")
	want := []beifen.LeadRow{
		{Row: 1, Name: "张三", Phones: []string{"13800138000"}, Note: "北京星辰科技 2024-03-01",
			Raw: "张三\t13800138000\t北京星辰科技\t2024-03-01"},
		{Row: 2, Name: "李四", Phones: []string{"010-65529988", "13900139000"}, Raw: "李四\t010-65529988 / 13900139000\t\t"},
	}
	checkRows(t, got, want)
}
