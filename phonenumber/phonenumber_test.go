package phonenumber_test

import (
	"testing"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/phonenumber"
)

func TestNormalize(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"Bare", "13800138000", "+8613800138000"},
		{"Spaces", " 138 0013 8000 ", "+8613800138000"},
		{"Dashes", "138-0013-8000", "+8613800138000"},
		{"Plus86", "+86 138 0013 8000", "+8613800138000"},
		{"0086", "008613800138000", "+8613800138000"},
		{"Landline", "010-6552 9988", "+861065529988"},
		{"US", "+1 650-253-0000", "+16502530000"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := phonenumber.Normalize(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("Normalize(%q)=%q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
	for _, in := range []string{"", "abc", "123", "1380013800099999"} {
		if _, err := phonenumber.Normalize(in); beifen.ErrorCode(err) != beifen.EINVALID {
			t.Errorf("Normalize(%q) err=%v, want EINVALID", in, err)
		}
	}
}

func TestMask(t *testing.T) {
	if got := phonenumber.Mask("+8613800138000"); got != "+86138****8000" {
		t.Fatalf("Mask=%q, want +86138****8000", got)
	}
}

// TestNormalizeFastPath checks that the mobile fast path agrees with libphonenumber, including
// for blocks it has seen before.
func TestNormalizeFastPath(t *testing.T) {
	for _, in := range []string{"13800138000", "13800138001", "+86 138-0013-8002", "0086 13800138003", "8613800138004",
		"14000000000", "14000000001", "15400000000", "19912345678", "12345678901", "10086", "1380013800",
		"00 13800138000", "+1 3800138000", "86 1380013800"} {
		for i := 0; i < 2; i++ { // the second time from the block cache
			got, err := phonenumber.Normalize(in)
			want, werr := phonenumber.NormalizeSlow(in)
			if got != want || (err == nil) != (werr == nil) {
				t.Fatalf("Normalize(%q)=%q, %v; libphonenumber says %q, %v", in, got, err, want, werr)
			}
		}
	}
}
