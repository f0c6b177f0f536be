package http

import (
	"context"
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
}

// OpsOverview is the operator console's page.
type OpsOverview struct {
	Stats      *beifen.UsageStats
	Complaints []*OpsComplaint // unanswered, the nearest deadline first
	Deletions  []*beifen.User  // accounts waiting out their cooling-off period
	Jobs       *JobsRun        // the last run of the hourly jobs, nil before the first
	Teams      []*beifen.Team
	Policies   []*beifen.PolicyDocument
}

// OpsComplaint is an unanswered complaint and how close its deadline is.
type OpsComplaint struct {
	*beifen.Complaint
	Overdue bool
	Soon    bool // due within a few working days
}

// JobsRun is what one run of the hourly jobs did.
type JobsRun struct {
	At       time.Time
	Released int    // customers back in the public pool
	Expired  int    // recordings and call data past the team's retention
	Erased   int    // accounts erased at the end of their cooling-off period
	Minors   int    // accounts of minors erased for want of a guardian's consent
	Failed   string // the jobs that failed, if any
}

type uiOpsData struct {
	*OpsOverview
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
	d := &uiOpsData{OpsOverview: o, ThirdParties: s.ThirdParties, Latency: s.Latency()}
	newByDay, activeByDay := map[string]int{}, map[string]int{}
	for _, day := range o.Stats.Days {
		newByDay[day.Day], activeByDay[day.Day] = day.New, day.Active
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
