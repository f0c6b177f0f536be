package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

func testPhoneCall(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 9, 30, 15, 0, time.UTC)
	t.Run("AddDedupsAndMatches", func(t *testing.T) {
		s := open(t)
		team, admin := MustCreateMember(t, ctx, s, nil, beifen.RoleAdmin)
		_, staff := MustCreateMember(t, ctx, s, team, beifen.RoleStaff)
		leads := newLeads("p", 1)
		if err := s.Leads.CreateLeads(admin, leads); err != nil {
			t.Fatal(err)
		}
		sid := beifen.UserFromContext(staff).ID
		call := func(hash string, when time.Time) *beifen.PhoneCall {
			return &beifen.PhoneCall{StaffID: sid, PhoneHash: []byte(hash), Sealed: []byte("s"), Type: "2", Date: when, Duration: 61}
		}
		n, err := s.Calls.AddPhoneCalls(staff, []*beifen.PhoneCall{call("p0", at), call("other", at), call("p0", at.Add(time.Hour))})
		if err != nil || n != 3 {
			t.Fatalf("AddPhoneCalls=%d, %v; want 3", n, err)
		}
		again := []*beifen.PhoneCall{call("p0", at), call("p0", at.Add(2*time.Hour))}
		if n, err := s.Calls.AddPhoneCalls(staff, again); err != nil || n != 1 {
			t.Fatalf("second upload added %d, %v; want 1", n, err)
		}
		lead := leads[0].ID
		got, total, err := s.Calls.FindPhoneCalls(admin, beifen.PhoneCallFilter{LeadID: &lead})
		if err != nil || total != 3 || !got[0].Date.Equal(at) || got[0].Duration != 61 || got[0].LeadID != lead {
			t.Fatalf("FindPhoneCalls=%+v n=%d, %v", got, total, err)
		}
	})
	t.Run("ErrOtherTeam", func(t *testing.T) {
		s := open(t)
		_, a := MustCreateMember(t, ctx, s, nil, beifen.RoleAdmin)
		_, b := MustCreateMember(t, ctx, s, nil, beifen.RoleAdmin)
		c := &beifen.PhoneCall{StaffID: beifen.UserFromContext(a).ID, PhoneHash: []byte("x"), Sealed: []byte("s"), Type: "1", Date: at}
		if _, err := s.Calls.AddPhoneCalls(a, []*beifen.PhoneCall{c}); err != nil {
			t.Fatal(err)
		}
		if _, n, _ := s.Calls.FindPhoneCalls(b, beifen.PhoneCallFilter{}); n != 0 {
			t.Fatalf("another team sees %d calls", n)
		}
	})
}
