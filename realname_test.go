package beifen_test

import (
	"testing"
	"time"

	"github.com/beifen/beifen"
)

func TestRealNameIdentityValidate(t *testing.T) {
	for _, tt := range []struct {
		name, in, id, want, msg string
	}{
		{"OK", "张三", "11010519491231002X", "1949-12-31", ""},
		{"LowerXAndSpaces", " 张三 ", " 11010519491231002x ", "1949-12-31", ""},
		{"WrongCheck", "张三", "110105194912310021", "", "The ID number's check character is wrong."},
		{"Short", "张三", "1101051949123100", "", "An ID number has 18 characters."},
		{"Letters", "张三", "1101051949A231002X", "", "An ID number has 17 digits before its check character."},
		{"OneCharacterName", "张", "11010519491231002X", "", "A name has 2 to 64 characters."},
		{"NoName", "  ", "11010519491231002X", "", "A name has 2 to 64 characters."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			id := beifen.RealNameIdentity{Name: tt.in, IDNumber: tt.id}
			got, err := id.Validate()
			if got != tt.want || beifen.ErrorMessage(err) != tt.msg {
				t.Fatalf("Validate()=%q, %v; want %q, %q", got, err, tt.want, tt.msg)
			}
			if err == nil && (id.IDNumber != "11010519491231002X" || id.Name != "张三") {
				t.Fatalf("not normalised: %+v", id)
			}
		})
	}
}

func TestParseRealNameFeatures(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		want     int
		msg      string
	}{
		{"Empty", "", 0, ""},
		{"Share", "share", 1, ""},
		{"Repeated", "share, share", 1, ""},
		{"Unknown", "share,dating", 0, `Unknown real-name feature "dating".`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := beifen.ParseRealNameFeatures(tt.in)
			if len(got) != tt.want || beifen.ErrorMessage(err) != tt.msg {
				t.Fatalf("ParseRealNameFeatures(%q)=%v, %v; want %d features, %q", tt.in, got, err, tt.want, tt.msg)
			}
		})
	}
}

func TestMask(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"张三", "张*"}, {"欧阳娜娜", "欧***"}, {"", ""},
	} {
		if got := beifen.MaskName(tt.in); got != tt.want {
			t.Errorf("MaskName(%q)=%q, want %q", tt.in, got, tt.want)
		}
	}
	for _, tt := range []struct{ in, want string }{
		{"11010519491231002X", "110105**********2X"}, {"123", "***"},
	} {
		if got := beifen.MaskIDNumber(tt.in); got != tt.want {
			t.Errorf("MaskIDNumber(%q)=%q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestUserAgeOn: a verified ID number's birth date takes precedence over a typed birthday.
func TestUserAgeOn(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name, typed, id string
		age             int
		ok, child       bool
	}{
		{"Unknown", "", "", 0, false, false},
		{"Typed", "1990-01-01", "", 36, true, false},
		{"IDWins", "1990-01-01", "2016-06-02", 9, true, true},
		{"Thirteen", "", "2012-06-02", 13, true, true},
		{"Fourteen", "", "2012-06-01", 14, true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			u := &beifen.User{Profile: beifen.Profile{Birthday: tt.typed}, IDBirthday: tt.id}
			age, ok := u.AgeOn(now)
			if age != tt.age || ok != tt.ok || u.IsChild(now) != tt.child {
				t.Fatalf("AgeOn=%d, %v, IsChild=%v; want %d, %v, %v", age, ok, u.IsChild(now), tt.age, tt.ok, tt.child)
			}
		})
	}
}

// TestConsentsInForceFor: for a child only a guardian's grant counts; a withdrawal by anyone ends it.
func TestConsentsInForceFor(t *testing.T) {
	m, g := beifen.PurposeMarketing, beifen.PurposeLocation
	ledger := []*beifen.Consent{
		{Purpose: m, Granted: true},
		{Purpose: g, Granted: true, ByGuardian: true},
		{Purpose: beifen.PurposeStatistics, Granted: true, ByGuardian: true},
		{Purpose: beifen.PurposeStatistics, Granted: false},
	}
	for _, tt := range []struct {
		name            string
		child           bool
		market, located bool
	}{
		{"Adult", false, true, true},
		{"Child", true, false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := beifen.ConsentsInForceFor(ledger, tt.child)
			if got[m] != tt.market || got[g] != tt.located || got[beifen.PurposeStatistics] || !got[beifen.PurposeService] {
				t.Fatalf("ConsentsInForceFor(child=%v)=%v", tt.child, got)
			}
		})
	}
}
