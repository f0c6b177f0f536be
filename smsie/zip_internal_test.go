package smsie

import "testing"

func TestSafeName(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"messages.ndjson", true},
		{"data/PART_1712345678901", true},
		{"data/MISSING_FILENAME1712350000000image.png", true},
		{"", false},
		{"../messages.ndjson", false},
		{"data/../../etc/passwd", false},
		{"/etc/passwd", false},
		{`data\..\x`, false},
		{"C:/x", false},
		{"data/./x", false},
		{"a\x00b", false},
	}
	for _, tt := range tests {
		if got := safeName(tt.in); got != tt.want {
			t.Errorf("safeName(%q)=%v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestDataName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/data/user/0/com.android.providers.telephony/app_parts/PART_1712345678901", "PART_1712345678901"},
		{"/data/data/com.android.providers.telephony/app_parts/PART_1%20a.jpg", "PART_1 a.jpg"},
		{"/app_parts/PART_9/", "PART_9"},
		{"PART_7", "PART_7"},
		{"MISSING_FILENAME1712350000000image/1.png", "MISSING_FILENAME1712350000000image/1.png"},
		{"/x/%zz", "%zz"},
	}
	for _, tt := range tests {
		if got := dataName(tt.in); got != tt.want {
			t.Errorf("dataName(%q)=%q, want %q", tt.in, got, tt.want)
		}
	}
}
