package main

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/beifen/beifen"
	beifenhttp "github.com/beifen/beifen/http"
	"github.com/beifen/beifen/phonenumber"
)

// The operator console's data, gathered from the services (see beifenhttp.Operations).

// opsZone is the time zone the statistics count days in.
var opsZone = beifen.China

// opsDays is how many days of statistics the console shows.
const opsDays = 14

// opsWarnDays is how many working days before its deadline a complaint is flagged.
const opsWarnDays = 3

// IsOperator reports whether u's number is one of the configured operators.
func (m *Main) IsOperator(u *beifen.User) bool {
	if u == nil || u.TeamID != 0 {
		return false
	}
	m.opsOnce.Do(func() {
		m.operators = map[string]bool{}
		for _, p := range m.Config.Operators {
			if e164, err := phonenumber.Normalize(p); err == nil {
				m.operators[e164] = true
			} else {
				m.Logger.Warn("operator number ignored: not a phone number")
			}
		}
	})
	return m.operators[u.Phone]
}

// Overview gathers the operator console's page.
func (m *Main) Overview(ctx context.Context) (*beifenhttp.OpsOverview, error) {
	now := time.Now()
	o := &beifenhttp.OpsOverview{Jobs: m.lastJobs.Load()}
	acts, err := m.Store.Users.FindActivity(ctx, now.AddDate(0, 0, -7*beifen.CohortWeeks-7))
	if err != nil {
		return nil, err
	}
	o.Stats = beifen.UsageStatsOf(acts, now, opsDays, opsZone)
	open, err := m.Support.DueBy(ctx, now.AddDate(1, 0, 0))
	if err != nil {
		return nil, err
	}
	soon := beifen.WorkingDaysAfter(now, opsWarnDays, opsZone)
	for _, c := range open {
		o.Complaints = append(o.Complaints, &beifenhttp.OpsComplaint{Complaint: c, Overdue: c.DueAt.Before(now), Soon: c.DueAt.Before(soon)})
	}
	sort.SliceStable(o.Complaints, func(i, j int) bool { return o.Complaints[i].DueAt.Before(o.Complaints[j].DueAt) })
	requests, err := m.Support.OpenRequests(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range requests { // by deadline already
		if r.Kind != beifen.RightClose { // those end with their cooling-off, listed below
			o.Requests = append(o.Requests, &beifenhttp.OpsRequest{RightsRequest: r, Overdue: r.DueAt.Before(now), Soon: r.DueAt.Before(soon)})
		}
	}
	far := now.AddDate(100, 0, 0)
	if o.Deletions, _, err = m.Store.Users.FindUsers(ctx, beifen.UserFilter{EraseDue: &far}); err != nil {
		return nil, err
	}
	if o.Incidents, err = m.Support.Incidents(ctx); err != nil {
		return nil, err
	}
	total := 0
	if _, total, err = m.Store.Users.FindUsers(ctx, beifen.UserFilter{Limit: 1}); err != nil {
		return nil, err
	}
	if o.Users, _, err = m.Store.Users.FindUsers(ctx, beifen.UserFilter{Offset: max(total-100, 0), Limit: 100}); err != nil {
		return nil, err
	}
	if o.Teams, err = m.Store.Teams.FindTeams(ctx); err != nil {
		return nil, err
	}
	if o.Policies, err = m.Store.Policies.FindPolicies(ctx); err != nil {
		return nil, err
	}
	return o, nil
}

// AnswerComplaint stores the operator's reply to a complaint.
func (m *Main) AnswerComplaint(ctx context.Context, id int64, reply string) error {
	return m.Support.Answer(ctx, id, reply)
}

// RecordIncident stores an incident (clause 5f).
func (m *Main) RecordIncident(ctx context.Context, i *beifen.Incident) error {
	return m.Support.RecordIncident(ctx, i)
}

// NotifyIncident tells every affected account.
func (m *Main) NotifyIncident(ctx context.Context, id int64) (int, error) {
	return m.Support.NotifyIncident(ctx, id)
}

// ReportIncident returns the regulator's report.
func (m *Main) ReportIncident(ctx context.Context, id int64) (any, error) {
	return m.Support.ReportIncident(ctx, id)
}

// SendNotice sends a service notice or a marketing message (clause 1.1.3).
func (m *Main) SendNotice(ctx context.Context, kind, title, body string) (int, error) {
	return m.Support.SendNotice(ctx, kind, title, body)
}

// Announce publishes a moderation announcement about an account, by its public name: its
// nickname, or "用户 #ID" when it has none. Never its number or real name.
func (m *Main) Announce(ctx context.Context, userID int64, text string) (*beifen.Announcement, error) {
	u, err := m.Store.Users.FindUserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	if len(u.WrappedKey) == 0 {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "User not found.")
	}
	if err := m.Auth.OpenProfile(u); err != nil {
		return nil, err
	}
	name := u.Profile.Nickname
	if name == "" {
		name = fmt.Sprintf("用户 #%d", u.ID)
	}
	a := &beifen.Announcement{UserID: u.ID, PublicName: name, Text: text}
	if err := m.Store.Announces.CreateAnnouncement(ctx, a); err != nil {
		return nil, err
	}
	return a, m.Audit.AuditPlatform(ctx, "announcement.publish", fmt.Sprintf("user:%d", u.ID))
}

// Announcements returns the public announcements, newest first.
func (m *Main) Announcements(ctx context.Context) ([]*beifen.Announcement, error) {
	return m.Store.Announces.FindAnnouncements(ctx, 100)
}

// AnswerRequest closes a rights request with the operator's reply.
func (m *Main) AnswerRequest(ctx context.Context, id int64, status, reply string) error {
	return m.Support.AnswerRequest(ctx, id, status, reply)
}
