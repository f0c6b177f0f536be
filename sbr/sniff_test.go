package sbr_test

import (
	"strings"
	"testing"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/sbr"
)

func TestSniff(t *testing.T) {
	decl := "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"
	tests := []struct {
		name string
		head string
		want beifen.ExportFormat
	}{
		{"Messages", decl + `<smses count="3">`, beifen.FormatSBRMessages},
		{"Calls", decl + "<calls count=\"3\">", beifen.FormatSBRCalls},
		{"BOMAndStylesheet", "\ufeff" + decl + "<?xml-stylesheet type=\"text/xsl\" href=\"sms.xsl\"?>\r\n<smses>", beifen.FormatSBRMessages},
		{"Comment", decl + "<!--File Created By SMS Backup & Restore-->\n<calls\ncount='1'>", beifen.FormatSBRCalls},
		{"Doctype", "<!DOCTYPE smses>\n<smses/>", beifen.FormatSBRMessages},
		{"NoDeclaration", "  <smses>", beifen.FormatSBRMessages},
		{"LongerName", decl + "<smsesx>", ""},
		{"CutAfterName", decl + "<smses", ""},
		{"HTML", "<html><smses>", ""},
		{"VCard", "BEGIN:VCARD\r\n", ""},
		{"Empty", "", ""},
		{"UnterminatedComment", "<!-- <smses>", ""},
		{"RootBeyond4KiB", "<!--" + strings.Repeat("x", 4096) + "--><smses>", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sbr.Sniff([]byte(tt.head)); got != tt.want {
				t.Fatalf("Sniff=%q, want %q", got, tt.want)
			}
		})
	}
}
