package leadfile_test

import (
	"reflect"
	"testing"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/leadfile"
)

func TestSplitPhones(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"Plain", "13800138000", []string{"13800138000"}},
		{"Spaces", "138 0013 8000", []string{"138 0013 8000"}},
		{"Dashes", "138-0013-8000", []string{"138-0013-8000"}},
		{"Plus86", "+86 13800138000", []string{"+86 13800138000"}},
		{"Zero086", "008613800138000", []string{"008613800138000"}},
		{"Landline", "010-65529988", []string{"010-65529988"}},
		{"LandlineSpaced", "010 6552 9988", []string{"010 6552 9988"}},
		{"Comma", "13800138000,13900139000", []string{"13800138000", "13900139000"}},
		{"FullWidthComma", "13800138000，13900139000", []string{"13800138000", "13900139000"}},
		{"Semicolons", "13800138000;13900139000；010-65529988", []string{"13800138000", "13900139000", "010-65529988"}},
		{"SlashAndDunhao", "13800138000/13900139000、13700137000", []string{"13800138000", "13900139000", "13700137000"}},
		{"Space", "13800138000 13900139000", []string{"13800138000", "13900139000"}},
		{"SpacedPair", "138 0013 8000 139 0013 9000", []string{"138 0013 8000", "139 0013 9000"}},
		{"Newline", "13800138000\n13900139000\r\n", []string{"13800138000", "13900139000"}},
		{"Label", "13800138000 (手机)", []string{"13800138000"}},
		{"UnknownBeside", "13800138000 65529988", []string{"13800138000", "65529988"}},
		{"International", "+1 415 555 2671", []string{"+1 415 555 2671"}},
		{"TooLong", "138001380001234", []string{"138001380001234"}},
		{"Text", "暂无", []string{"暂无"}},
		{"Empty", " ", nil},
		{"OnlySeparators", " , ;", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := leadfile.SplitPhones(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("SplitPhones(%q)=%q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseHeader(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want leadfile.Header
		ok   bool
	}{
		{"Chinese", []string{"姓名", "手机号", "公司", "备注"},
			leadfile.Header{Name: []int{0}, Phone: []int{1}, Company: []int{2}, Note: []int{3}}, true},
		{"SeveralPhones", []string{"客户名称", "联系电话", "电话2", "手机号码(必填)", "职位"},
			leadfile.Header{Name: []int{0}, Phone: []int{1, 2, 3}}, true},
		{"English", []string{"\ufeffFirst Name", "Last_Name", " Mobile Number ", "Organization", "Notes"},
			leadfile.Header{Name: []int{0, 1}, Phone: []int{2}, Company: []int{3}, Note: []int{4}}, true},
		{"CaseAndStar", []string{"NAME*", "PHONE_NUMBER*", "work-phone"},
			leadfile.Header{Name: []int{0}, Phone: []int{1, 2}}, true},
		{"NoPhoneTwoKnown", []string{"联系人", "单位", "地址"},
			leadfile.Header{Name: []int{0}, Company: []int{1}}, true},
		{"Title", []string{"2024年3月展会客户名单"}, leadfile.Header{}, false},
		{"OneKnown", []string{"张三", "公司"}, leadfile.Header{Company: []int{1}}, false},
		{"Data", []string{"张三", "13800138000", "北京星辰科技有限公司"}, leadfile.Header{}, false},
		{"LabelledData", []string{"张三", "电话13800138000", "备注"}, leadfile.Header{Note: []int{2}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := leadfile.ParseHeader(tt.in)
			if ok != tt.ok || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("ParseHeader(%q)=%+v, %v, want %+v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestParseLine(t *testing.T) {
	tests := []struct {
		name, in string
		want     beifen.LeadRow
	}{
		{"NameNumberNote", "张三 138 0013 8000 老客户，下周回访",
			beifen.LeadRow{Name: "张三", Phones: []string{"138 0013 8000"}, Note: "老客户 下周回访"}},
		{"NumberFirst", "13800138000 李四", beifen.LeadRow{Name: "李四", Phones: []string{"13800138000"}}},
		{"Glued", "王五13800138000", beifen.LeadRow{Name: "王五", Phones: []string{"13800138000"}}},
		{"Labels", "姓名：赵六 手机:+86 139-1234-5678 备注：要发报价",
			beifen.LeadRow{Name: "赵六", Phones: []string{"+86 139-1234-5678"}, Note: "要发报价"}},
		{"TwoNumbers", "孙七 13800138000 / 010-65529988",
			beifen.LeadRow{Name: "孙七", Phones: []string{"13800138000", "010-65529988"}}},
		{"OrderNumber", "订单2023010112345678 周八", beifen.LeadRow{Name: "订单2023010112345678", Note: "周八"}},
		{"NoNumber", "联系不上的客户", beifen.LeadRow{Name: "联系不上的客户"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := leadfile.ParseLine(tt.in)
			tt.want.Raw = tt.in
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("ParseLine(%q)=%s, want %s", tt.in, js(got), js(tt.want))
			}
		})
	}
}
