package beifen

import (
	"context"
	"sort"
	"time"
)

// UserActivity is one account as the usage statistics of clause 1.7 see it: when it joined,
// whether its owner lets it be counted (PurposeStatistics), and when it made backups.
type UserActivity struct {
	UserID    int64
	JoinedAt  time.Time
	Consented bool
	Backups   []time.Time // in the period asked for, oldest first
}

// StatsService reads what the usage statistics count.
type StatsService interface {
	// FindActivity returns every account that is not erased, with its backups since then.
	FindActivity(ctx context.Context, since time.Time) ([]*UserActivity, error)
}

// UsageStats are the operator's statistics (clause 1.7): new and active accounts per day, how
// many new accounts made a first backup, and weekly cohorts of who came back. Only accounts
// whose owners consented to the statistics purpose are counted (clause 1.8).
type UsageStats struct {
	Accounts  int // not erased
	Counted   int // of them, consenting to statistics
	Days      []DayStats
	Activated int // counted accounts that joined in the period and made a backup
	Joined    int // counted accounts that joined in the period
	Cohorts   []Cohort
}

// DayStats is one day of the statistics.
type DayStats struct {
	Day    string // YYYY-MM-DD
	New    int    // accounts that joined
	Active int    // accounts that made a backup
}

// Cohort is the accounts that joined in one week, and how many of them made a backup in each
// of the weeks after.
type Cohort struct {
	Week     string // the Monday, YYYY-MM-DD
	Joined   int
	Returned []int // [0]: in the week they joined; [i]: i weeks later, up to now
}

// CohortWeeks is how many weeks of cohorts the statistics show.
const CohortWeeks = 6

// UsageStatsOf works out the statistics of the last days days up to now, in loc.
func UsageStatsOf(acts []*UserActivity, now time.Time, days int, loc *time.Location) *UsageStats {
	st := &UsageStats{Accounts: len(acts)}
	now = now.In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	first := today.AddDate(0, 0, -(days - 1))
	index := map[string]int{}
	for i := 0; i < days; i++ {
		d := first.AddDate(0, 0, i).Format("2006-01-02")
		index[d] = i
		st.Days = append(st.Days, DayStats{Day: d})
	}
	monday := func(t time.Time) time.Time {
		t = t.In(loc)
		d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
		return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
	}
	thisWeek := monday(now)
	firstWeek := thisWeek.AddDate(0, 0, -7*(CohortWeeks-1))
	cohorts := map[string]*Cohort{}
	for i := 0; i < CohortWeeks; i++ {
		w := firstWeek.AddDate(0, 0, 7*i)
		c := &Cohort{Week: w.Format("2006-01-02"), Returned: make([]int, CohortWeeks-i)}
		cohorts[c.Week] = c
		st.Cohorts = append(st.Cohorts, *c)
	}
	for _, a := range acts {
		if !a.Consented {
			continue
		}
		st.Counted++
		joined := a.JoinedAt.In(loc).Format("2006-01-02")
		if i, ok := index[joined]; ok {
			st.Days[i].New++
			st.Joined++
			if len(a.Backups) > 0 {
				st.Activated++
			}
		}
		active := map[string]bool{}
		for _, b := range a.Backups {
			if d := b.In(loc).Format("2006-01-02"); !active[d] {
				active[d] = true
				if i, ok := index[d]; ok {
					st.Days[i].Active++
				}
			}
		}
		c := cohorts[monday(a.JoinedAt).Format("2006-01-02")]
		if c == nil {
			continue
		}
		c.Joined++
		returned := map[int]bool{}
		for _, b := range a.Backups {
			w := int(monday(b).Sub(monday(a.JoinedAt)).Hours()/24+0.5) / 7
			if w >= 0 && w < len(c.Returned) && !returned[w] {
				returned[w] = true
				c.Returned[w]++
			}
		}
	}
	for i := range st.Cohorts {
		st.Cohorts[i] = *cohorts[st.Cohorts[i].Week]
	}
	sort.Slice(st.Cohorts, func(i, j int) bool { return st.Cohorts[i].Week < st.Cohorts[j].Week })
	return st
}
