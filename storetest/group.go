package storetest

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

// testGroup: a manager sees the leads and recordings of their group, of staff in no group and
// of nobody; not another manager's group.
func testGroup(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	s := open(t)
	team, admin := MustCreateMember(t, ctx, s, nil, beifen.RoleAdmin)
	_, mgrA := MustCreateMember(t, ctx, s, team, beifen.RoleManager)
	_, mgrB := MustCreateMember(t, ctx, s, team, beifen.RoleManager)
	a, b := beifen.UserFromContext(mgrA).ID, beifen.UserFromContext(mgrB).ID
	member := func(manager int64) int64 {
		_, c := MustCreateMember(t, ctx, s, team, beifen.RoleStaff)
		id := beifen.UserFromContext(c).ID
		if manager != 0 {
			if _, err := s.Users.UpdateUser(ctx, id, beifen.UserUpdate{ManagerID: &manager}); err != nil {
				t.Fatal(err)
			}
		}
		return id
	}
	inA, inB, loose := member(a), member(b), member(0)
	if u, err := s.Users.FindUserByID(ctx, inA); err != nil || u.ManagerID != a {
		t.Fatalf("ManagerID=%+v, %v", u, err)
	}
	if group, _, err := s.Users.FindUsers(ctx, beifen.UserFilter{ManagerID: &a}); err != nil || len(group) != 1 || group[0].ID != inA {
		t.Fatalf("FindUsers(manager A)=%v, %v", group, err)
	}
	leads := newLeads("g", 4)
	for i, owner := range []int64{inA, inB, loose, 0} {
		leads[i].OwnerID = owner
	}
	if err := s.Leads.CreateLeads(admin, leads); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for i, staff := range []int64{inA, inB, loose} {
		rec := &beifen.Recording{StaffID: staff, BlobName: "g" + itoa(int64(i)), Size: 1, PhoneHash: []byte{byte(i)}, Sealed: []byte("s"), StartedAt: at}
		if err := s.Recs.CreateRecording(admin, rec, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	owners := func(c context.Context, m *int64) []int64 {
		list, n, err := s.Leads.FindLeads(c, beifen.LeadFilter{Manager: m})
		if err != nil || n != len(list) {
			t.Fatalf("FindLeads: %d of %d, %v", len(list), n, err)
		}
		var out []int64
		for _, l := range list {
			out = append(out, l.OwnerID)
		}
		slices.Sort(out)
		return out
	}
	if got, want := owners(mgrA, &a), []int64{0, inA, loose}; !slices.Equal(got, want) {
		t.Fatalf("manager A sees leads of %v, want %v", got, want)
	}
	if got := owners(admin, nil); len(got) != 4 {
		t.Fatalf("the admin sees %v", got)
	}
	staffOf := func(m *int64) []int64 {
		list, _, err := s.Recs.FindRecordings(mgrB, beifen.RecordingFilter{Manager: m})
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, r := range list {
			out = append(out, r.StaffID)
		}
		slices.Sort(out)
		return out
	}
	if got, want := staffOf(&b), []int64{inB, loose}; !slices.Equal(got, want) {
		t.Fatalf("manager B sees recordings of %v, want %v", got, want)
	}
	if got := staffOf(nil); len(got) != 3 {
		t.Fatalf("unfiltered recordings %v", got)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
