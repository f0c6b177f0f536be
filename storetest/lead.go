package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/beifen/beifen"
)

func newLeads(prefix string, n int) []*beifen.Lead {
	leads := make([]*beifen.Lead, n)
	for i := range leads {
		leads[i] = &beifen.Lead{PhoneHash: []byte(fmt.Sprint(prefix, i)), Sealed: []byte("sealed")}
	}
	return leads
}

func testLead(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	t.Run("CreateDedups", func(t *testing.T) {
		s := open(t)
		_, mctx := MustCreateMember(t, ctx, s, nil, beifen.RoleAdmin)
		if err := s.Leads.CreateLeads(mctx, newLeads("p", 3)); err != nil {
			t.Fatal(err)
		}
		again := append(newLeads("p", 2), newLeads("q", 1)...)
		if err := s.Leads.CreateLeads(mctx, again); err != nil {
			t.Fatal(err)
		}
		if again[0].ID != 0 || again[1].ID != 0 || again[2].ID == 0 {
			t.Fatalf("IDs %d %d %d, want 0 0 and a new one", again[0].ID, again[1].ID, again[2].ID)
		}
		leads, n, err := s.Leads.FindLeads(mctx, beifen.LeadFilter{})
		if err != nil || n != 4 || len(leads) != 4 || string(leads[0].PhoneHash) != "p0" {
			t.Fatalf("FindLeads=%d/%d, %v; want 4", len(leads), n, err)
		}
		found, err := s.Leads.FindLeadPhones(mctx, [][]byte{[]byte("p1"), []byte("zz"), []byte("q0")})
		if err != nil || len(found) != 2 {
			t.Fatalf("FindLeadPhones found %d, %v; want 2", len(found), err)
		}
		unowned := int64(0)
		if _, n, _ := s.Leads.FindLeads(mctx, beifen.LeadFilter{OwnerID: &unowned, Limit: 1}); n != 4 {
			t.Fatalf("unassigned leads=%d, want 4", n)
		}
	})
	t.Run("DNC", func(t *testing.T) {
		s := open(t)
		_, mctx := MustCreateMember(t, ctx, s, nil, beifen.RoleManager)
		for i := 0; i < 2; i++ {
			if err := s.DNC.AddDNC(mctx, [][]byte{[]byte("a"), []byte("b")}); err != nil {
				t.Fatal(err)
			}
		}
		found, err := s.DNC.FindDNC(mctx, [][]byte{[]byte("a"), []byte("c")})
		if err != nil || len(found) != 1 || string(found[0]) != "a" {
			t.Fatalf("FindDNC=%q, %v; want [a]", found, err)
		}
	})
	t.Run("ErrOtherTeam", func(t *testing.T) {
		s := open(t)
		_, a := MustCreateMember(t, ctx, s, nil, beifen.RoleAdmin)
		_, b := MustCreateMember(t, ctx, s, nil, beifen.RoleAdmin)
		leads := newLeads("p", 1)
		if err := s.Leads.CreateLeads(a, leads); err != nil {
			t.Fatal(err)
		}
		s.DNC.AddDNC(a, [][]byte{[]byte("p0")})
		id := leads[0].ID
		if got, n, err := s.Leads.FindLeads(b, beifen.LeadFilter{ID: &id}); err != nil || n != 0 || len(got) != 0 {
			t.Fatalf("another team sees %d leads, %v", n, err)
		}
		if found, _ := s.Leads.FindLeadPhones(b, [][]byte{[]byte("p0")}); len(found) != 0 {
			t.Fatal("another team's number counts as this team's lead")
		}
		if found, _ := s.DNC.FindDNC(b, [][]byte{[]byte("p0")}); len(found) != 0 {
			t.Fatal("another team's do-not-call list applies")
		}
		// The same number is a new lead for the other team.
		other := newLeads("p", 1)
		if err := s.Leads.CreateLeads(b, other); err != nil || other[0].ID == 0 {
			t.Fatalf("the other team could not add the number: %v", err)
		}
	})
	t.Run("ErrNoTeam", func(t *testing.T) {
		s := open(t)
		_, uctx := MustCreateUser(t, ctx, s)
		_, _, err := s.Leads.FindLeads(uctx, beifen.LeadFilter{})
		wantError(t, err, beifen.EFORBIDDEN, "You are not a member of a team.")
		wantError(t, s.DNC.AddDNC(ctx, nil), beifen.EUNAUTHORIZED, "You must be signed in.")
	})
}
