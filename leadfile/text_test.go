package leadfile_test

import (
	"testing"

	"github.com/beifen/beifen"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// leadsTXT is a sales rep's list as Notepad on Chinese Windows saves it (GBK, CRLF).
const leadsTXT = "客户名单\r\n" +
	"张三 138 0013 8000 北京星辰科技 老客户\r\n" +
	"李四 138-0013-8001\r\n" +
	"\r\n" +
	"王五 +86 13800138002 要发报价\r\n" +
	"北京办公室 010-65529988\r\n" +
	"赵六 13900139000、13700137000 两个号码都能打\r\n" +
	"#@!~~ 乱码行 ￥￥\r\n" +
	"   \r\n" +
	"孙七13600136000"

var leadsTXTRows = []beifen.LeadRow{
	{Row: 1, Name: "客户名单", Raw: "客户名单"},
	{Row: 2, Name: "张三", Phones: []string{"138 0013 8000"}, Note: "北京星辰科技 老客户", Raw: "张三 138 0013 8000 北京星辰科技 老客户"},
	{Row: 3, Name: "李四", Phones: []string{"138-0013-8001"}, Raw: "李四 138-0013-8001"},
	{Row: 5, Name: "王五", Phones: []string{"+86 13800138002"}, Note: "要发报价", Raw: "王五 +86 13800138002 要发报价"},
	{Row: 6, Name: "北京办公室", Phones: []string{"010-65529988"}, Raw: "北京办公室 010-65529988"},
	{Row: 7, Name: "赵六", Phones: []string{"13900139000", "13700137000"}, Note: "两个号码都能打", Raw: "赵六 13900139000、13700137000 两个号码都能打"},
	{Row: 8, Name: "#@!~~", Note: "乱码行 ￥￥", Raw: "#@!~~ 乱码行 ￥￥"},
	{Row: 10, Name: "孙七", Phones: []string{"13600136000"}, Raw: "孙七13600136000"},
}

func TestDecodeTextGBK(t *testing.T) {
	got := mustDecode(t, mustEncode(t, simplifiedchinese.GBK, leadsTXT), "客户.txt")
	checkRows(t, got, leadsTXTRows)
}

func TestDecodeTextEncodings(t *testing.T) {
	tests := []struct {
		name string
		data []byte
	}{
		{"UTF8", []byte(leadsTXT)},
		{"UTF8BOM", append([]byte("\xef\xbb\xbf"), leadsTXT...)},
		{"UTF16LE", mustEncode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), leadsTXT)},
		{"UTF16BE", mustEncode(t, unicode.UTF16(unicode.BigEndian, unicode.UseBOM), leadsTXT)},
		{"GB18030", mustEncode(t, simplifiedchinese.GB18030, leadsTXT)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkRows(t, mustDecode(t, tt.data, "leads.txt"), leadsTXTRows)
		})
	}
}

// TestDecodeClipboard reads pasted text: no name, LF line ends, and lines from two sources,
// one UTF-8 and one GBK. Each line is decoded on its own.
func TestDecodeClipboard(t *testing.T) {
	data := []byte("周八 13800138000\n")
	data = append(data, mustEncode(t, simplifiedchinese.GBK, "吴九 13900139000\n")...)
	want := []beifen.LeadRow{
		{Row: 1, Name: "周八", Phones: []string{"13800138000"}, Raw: "周八 13800138000"},
		{Row: 2, Name: "吴九", Phones: []string{"13900139000"}, Raw: "吴九 13900139000"},
	}
	checkRows(t, mustDecode(t, data, ""), want)
}

func TestDecodeLongLine(t *testing.T) {
	data := make([]byte, 2<<20)
	for i := range data {
		data[i] = '8'
	}
	_, err := decode(data, "leads.txt")
	checkError(t, err, beifen.ETOOLARGE, "leads.txt line 1")
}
