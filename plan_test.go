package beifen_test

import (
	"testing"
	"time"

	"github.com/beifen/beifen"
)

// TestTeamPlan_Quotas: the plan in force bounds new additions; once the paid period ends the
// team is back on the free plan's quotas, with everything it holds kept.
func TestTeamPlan_Quotas(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	paid := &beifen.TeamPlan{Plan: "standard", PaidUntil: now.Add(time.Hour), Members: 3, Customers: 200, RecordingBytes: 1 << 30}
	lapsed := *paid
	lapsed.PaidUntil = now.Add(-time.Hour)
	for _, tt := range []struct {
		name string
		err  error
		want string
	}{
		{"PaidSeats", paid.CheckSeats(now), ""},
		{"PaidCustomers", paid.CheckCustomers(now, 10), ""},
		{"PaidRecording", paid.CheckRecording(now, 1<<20), ""},
		{"LapsedSeats", lapsed.CheckSeats(now), "Your plan allows 3 members; upgrade to add more."},
		{"LapsedCustomers", lapsed.CheckCustomers(now, 1), "Your plan allows 200 customers; upgrade to add more."},
		{"LapsedRecording", lapsed.CheckRecording(now, 1), "Your plan allows 1 GB of call recordings; upgrade to add more."},
		{"UnknownPlanIsFree", (&beifen.TeamPlan{Plan: "gold", PaidUntil: now.Add(time.Hour), Members: 3}).CheckSeats(now), "Your plan allows 3 members; upgrade to add more."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want == "" && tt.err != nil || tt.want != "" && (beifen.ErrorCode(tt.err) != beifen.EFORBIDDEN || beifen.ErrorMessage(tt.err) != tt.want) {
				t.Fatalf("err=%v, want %q", tt.err, tt.want)
			}
		})
	}
	if p := lapsed.Current(now); p.ID != beifen.FreePlan || lapsed.Members != 3 {
		t.Fatalf("Current=%v, want the free plan", p.ID)
	}
	if _, err := beifen.FindPlan("gold"); beifen.ErrorCode(err) != beifen.EINVALID {
		t.Fatalf("FindPlan(gold)=%v, want EINVALID", err)
	}
}
