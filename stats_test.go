package beifen_test

import (
	"testing"
	"time"

	"github.com/beifen/beifen"
)

// TestUsageStatsOf: only consenting accounts count; new and active per day; activation among
// the new; cohorts by the Monday of the joining week with returns in later weeks.
func TestUsageStatsOf(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, cst) // a Sunday
	day := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, cst) }
	acts := []*beifen.UserActivity{
		{UserID: 1, JoinedAt: day(27, 9), Consented: true, Backups: []time.Time{day(27, 10), day(27, 11), day(29, 8)}},
		{UserID: 2, JoinedAt: day(28, 23), Consented: true},
		{UserID: 3, JoinedAt: day(29, 1), Consented: false, Backups: []time.Time{day(29, 2)}},
		{UserID: 4, JoinedAt: day(16, 9), Consented: true, Backups: []time.Time{day(16, 10), day(24, 10), day(29, 10)}},
	}
	st := beifen.UsageStatsOf(acts, now, 7, cst)
	if st.Accounts != 4 || st.Counted != 3 || st.Joined != 2 || st.Activated != 1 {
		t.Fatalf("accounts %d counted %d joined %d activated %d", st.Accounts, st.Counted, st.Joined, st.Activated)
	}
	last := st.Days[len(st.Days)-1]
	if len(st.Days) != 7 || st.Days[0].Day != "2026-11-23" || last.Day != "2026-11-29" || last.New != 0 || last.Active != 2 {
		t.Fatalf("days %+v", st.Days)
	}
	if d := st.Days[4]; d.Day != "2026-11-27" || d.New != 1 || d.Active != 1 {
		t.Fatalf("27th: %+v (two backups in one day count once)", d)
	}
	if len(st.Cohorts) != beifen.CohortWeeks {
		t.Fatalf("%d cohorts", len(st.Cohorts))
	}
	this, prev := st.Cohorts[len(st.Cohorts)-1], st.Cohorts[len(st.Cohorts)-2]
	if this.Week != "2026-11-23" || this.Joined != 2 || len(this.Returned) != 1 || this.Returned[0] != 1 {
		t.Fatalf("this week's cohort %+v", this)
	}
	// Joined on Monday the 16th, backed up that week and twice the next (counted once).
	if prev.Week != "2026-11-16" || prev.Joined != 1 || len(prev.Returned) != 2 || prev.Returned[0] != 1 || prev.Returned[1] != 1 {
		t.Fatalf("last week's cohort %+v", prev)
	}
	if first := st.Cohorts[0]; first.Week != "2026-10-19" || first.Joined != 0 || len(first.Returned) != beifen.CohortWeeks {
		t.Fatalf("first cohort %+v", first)
	}
}
