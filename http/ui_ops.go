package http

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/ui"
)

// Operations is what the operator console reads and does; cmd/beifen wires it from the
// services.
type Operations interface {
	// IsOperator reports whether u may open the console.
	IsOperator(u *beifen.User) bool
	// Overview gathers the console's page.
	Overview(ctx context.Context) (*OpsOverview, error)
	// AnswerComplaint stores a reply the user sees with their complaint.
	AnswerComplaint(ctx context.Context, id int64, reply string) error
	// AnswerRequest closes a rights request, done or refused, with the reply the user reads.
	AnswerRequest(ctx context.Context, id int64, status, reply string) error
	// RecordIncident, NotifyIncident and ReportIncident keep clause 5f: an incident recorded,
	// every affected account told, the regulator's report.
	RecordIncident(ctx context.Context, i *beifen.Incident) error
	NotifyIncident(ctx context.Context, id int64) (int, error)
	ReportIncident(ctx context.Context, id int64) (any, error)
	// SendNotice sends a service notice to everyone or a marketing message to those who consented
	// (clause 1.1.3), and returns how many got it.
	SendNotice(ctx context.Context, kind, title, body string) (int, error)
	// Announce publishes a moderation announcement about an account, naming it by its public
	// name only (clause 3.3).
	Announce(ctx context.Context, userID int64, text string) (*beifen.Announcement, error)
	// Announcements returns the public announcements, newest first.
	Announcements(ctx context.Context) ([]*beifen.Announcement, error)
	// Marketing activities with a partner (clause 3.1.5).
	CreateActivity(ctx context.Context, a *beifen.Activity) error
	Activities(ctx context.Context) ([]*beifen.Activity, error)
	SignUp(ctx context.Context, id int64, consent bool) error
	Withdraw(ctx context.Context, id int64) error
	ExportSignUps(ctx context.Context, id int64, w io.Writer) (int, error)
	// ResearchExport writes the de-identified export for an analytics or research partner
	// (clauses 3.1.3, 3.1.4).
	ResearchExport(ctx context.Context, partner string, w io.Writer) (kept, suppressed int, err error)
}

// NoticeBoard shows the signed-in user the incident notices that concern them and their
// notification centre.
type NoticeBoard interface {
	Notices(ctx context.Context) ([]*beifen.Incident, error)
	Inbox(ctx context.Context) ([]*beifen.Notice, error)
}

// OpsOverview is the operator console's page.
type OpsOverview struct {
	Stats      *beifen.UsageStats
	Complaints []*OpsComplaint // unanswered, the nearest deadline first
	Requests   []*OpsRequest   // open rights requests, the nearest deadline first
	Deletions  []*beifen.User  // accounts waiting out their cooling-off period
	Jobs       *JobsRun        // the last run of the hourly jobs, nil before the first
	Incidents  []*beifen.Incident
	Users      []*beifen.User // the newest accounts, by ID only: no number or name
	Teams      []*beifen.Team
	Policies   []*beifen.PolicyDocument
}

// OpsComplaint is an unanswered complaint and how close its deadline is.
type OpsComplaint struct {
	*beifen.Complaint
	Overdue bool
	Soon    bool // due within a few working days
}

// OpsRequest is an open rights request and how close its deadline is.
type OpsRequest struct {
	*beifen.RightsRequest
	Overdue bool
	Soon    bool
}

// JobsRun is what one run of the hourly jobs did.
type JobsRun struct {
	At       time.Time
	Released int    // customers back in the public pool
	Expired  int    // recordings and call data past the team's retention
	Erased   int    // accounts erased at the end of their cooling-off period
	Minors   int    // accounts of minors erased for want of a guardian's consent
	SignIns  int    // sign-ins past their retention, removed
	Reminded int    // rights requests near their deadline the operators were reminded of
	Failed   string // the jobs that failed, if any
}

type uiOpsData struct {
	*OpsOverview
	Now                 time.Time
	Severities          []string
	Activities          []*beifen.Activity
	Reports             []*beifen.ErrorReport
	NewBars, ActiveBars []uiBar
	ChartW              int
	ThirdParties        []ThirdParty
	Latency             Latency
}

// operator refuses anyone but an operator, as not found: the console does not announce itself.
func (s *Server) operator(v *ui.View) error {
	if s.Ops == nil || !s.Ops.IsOperator(v.User) {
		return beifen.Errorf(beifen.ENOTFOUND, "Not found.")
	}
	return nil
}

func (s *Server) handleUIOps(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	if err := s.operator(v); err != nil {
		return err
	}
	o, err := s.Ops.Overview(r.Context())
	if err != nil {
		return err
	}
	d := &uiOpsData{OpsOverview: o, ThirdParties: s.ThirdParties, Latency: s.Latency(), Now: time.Now(),
		Severities: []string{"general", "larger", "major", "especially-major"}}
	newByDay, activeByDay := map[string]int{}, map[string]int{}
	for _, day := range o.Stats.Days {
		newByDay[day.Day], activeByDay[day.Day] = day.New, day.Active
	}
	if d.Activities, err = s.Ops.Activities(r.Context()); err != nil {
		return err
	}
	if s.Reports != nil {
		if d.Reports, err = s.Reports.FindErrorReports(r.Context(), time.Now().AddDate(0, 0, -7), 20); err != nil {
			return err
		}
	}
	d.NewBars, d.ChartW = bars(newByDay, len(o.Stats.Days))
	d.ActiveBars, _ = bars(activeByDay, len(o.Stats.Days))
	v.Data = d
	return s.render(w, r, http.StatusOK, "ops", v)
}

func (s *Server) handleUIOpsAnswer(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	if err := s.operator(v); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return beifen.Errorf(beifen.ENOTFOUND, "Complaint not found.")
	}
	reply := strings.TrimSpace(r.FormValue("reply"))
	if reply == "" {
		return beifen.Errorf(beifen.EINVALID, "Write the answer first.")
	}
	if err := s.Ops.AnswerComplaint(r.Context(), id, reply); err != nil {
		return err
	}
	redirectDone(w, r, "/ops#complaints", "flash.answered")
	return nil
}

func (s *Server) handleUIOpsRequestAnswer(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	if err := s.operator(v); err != nil {
		return err
	}
	id, err := pathID(r, "id", "Request not found.")
	if err != nil {
		return err
	}
	status := beifen.RequestDone
	if r.FormValue("refuse") != "" {
		status = beifen.RequestRefused
	}
	if err := s.Ops.AnswerRequest(r.Context(), id, status, r.FormValue("reply")); err != nil {
		return err
	}
	redirectDone(w, r, "/ops#requests", "flash.answered")
	return nil
}

func (s *Server) handleUIIncidentCreate(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	if err := s.operator(v); err != nil {
		return err
	}
	detected, err := time.ParseInLocation("2006-01-02T15:04", r.FormValue("detected_at"), ui.Zone)
	if err != nil {
		return beifen.Errorf(beifen.EINVALID, "Give the time the incident was detected.")
	}
	scope := "all"
	if team := strings.TrimSpace(r.FormValue("team")); team != "" {
		if _, err := strconv.ParseInt(team, 10, 64); err != nil {
			return beifen.Errorf(beifen.EINVALID, "A team is given by its number.")
		}
		scope = "team:" + team
	}
	i := &beifen.Incident{Title: strings.TrimSpace(r.FormValue("title")), Body: strings.TrimSpace(r.FormValue("body")),
		Scope: scope, Severity: r.FormValue("severity"), DetectedAt: detected}
	if err := s.Ops.RecordIncident(r.Context(), i); err != nil {
		return err
	}
	redirectDone(w, r, "/ops#incidents", "flash.saved")
	return nil
}

func (s *Server) handleUIIncidentNotify(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	if err := s.operator(v); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return beifen.Errorf(beifen.ENOTFOUND, "Incident not found.")
	}
	if _, err := s.Ops.NotifyIncident(r.Context(), id); err != nil {
		return err
	}
	redirectDone(w, r, "/ops#incidents", "flash.notified")
	return nil
}

func (s *Server) handleUIIncidentReport(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	if err := s.operator(v); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return beifen.Errorf(beifen.ENOTFOUND, "Incident not found.")
	}
	rep, err := s.Ops.ReportIncident(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", `attachment; filename="incident-`+strconv.FormatInt(id, 10)+`-report.json"`)
	writeJSON(w, http.StatusOK, rep)
	return nil
}

func (s *Server) handleUINoticeSend(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	if err := s.operator(v); err != nil {
		return err
	}
	n, err := s.Ops.SendNotice(r.Context(), r.FormValue("kind"), strings.TrimSpace(r.FormValue("title")), strings.TrimSpace(r.FormValue("body")))
	if err != nil {
		return err
	}
	v.Flash = v.T("ops.notice_sent", n)
	return s.handleUIOps(w, r, v)
}

func (s *Server) handleUIAnnounce(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	if err := s.operator(v); err != nil {
		return err
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(r.FormValue("account")), "#"), 10, 64)
	if err != nil {
		return beifen.Errorf(beifen.EINVALID, "Give the account by its number (#ID).")
	}
	if _, err := s.Ops.Announce(r.Context(), id, strings.TrimSpace(r.FormValue("text"))); err != nil {
		return err
	}
	redirectDone(w, r, "/announcements", "flash.saved")
	return nil
}

// handleUIAnnouncements is the public page of moderation announcements: the only place an
// account appears in public, by its public name.
func (s *Server) handleUIAnnouncements(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	var list []*beifen.Announcement
	if s.Ops != nil {
		var err error
		if list, err = s.Ops.Announcements(r.Context()); err != nil {
			return err
		}
	}
	v.Data = list
	return s.render(w, r, http.StatusOK, "announcements", v)
}

func (s *Server) handleUIActivityCreate(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	if err := s.operator(v); err != nil {
		return err
	}
	ends, err := time.ParseInLocation("2006-01-02", r.FormValue("ends"), ui.Zone)
	if err != nil {
		return beifen.Errorf(beifen.EINVALID, "Give the activity's last day.")
	}
	a := &beifen.Activity{Title: strings.TrimSpace(r.FormValue("title")), Description: strings.TrimSpace(r.FormValue("description")),
		Partner: strings.TrimSpace(r.FormValue("partner")), EndsAt: ends.Add(24*time.Hour - time.Second)}
	if err := s.Ops.CreateActivity(r.Context(), a); err != nil {
		return err
	}
	redirectDone(w, r, "/ops#activities", "flash.saved")
	return nil
}

func (s *Server) handleUIActivityExport(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	if err := s.operator(v); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return beifen.Errorf(beifen.ENOTFOUND, "Activity not found.")
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="activity-`+r.PathValue("id")+`-signups.csv"`)
	_, err = s.Ops.ExportSignUps(r.Context(), id, w)
	return err
}

type uiActivitiesData struct {
	Activities []*beifen.Activity
	Now        time.Time
}

func (s *Server) handleUIActivities(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	list, err := s.Ops.Activities(r.Context())
	if err != nil {
		return err
	}
	v.Data = &uiActivitiesData{Activities: list, Now: time.Now()}
	return s.render(w, r, http.StatusOK, "activities", v)
}

func (s *Server) handleUIActivitySignUp(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return beifen.Errorf(beifen.ENOTFOUND, "Activity not found.")
	}
	if r.FormValue("withdraw") != "" {
		err = s.Ops.Withdraw(r.Context(), id)
	} else {
		err = s.Ops.SignUp(r.Context(), id, r.FormValue("consent") == "1")
	}
	if err != nil {
		return err
	}
	redirectDone(w, r, "/activities", "flash.saved")
	return nil
}

func (s *Server) handleUIResearchExport(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	if err := s.operator(v); err != nil {
		return err
	}
	partner := strings.TrimSpace(r.URL.Query().Get("partner"))
	if partner == "" {
		return beifen.Errorf(beifen.EINVALID, "Name the partner the export is for.")
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="research-export.csv"`)
	_, _, err := s.Ops.ResearchExport(r.Context(), partner, w)
	return err
}
