package beifen

import (
	"context"
	"strings"
	"time"
)

// Incident is a personal-information security incident (clause 5f): what happened, which data,
// what the platform did and what users should do, whom it affects, and when they and the
// regulator were told.
type Incident struct {
	ID         int64     `json:"id"`
	Title      string    `json:"title"`
	Body       string    `json:"body"`     // the notice users read
	Scope      string    `json:"scope"`    // "all", or "team:ID" for one team's members
	Severity   string    `json:"severity"` // general, larger, major or especially-major (一般, 较大, 重大, 特别重大)
	DetectedAt time.Time `json:"detected_at"`
	CreatedAt  time.Time `json:"created_at"`
	NotifiedAt time.Time `json:"notified_at,omitzero"`
	Notified   int       `json:"notified"` // accounts told
	ReportedAt time.Time `json:"reported_at,omitzero"`
}

// Validate returns EINVALID for an incident that cannot be recorded.
func (i *Incident) Validate() error {
	switch {
	case strings.TrimSpace(i.Title) == "" || strings.TrimSpace(i.Body) == "":
		return Errorf(EINVALID, "An incident needs a title and a notice for the users.")
	case len([]rune(i.Title)) > 100 || len([]rune(i.Body)) > 5000:
		return Errorf(EINVALID, "The title has at most 100 characters and the notice 5,000.")
	case i.Scope != "all" && !strings.HasPrefix(i.Scope, "team:"):
		return Errorf(EINVALID, "An incident affects all accounts or one team (team:ID).")
	case i.DetectedAt.IsZero():
		return Errorf(EINVALID, "An incident needs the time it was detected.")
	case i.Severity != "general" && i.Severity != "larger" && i.Severity != "major" && i.Severity != "especially-major":
		return Errorf(EINVALID, "An incident's level is general, larger, major or especially-major.")
	}
	return nil
}

// RegulatorDeadline is how long after detection an incident of level "larger" (较大) or above
// must be reported to the provincial cyberspace administration, for ordinary operators (rules in
// force from 2025-11-01).
const RegulatorDeadline = 4 * time.Hour

// ReportDueAt is ReportDue for pages: the zero time for a general incident.
func (i *Incident) ReportDueAt() time.Time { t, _ := i.ReportDue(); return t }

// ReportDue returns when the regulator must have the report, or false for a general incident.
func (i *Incident) ReportDue() (time.Time, bool) {
	if i.Severity == "general" || i.Severity == "" {
		return time.Time{}, false
	}
	return i.DetectedAt.Add(RegulatorDeadline), true
}

// Affects reports whether the incident concerns u.
func (i *Incident) Affects(u *User) bool {
	return i.Scope == "all" || (u.TeamID != 0 && i.Scope == "team:"+itoa(u.TeamID))
}

// IncidentUpdate changes what happened to an incident since it was recorded.
type IncidentUpdate struct {
	NotifiedAt *time.Time
	Notified   *int
	ReportedAt *time.Time
}

// IncidentService stores incidents. They are the platform's, not any user's.
type IncidentService interface {
	// CreateIncident records an incident and sets its ID.
	CreateIncident(ctx context.Context, i *Incident) error

	// FindIncidents returns every incident, newest first.
	FindIncidents(ctx context.Context) ([]*Incident, error)

	// UpdateIncident records a notice or report. Returns ENOTFOUND for no such incident.
	UpdateIncident(ctx context.Context, id int64, upd IncidentUpdate) error
}
