package main_test

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestPolicy_7_1_MinorsNeedGuardianConsent: a user under 18 (by their birthday) cannot back up
// until a guardian, on a number of their own, confirms by SMS code; a minor nobody consented for
// is erased after the grace period.
func TestPolicy_7_1_MinorsNeedGuardianConsent(t *testing.T) {
	s := MustRunMain(t, "")
	fifteen := time.Now().AddDate(-15, 0, 0).Format("2006-01-02")
	tok := s.MustCreateUser(t, "13800138000", "")
	setBirthday := func(tok string) {
		if _, st := apiDo(t, "PUT", s.URL+"/api/v1/me/profile", tok, strings.NewReader(`{"birthday":"`+fifteen+`"}`), nil); st != 200 {
			t.Fatalf("birthday: %d", st)
		}
	}
	setBirthday(tok)
	env := clientEnv(s, tok)
	phone := mustGenerate(t, 12)
	if _, err := runCLI(t, env, "backup", phone); err == nil {
		t.Fatal("a minor without a guardian's consent backed up")
	}
	if _, st := apiDo(t, "POST", s.URL+"/api/v1/me/guardian", tok, strings.NewReader(`{"phone":"13800138000"}`), nil); st != 400 {
		t.Fatalf("the minor as their own guardian: %d", st)
	}
	if _, st := apiDo(t, "POST", s.URL+"/api/v1/me/guardian", tok, strings.NewReader(`{"phone":"13900139000"}`), nil); st != 204 {
		t.Fatalf("guardian code: %d", st)
	}
	if _, st := apiDo(t, "POST", s.URL+"/api/v1/me/guardian/confirm", tok, strings.NewReader(`{"phone":"13900139000","code":"`+lastCode(t, s)+`"}`), nil); st != 204 {
		t.Fatalf("guardian confirm: %d", st)
	}
	if sum := mustBackup(t, env, phone); sum.Files == 0 {
		t.Fatalf("backup after consent %+v", sum)
	}
	// Another minor nobody consented for: kept during the grace period, erased after it.
	other := s.MustCreateUser(t, "13700137000", "")
	setBirthday(other)
	ctx := context.Background()
	if r, _ := s.EraseUnconsentedMinors(ctx, time.Now().Add(time.Hour)); len(r) != 0 {
		t.Fatalf("erased during the grace period: %+v", r)
	}
	r, err := s.EraseUnconsentedMinors(ctx, time.Now().Add(31*24*time.Hour))
	if err != nil || len(r) != 1 {
		t.Fatalf("after the grace period: %+v, %v; want the one unconsented minor", r, err)
	}
	if st := get(t, s.URL+"/api/v1/me", other); st != 401 {
		t.Fatalf("the erased minor's token: %d", st)
	}
	if st := get(t, s.URL+"/api/v1/me", tok); st != 200 {
		t.Fatalf("the consented minor was touched: %d", st)
	}
}
