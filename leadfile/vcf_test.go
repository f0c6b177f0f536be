package leadfile_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/beifen/beifen"
)

// testdata/android21.vcf is an Android contacts export: vCard 2.1, quoted-printable UTF-8,
// bare TEL types, a card with N but no FN, and a card with no number.
func TestDecodeVCF(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "android21.vcf"))
	if err != nil {
		t.Fatal(err)
	}
	got := mustDecode(t, data, "00001.vcf")
	want := []beifen.LeadRow{
		{Row: 1, Name: "张三", Phones: []string{"+86 138 0013 8000", "010-6552 1234"}, Company: "北京星辰科技有限公司 研发部",
			Note: "展会认识\n要报价", Raw: "张三\t+86 138 0013 8000 010-6552 1234\t北京星辰科技有限公司 研发部\t展会认识\n要报价"},
		{Row: 2, Name: "李四", Phones: []string{"13900139000"}, Raw: "李四\t13900139000\t\t"},
		{Row: 3, Name: "王五", Raw: "王五\t\t\t"},
	}
	checkRows(t, got, want)
}
