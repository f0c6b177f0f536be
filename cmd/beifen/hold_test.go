package main_test

import (
	"context"

	"strings"
	"testing"
	"time"
)

// TestPolicy_1_9_LegalHoldBlocksDeletion: each purpose carries its lawful basis; a legal hold
// (placed with its basis, written to the platform's audit log) keeps an account whose owner asked
// for deletion from being erased, by the hourly job or by an operator, until it is lifted; then
// the deletion goes ahead.
func TestPolicy_1_9_LegalHoldBlocksDeletion(t *testing.T) {
	s := MustRunMain(t, "")
	ctx := context.Background()
	phone := "13800138095"
	tok := s.MustCreateUser(t, phone, "")
	b, _ := apiDo(t, "GET", s.URL+"/api/v1/me/consents", tok, nil, nil)
	if !strings.Contains(string(b), `"purpose":"service","required":true,"basis":"contract"`) ||
		!strings.Contains(string(b), `"purpose":"statistics","required":false,"basis":"consent"`) {
		t.Fatalf("purposes without their basis: %s", b)
	}
	mustBackup(t, clientEnv(s, tok), mustGenerate(t, 3))
	post(t, s.URL+"/api/v1/auth/code", map[string]string{"phone": phone})
	if _, st := apiDo(t, "POST", s.URL+"/api/v1/me/deletion", tok, strings.NewReader(`{"code":"`+lastCode(t, s)+`"}`), nil); st != 202 {
		t.Fatalf("deletion request: %d", st)
	}
	flags := operatorFlags(s)
	if _, err := runCLI(t, operatorEnv(s), append([]string{"hold", "place", "--phone", phone}, flags...)...); err == nil {
		t.Fatal("a hold without its legal basis was placed")
	}
	mustCLI(t, operatorEnv(s), append([]string{"hold", "place", "--phone", phone, "--reason", "(2026)京0105民初123号 保全"}, flags...)...)

	later := time.Now().Add(16 * 24 * time.Hour)
	if r, err := s.EraseDue(ctx, later); err != nil || len(r) != 0 {
		t.Fatalf("erased under a hold: %v %v", r, err)
	}
	if _, err := runCLI(t, operatorEnv(s), append([]string{"user", "erase", "--phone", phone}, flags...)...); err == nil ||
		!strings.Contains(err.Error(), "under a legal hold") {
		t.Fatalf("user erase under a hold: %v", err)
	}
	if st := get(t, s.URL+"/api/v1/snapshots", tok); st != 200 {
		t.Fatalf("the held account's data is gone: %d", st)
	}
	var list struct{ Reason string }
	lastJSON(t, mustCLI(t, operatorEnv(s), append([]string{"hold", "list"}, flags...)...), &list)
	if list.Reason != "(2026)京0105民初123号 保全" {
		t.Fatalf("hold list %+v", list)
	}

	mustCLI(t, operatorEnv(s), append([]string{"hold", "lift", "--phone", phone}, flags...)...)
	if r, err := s.EraseDue(ctx, later); err != nil || len(r) != 1 {
		t.Fatalf("after the hold: erased %v, %v", r, err)
	}
	events, err := s.Audit.PlatformEvents(ctx)
	if err != nil || len(events) != 2 || events[0].Action != "hold.place" || events[1].Action != "hold.lift" {
		t.Fatalf("platform audit %+v %v", events, err)
	}
	if broken, n, err := s.Audit.Verify(ctx, "platform"); err != nil || broken != 0 || n != 2 {
		t.Fatalf("platform chain: broken %d of %d, %v", broken, n, err)
	}
}
