package xlsx

import "testing"

func TestExactNumber(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"Integer", "13800138000", "13800138000"},
		{"Scientific", "1.3800138E10", "13800138000"},
		{"ScientificLower", "1.3800138e+10", "13800138000"},
		{"TrailingZero", "13800138000.0", "13800138000"},
		{"Fraction", "1.5", "1.5"},
		{"FractionalScientific", "1.38001381234E5", "1.38001381234E5"},
		{"Huge", "1E20", "1E20"},
		{"Text", "138-0013-8000", "138-0013-8000"},
		{"TextWithE", "E10", "E10"},
		{"Empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := exactNumber(tt.in); got != tt.want {
				t.Fatalf("exactNumber(%q)=%q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
