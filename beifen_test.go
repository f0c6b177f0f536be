package beifen_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

func TestNormalizeAddress(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"Plain", "13800138000", "13800138000"},
		{"Plus86Spaces", "+86 138-0013-8000", "13800138000"},
		{"0086", "0086 138 0013 8000", "13800138000"},
		{"ShortCode", "10086", "10086"},
		{"Foreign", "+1 (650) 253-0000", "+16502530000"},
		{"Sender", "China Mobile", "China Mobile"},
		{"Group", "+86 138 0013 8000~10086", "13800138000~10086"},
		{"RCS", "group_8@rcs.google.com", "group_8@rcs.google.com"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := beifen.NormalizeAddress(tt.in); got != tt.want {
				t.Fatalf("NormalizeAddress(%q)=%q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestEpochMillis(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
	}{{"1721556032311", 1721556032311}, {"1721161755", 1721161755000}, {"null", 0}, {"", 0}, {"-5", 0}} {
		if got := beifen.EpochMillis(tt.in); got != tt.want {
			t.Errorf("EpochMillis(%q)=%d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestMessageIdentity(t *testing.T) {
	sms := func(addr, date, body, read string) *beifen.Message {
		return &beifen.Message{Kind: beifen.MessageSMS, Attrs: beifen.Attrs{{Name: "address", Value: addr},
			{Name: "date", Value: date}, {Name: "type", Value: "1"}, {Name: "body", Value: body}, {Name: "read", Value: read}}}
	}
	a := sms("+86 138 0013 8000", "1700000000000", "你好", "0")
	if !bytes.Equal(a.Identity(), sms("13800138000", "1700000000000", "你好", "1").Identity()) {
		t.Error("the same SMS written two ways (and read since) has two identities")
	}
	if bytes.Equal(a.Identity(), sms("13800138000", "1700000000000", "你好!", "0").Identity()) {
		t.Error("two bodies share an identity")
	}
	mms := func(mid, date string) *beifen.Message {
		return &beifen.Message{Kind: beifen.MessageMMS, Attrs: beifen.Attrs{{Name: "m_id", Value: mid},
			{Name: "date", Value: date}, {Name: "msg_box", Value: "1"}}}
	}
	if !bytes.Equal(mms("abc", "1").Identity(), mms("abc", "2").Identity()) {
		t.Error("MMS with the same m_id differ")
	}
	if bytes.Equal(mms("null", "1700000000000").Identity(), mms("null", "1700000000001").Identity()) {
		t.Error("MMS without m_id at different dates share an identity")
	}
}

func TestContactIdentity(t *testing.T) {
	card := func(props ...beifen.ContactProp) *beifen.Contact { return &beifen.Contact{Props: props} }
	fn := beifen.ContactProp{Name: "FN", Value: "张三"}
	tel := beifen.ContactProp{Name: "TEL", Params: []beifen.Param{{Name: "TYPE", Value: "CELL"}}, Value: "13800138000"}
	v21 := beifen.ContactProp{Name: "VERSION", Value: "2.1"}
	v30 := beifen.ContactProp{Name: "VERSION", Value: "3.0"}
	if !bytes.Equal(card(v21, fn, tel).Identity(), card(v30, tel, fn).Identity()) {
		t.Error("the same card in another version and order has another identity")
	}
	uid := beifen.ContactProp{Name: "UID", Value: "u-1"}
	if !bytes.Equal(card(uid, fn).Identity(), card(uid, tel).Identity()) {
		t.Error("a card with a UID changed identity when its content changed")
	}
	if bytes.Equal(card(uid, fn).Fingerprint(), card(uid, tel).Fingerprint()) {
		t.Error("two different cards share a fingerprint")
	}
}

func TestBlobKeyValid(t *testing.T) {
	good := beifen.BlobKey("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
	for k, want := range map[beifen.BlobKey]bool{good: true, "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855": false,
		"../../etc/passwd": false, "": false, good[:63]: false} {
		if got := k.Valid(); got != want {
			t.Errorf("BlobKey(%q).Valid()=%v, want %v", k, got, want)
		}
	}
}

func TestWorkingDaysAfter(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	for _, tt := range []struct {
		from time.Time
		n    int
		want string
	}{
		{time.Date(2026, 3, 2, 10, 0, 0, 0, cst), 15, "2026-03-23"}, // Monday: three weeks on
		{time.Date(2026, 3, 6, 22, 0, 0, 0, cst), 1, "2026-03-09"},  // Friday night: next Monday
		{time.Date(2026, 3, 7, 9, 0, 0, 0, cst), 5, "2026-03-13"},   // Saturday
	} {
		if got := beifen.WorkingDaysAfter(tt.from, tt.n, cst).Format("2006-01-02"); got != tt.want {
			t.Errorf("WorkingDaysAfter(%v, %d)=%s, want %s", tt.from, tt.n, got, tt.want)
		}
	}
}

func TestIDNumberBirthday(t *testing.T) {
	for _, tt := range []struct {
		id, want string
		ok       bool
	}{
		{"11010519491231002X", "1949-12-31", true}, // the standard's own example
		{"11010519491231002x", "1949-12-31", true},
		{"110105194912310021", "", false}, // wrong check character
		{"11010519491331002X", "", false}, // month 13 (the check digit does not help a bad date)
		{"1101051949123100", "", false},
		{"A1010519491231002X", "", false},
	} {
		got, err := beifen.IDNumberBirthday(tt.id)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("IDNumberBirthday(%q)=%q, %v; want %q ok=%v", tt.id, got, err, tt.want, tt.ok)
		}
	}
}

func TestAgeOn(t *testing.T) {
	now := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		birthday string
		want     int
	}{{"2008-11-29", 18}, {"2008-11-30", 17}, {"2012-01-01", 14}} {
		if got, ok := beifen.AgeOn(tt.birthday, now); !ok || got != tt.want {
			t.Errorf("AgeOn(%s)=%d, want %d", tt.birthday, got, tt.want)
		}
	}
}
