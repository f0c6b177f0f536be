package main_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/beifen/beifen"
	beifenhttp "github.com/beifen/beifen/http"
)

// TestTeamGroups: staff join a manager's group (组) with user add --manager. A manager sees the
// customers and report rows of their group and of staff in no group, never another group's; an
// admin sees the whole team; staff see their own.
func TestTeamGroups(t *testing.T) {
	s := MustRunMain(t, "")
	ctx := context.Background()
	team, admin := mustTeam(t, s, beifen.RoleAdmin, "13911115000")
	mgrA := mustMember(t, s, team, "13911115001", beifen.RoleManager)
	mgrB := mustMember(t, s, team, "13911115002", beifen.RoleManager)
	staff := func(phone, manager string) map[string]string {
		args := []string{"user", "add", "--phone", phone, "--team", itoa(team), "--role", "staff"}
		if manager != "" {
			args = append(args, "--manager", manager)
		}
		out := mustCLI(t, operatorEnv(s), append(args, operatorFlags(s)...)...)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		return clientEnv(s, lines[len(lines)-1])
	}
	inA, inB, loose := staff("13711115001", "13911115001"), staff("13711115002", "13911115002"), staff("13711115003", "")
	if _, err := runCLI(t, operatorEnv(s), append([]string{"user", "add", "--phone", "13711115009", "--team", itoa(team),
		"--role", "staff", "--manager", "13911115000"}, operatorFlags(s)...)...); err == nil {
		t.Fatal("an admin was accepted as a group's manager")
	}
	leads := filepath.Join(t.TempDir(), "leads.txt")
	os.WriteFile(leads, []byte("甲 13912345001\n乙 13912345002\n丙 13912345003\n丁 13912345004\n"), 0o600)
	if sum := mustImport(t, admin, leads); sum.Imported != 4 {
		t.Fatalf("import %+v", sum)
	}
	task := lastInt(t, mustCLI(t, admin, "task", "create", "--name", "分组", "--window", "00:00-24:00"))
	// Each staff member connects with one lead, which becomes their customer.
	for _, env := range []map[string]string{inA, inB, loose} {
		c := beifenhttp.NewClient(s.URL, env["BEIFEN_TOKEN"])
		d, err := c.NextLead(ctx, task)
		if err != nil || d == nil {
			t.Fatalf("next lead: %+v %v", d, err)
		}
		if _, err := c.LogOutcome(ctx, task, d.LeadID, &beifen.CallLog{Outcome: beifen.OutcomeConnected, TalkSeconds: 30}); err != nil {
			t.Fatal(err)
		}
	}
	owned := func(env map[string]string) (n, owners int) {
		list, _, err := beifenhttp.NewClient(s.URL, env["BEIFEN_TOKEN"]).FindLeads(ctx, beifen.LeadFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range list {
			if l.OwnerID != 0 {
				owners++
			}
		}
		return len(list), owners
	}
	for _, tt := range []struct {
		who           string
		env           map[string]string
		leads, owners int
	}{
		{"admin", admin, 4, 3},
		{"manager A", mgrA, 3, 2}, // A's member, the loose member, the lead nobody owns
		{"manager B", mgrB, 3, 2},
		{"staff", inA, 1, 1},
	} {
		if n, o := owned(tt.env); n != tt.leads || o != tt.owners {
			t.Errorf("%s sees %d leads (%d owned), want %d (%d)", tt.who, n, o, tt.leads, tt.owners)
		}
	}
	rowsOf := func(env map[string]string) []int64 {
		rows, err := beifenhttp.NewClient(s.URL, env["BEIFEN_TOKEN"]).ReportRows(ctx, task)
		if err != nil {
			t.Fatal(err)
		}
		var staffIDs []int64
		for _, r := range rows {
			if r.Day == "" && r.StaffID != 0 {
				staffIDs = append(staffIDs, r.StaffID)
			}
		}
		return staffIDs
	}
	all, a, b := rowsOf(admin), rowsOf(mgrA), rowsOf(mgrB)
	if len(all) != 3 || len(a) != 2 || len(b) != 2 || slices.Equal(a, b) {
		t.Fatalf("report rows: admin %v, A %v, B %v", all, a, b)
	}
}
