package support

import (
	"context"
	"time"

	"github.com/beifen/beifen"
)

// Incidents (clause 5f): the operator records what happened, every affected account is told
// through its channel (a text to its number, and the notice in its privacy centre), and the
// regulator gets a report of the facts and the notices given.

// RecordIncident stores an incident.
func (s *Service) RecordIncident(ctx context.Context, i *beifen.Incident) error {
	if err := s.Store.Incidents.CreateIncident(ctx, i); err != nil {
		return err
	}
	s.Logger.InfoContext(ctx, "incident recorded", "incident_id", i.ID, "scope", i.Scope)
	return nil
}

// Incidents returns every incident, newest first.
func (s *Service) Incidents(ctx context.Context) ([]*beifen.Incident, error) {
	return s.Store.Incidents.FindIncidents(ctx)
}

func (s *Service) incident(ctx context.Context, id int64) (*beifen.Incident, error) {
	list, err := s.Store.Incidents.FindIncidents(ctx)
	if err != nil {
		return nil, err
	}
	for _, i := range list {
		if i.ID == id {
			return i, nil
		}
	}
	return nil, beifen.Errorf(beifen.ENOTFOUND, "Incident not found.")
}

// NotifyIncident texts every affected account that is not erased and marks the incident
// notified; the text names the incident and where to read the notice, never any personal data.
// Notifying again texts everyone again (a corrected notice). It returns how many were told.
func (s *Service) NotifyIncident(ctx context.Context, id int64) (int, error) {
	inc, err := s.incident(ctx, id)
	if err != nil {
		return 0, err
	}
	if s.SMS == nil || s.OpenProfile == nil {
		return 0, beifen.Errorf(beifen.EINTERNAL, "No SMS channel is configured.")
	}
	text := "【手机备份】安全事件通知：" + inc.Title + "。详情请登录后在“隐私中心”查看。"
	n, failed := 0, 0
	err = beifen.EachAccount(ctx, s.Store.Users, func(u *beifen.User) error {
		if !inc.Affects(u) {
			return nil
		}
		if err := s.OpenProfile(u); err != nil {
			return err
		}
		texted, mailed, _ := s.sendMessage(ctx, u, message{text: text, subject: "【手机备份】安全事件通知：" + inc.Title,
			body:      "安全事件通知：" + inc.Title + "。详情请登录后在“隐私中心”查看。\n\n—— 手机备份 Phone Backup\n",
			pushTitle: "安全事件通知", push: inc.Title + "。详情请登录后在“隐私中心”查看。"})
		if !texted && !mailed {
			failed++
			s.Logger.WarnContext(ctx, "incident notice not sent", "incident_id", id, "user_id", u.ID)
			return nil
		}
		n++
		return nil
	})
	if err != nil {
		return n, err
	}
	now := s.Now().UTC()
	if err := s.Store.Incidents.UpdateIncident(ctx, id, beifen.IncidentUpdate{NotifiedAt: &now, Notified: &n}); err != nil {
		return n, err
	}
	s.Logger.InfoContext(ctx, "incident notified", "incident_id", id, "notified", n, "failed", failed)
	return n, nil
}

// IncidentReport is what the regulator is sent about an incident: the facts, whom it
// affected and when they were told. It names no one.
type IncidentReport struct {
	Incident   *beifen.Incident `json:"incident"`
	DueBy      time.Time        `json:"due_by,omitzero"` // for level "larger" and above: detection + 4 h
	Affected   int              `json:"affected_accounts"`
	Notified   int              `json:"notified_accounts"`
	Channels   []string         `json:"channels"`
	ReportedAt time.Time        `json:"reported_at"`
}

// ReportIncident returns the regulator's report and marks the incident reported.
func (s *Service) ReportIncident(ctx context.Context, id int64) (*IncidentReport, error) {
	inc, err := s.incident(ctx, id)
	if err != nil {
		return nil, err
	}
	affected := 0
	err = beifen.EachAccount(ctx, s.Store.Users, func(u *beifen.User) error {
		if inc.Affects(u) {
			affected++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	if err := s.Store.Incidents.UpdateIncident(ctx, id, beifen.IncidentUpdate{ReportedAt: &now}); err != nil {
		return nil, err
	}
	inc.ReportedAt = now
	due, _ := inc.ReportDue()
	return &IncidentReport{Incident: inc, DueBy: due, Affected: affected, Notified: inc.Notified,
		Channels: s.channels(), ReportedAt: now}, nil
}

// Notices returns the incidents the signed-in user was told of, newest first.
func (s *Service) Notices(ctx context.Context) ([]*beifen.Incident, error) {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return nil, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	list, err := s.Store.Incidents.FindIncidents(ctx)
	if err != nil {
		return nil, err
	}
	out := []*beifen.Incident{}
	for _, i := range list {
		if !i.NotifiedAt.IsZero() && i.Affects(u) {
			out = append(out, i)
		}
	}
	return out, nil
}

// channels lists the channels notices reach users by.
func (s *Service) channels() []string {
	out := []string{"sms", "privacy-centre"}
	if s.Mail != nil {
		out = append(out, "email")
	}
	if s.Push != nil {
		out = append(out, "push")
	}
	return out
}
