package beifen_test

import (
	"testing"

	"github.com/beifen/beifen"
)

func TestNormalizeEmail(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"plain", "zhang.san@example.com", "zhang.san@example.com"},
		{"domain lower-cased, local part kept", " Zhang@Example.COM ", "Zhang@example.com"},
		{"display name", "张三 <zhang@example.com>", ""},
		{"two addresses", "a@example.com, b@example.com", ""},
		{"no domain dot", "zhang@localhost", ""},
		{"not ASCII", "张三@例子.中国", ""},
		{"header injection", "a@example.com\r\nBcc: b@example.com", ""},
		{"empty", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := beifen.NormalizeEmail(tt.in)
			if tt.want == "" {
				if beifen.ErrorCode(err) != beifen.EINVALID {
					t.Fatalf("NormalizeEmail(%q)=%q, %v, want EINVALID", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("NormalizeEmail(%q)=%q, %v, want %q", tt.in, got, err, tt.want)
			}
		})
	}
	if got := beifen.MaskEmail("zhang@example.com"); got != "z***@example.com" {
		t.Fatalf("MaskEmail=%q", got)
	}
}
