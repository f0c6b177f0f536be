package http

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/ui"
)

// The staff phone page and the manager console of the sales workspace.

type uiStaffData struct {
	Tasks     []*beifen.Task
	Customers []*beifen.Lead
	Callbacks []*beifen.Callback
}

func (s *Server) handleUIStaff(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	tasks, err := s.TaskService.FindTasks(r.Context())
	if err != nil {
		return err
	}
	d := &uiStaffData{Tasks: tasks} // a staff member's own, by FindTasks
	if v.User.Role == beifen.RoleStaff {
		if d.Customers, _, err = s.LeadService.FindLeads(r.Context(), beifen.LeadFilter{Limit: 100}); err != nil {
			return err
		}
		if d.Callbacks, err = s.TaskService.FindCallbacks(r.Context()); err != nil {
			return err
		}
	}
	v.Data = d
	return s.render(w, r, http.StatusOK, "staff", v)
}

type uiStaffTaskData struct {
	Task     *beifen.Task
	Lead     *beifen.Lead
	Empty    bool
	Outcomes []beifen.Outcome
	Intents  []string
}

func (s *Server) staffTask(r *http.Request) (*beifen.Task, error) {
	id, err := strconv.ParseInt(r.PathValue("task"), 10, 64)
	if err != nil {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "Task not found.")
	}
	return s.TaskService.FindTask(r.Context(), id)
}

func (s *Server) handleUIStaffTask(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	t, err := s.staffTask(r)
	if err != nil {
		return err
	}
	v.Data = &uiStaffTaskData{Task: t, Empty: r.URL.Query().Get("empty") != ""}
	return s.render(w, r, http.StatusOK, "staff_task", v)
}

// handleUIStaffNext hands the caller the next lead and shows it as a card with its number to
// dial: the number is revealed (and audited) only here.
func (s *Server) handleUIStaffNext(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	t, err := s.staffTask(r)
	if err != nil {
		return err
	}
	d, err := s.TaskService.NextLead(r.Context(), t.ID)
	if err != nil {
		return err
	}
	if d == nil {
		http.Redirect(w, r, fmt.Sprintf("/staff/t/%d?empty=1", t.ID), http.StatusSeeOther)
		return nil
	}
	lead := &beifen.Lead{ID: d.LeadID, Phone: d.Phone, Name: d.Name}
	v.Data = &uiStaffTaskData{Task: t, Lead: lead, Outcomes: outcomes, Intents: []string{"A", "B", "C", "D"}}
	return s.render(w, r, http.StatusOK, "staff_task", v)
}

var outcomes = []beifen.Outcome{beifen.OutcomeConnected, beifen.OutcomeNoAnswer, beifen.OutcomeBusy,
	beifen.OutcomeCallback, beifen.OutcomeRefused, beifen.OutcomeInvalid}

// handleUIStaffLead is where a reload of a lead card lands: the number is not shown again.
func (s *Server) handleUIStaffLead(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	http.Redirect(w, r, "/staff/t/"+r.PathValue("task"), http.StatusSeeOther)
	return nil
}

func (s *Server) handleUIStaffOutcome(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	t, err := s.staffTask(r)
	if err != nil {
		return err
	}
	leadID, err := strconv.ParseInt(r.PathValue("lead"), 10, 64)
	if err != nil {
		return beifen.Errorf(beifen.ENOTFOUND, "Lead not found.")
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxRecording+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil && err != http.ErrNotMultipart {
		return beifen.Errorf(beifen.EINVALID, "The form was cut short; send it again.")
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	c := &beifen.CallLog{
		Outcome:     beifen.Outcome(r.FormValue("outcome")),
		Intent:      r.FormValue("intent"),
		Note:        strings.TrimSpace(r.FormValue("note")),
		TalkSeconds: formInt(r, "talk_seconds"),
		ViaPhone:    r.FormValue("via_phone") != "",
	}
	if at := r.FormValue("next_follow_up"); at != "" {
		// datetime-local has no zone: it is the caller's wall clock, taken in the team's zone
		// by the service; here, as UTC+8 (China Standard Time), the only zone teams use today.
		tm, err := time.ParseInLocation("2006-01-02T15:04", at, ui.Zone)
		if err != nil {
			return beifen.Errorf(beifen.EINVALID, "Unreadable follow-up time.")
		}
		c.NextFollow = tm
	}
	sent, err := s.TaskService.LogOutcome(r.Context(), t.ID, leadID, c)
	if err != nil {
		return err
	}
	// The call's recording, if the phone kept one, goes up with the outcome: one tap.
	if f, fh, err := r.FormFile("recording"); err == nil {
		defer f.Close()
		start := time.Now().Add(-time.Duration(c.TalkSeconds) * time.Second)
		if _, err := s.Recorder.UploadRecording(r.Context(), fh.Filename, r.FormValue("phone"), start, fh.Size, f); err != nil {
			return err
		}
	}
	if c.Text != nil { // the phone sends it: one tap opens the phone's SMS app with the text
		v.Data = &uiSendTextData{Task: t, Text: c.Text,
			// html/template passes only the URL schemes it knows; this one is built here, from an
			// E.164 number and an escaped body.
			Link: template.URL("sms:" + c.Text.To + "?body=" + strings.ReplaceAll(url.QueryEscape(c.Text.Body), "+", "%20"))}
		return s.render(w, r, http.StatusOK, "send_text", v)
	}
	key := "staff.logged"
	if sent {
		key = "staff.text_sent"
	}
	redirectDone(w, r, fmt.Sprintf("/staff/t/%d", t.ID), key)
	return nil
}

type uiSendTextData struct {
	Task *beifen.Task
	Text *beifen.PhoneText
	Link template.URL
}

type uiManageData struct {
	Plan       *PlanResponse // the admin's only
	PayURL     string        // after starting an upgrade: the payment provider's page
	Import     *beifen.LeadImport
	Tasks      []*uiTaskSummary
	Recordings []*beifen.Recording
	Bars       []uiBar
	ChartW     int
	RateBars   []uiBar // connect rate per staff member, %
	TalkBars   []uiBar // talk time per staff member, minutes
	StaffW     int
}

type uiTaskSummary struct {
	Task             *beifen.Task
	Dials, Connected int
}

// uiBar is one bar of a chart drawn on the server as SVG.
type uiBar struct {
	X, Y, W, H, TX, VY int
	Label              string
	Value              int
}

func (s *Server) manageData(r *http.Request) (*uiManageData, error) {
	ctx := r.Context()
	d := &uiManageData{}
	if u := beifen.UserFromContext(ctx); s.Plans != nil && u != nil && u.Role == beifen.RoleAdmin {
		tp, err := s.Plans.TeamPlan(ctx)
		if err != nil {
			return nil, err
		}
		d.Plan = &PlanResponse{TeamPlan: tp, Current: tp.Current(time.Now()), Plans: beifen.Plans[1:]}
	}
	tasks, err := s.TaskService.FindTasks(ctx)
	if err != nil {
		return nil, err
	}
	perDay := map[string]int{}
	type staffSum struct {
		name                     string
		dials, connected, talked int
	}
	perStaff := map[int64]*staffSum{}
	for _, t := range tasks {
		sum := &uiTaskSummary{Task: t}
		rows, err := s.Reporter.Report(ctx, t.ID)
		if err != nil {
			return nil, err
		}
		for _, row := range rows {
			if row.Day == "" {
				if row.StaffID != 0 {
					st := perStaff[row.StaffID]
					if st == nil {
						st = &staffSum{name: row.Staff}
						perStaff[row.StaffID] = st
					}
					st.dials, st.connected, st.talked = st.dials+row.Dials, st.connected+row.Connected, st.talked+row.TalkSeconds
				}
				continue
			}
			sum.Dials, sum.Connected = sum.Dials+row.Dials, sum.Connected+row.Connected
			perDay[row.Day] += row.Dials
		}
		d.Tasks = append(d.Tasks, sum)
	}
	d.Bars, d.ChartW = bars(perDay, 14)
	ids := make([]int64, 0, len(perStaff))
	for id := range perStaff {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var names []string
	var rates, minutes []int
	for _, id := range ids {
		st := perStaff[id]
		name := st.name
		if name == "" {
			name = fmt.Sprintf("#%d", id)
		}
		names, rates, minutes = append(names, name), append(rates, st.connected*100/max(st.dials, 1)), append(minutes, (st.talked+59)/60)
	}
	d.RateBars, d.StaffW = barsOf(names, rates, 100)
	d.TalkBars, _ = barsOf(names, minutes, 0)
	if d.Recordings, _, err = s.Recorder.FindRecordings(ctx, beifen.RecordingFilter{Limit: 50}); err != nil {
		return nil, err
	}
	return d, nil
}

// bars lays out the last n days of counts as SVG bars, labelled MM-DD.
func bars(perDay map[string]int, n int) ([]uiBar, int) {
	var days []string
	for day := range perDay {
		days = append(days, day)
	}
	slices.Sort(days)
	if len(days) > n {
		days = days[len(days)-n:]
	}
	labels, values := make([]string, len(days)), make([]int, len(days))
	for i, day := range days {
		labels[i], values[i] = day[5:], perDay[day]
	}
	return barsOf(labels, values, 0)
}

// barsOf lays out values as SVG bars at most 100 units high, the tallest full height (or top,
// when top > 0, as for percentages), and returns them with the chart's width.
func barsOf(labels []string, values []int, top int) ([]uiBar, int) {
	if len(values) == 0 {
		return nil, 0
	}
	if top <= 0 {
		top = 1
		for _, v := range values {
			top = max(top, v)
		}
	}
	const w, gap = 36, 8
	out := make([]uiBar, 0, len(values))
	for i, v := range values {
		h := min(v, top) * 100 / top
		x := gap + i*(w+gap)
		label := labels[i]
		if r := []rune(label); len(r) > 5 {
			label = string(r[:5])
		}
		out = append(out, uiBar{X: x, Y: 118 - h, W: w, H: h, TX: x + w/2, VY: 114 - h, Label: label, Value: v})
	}
	return out, gap + len(values)*(w+gap)
}

func (s *Server) handleUIManage(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	if !v.IsManager() {
		return beifen.Errorf(beifen.EFORBIDDEN, "Your role may not do this.")
	}
	d, err := s.manageData(r)
	if err != nil {
		return err
	}
	v.Data = d
	return s.render(w, r, http.StatusOK, "manage", v)
}

func (s *Server) handleUIImport(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	r.Body = http.MaxBytesReader(w, r.Body, MaxLeadFile)
	f, fh, err := r.FormFile("file")
	if err != nil {
		return beifen.Errorf(beifen.EINVALID, "Choose the lead file.")
	}
	defer f.Close()
	res, err := s.LeadImportService.ImportLeads(r.Context(), fh.Filename, f, nil)
	if err != nil {
		return err
	}
	d, err := s.manageData(r)
	if err != nil {
		return err
	}
	d.Import = res
	v.Data = d
	return s.render(w, r, http.StatusOK, "manage", v)
}

// handleUIPlan starts an upgrade and shows the link to the payment provider's page: a link, not
// a redirect, since the pages' CSP lets forms go only to this server.
func (s *Server) handleUIPlan(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	_, payURL, err := s.Plans.Upgrade(r.Context(), r.FormValue("plan"))
	if err != nil {
		return err
	}
	d, err := s.manageData(r)
	if err != nil {
		return err
	}
	d.PayURL = payURL
	v.Data = d
	return s.render(w, r, http.StatusOK, "manage", v)
}

type uiReviewData struct {
	Recording *beifen.Recording
	Rubric    []uiRubricItem
	Review    *beifen.Review
}

type uiRubricItem struct {
	Key    string
	Weight float64
	Score  float64
}

var rubric = []uiRubricItem{{"rubric.greeting", 30, 0}, {"rubric.needs", 40, 0}, {"rubric.compliance", 30, 0}}

func (s *Server) reviewRecording(r *http.Request) (*beifen.Recording, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "Recording not found.")
	}
	list, _, err := s.Recorder.FindRecordings(r.Context(), beifen.RecordingFilter{ID: &id})
	if err != nil {
		return nil, err
	} else if len(list) == 0 {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "Recording not found.")
	}
	return list[0], nil
}

func (s *Server) handleUIReview(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	rec, err := s.reviewRecording(r)
	if err != nil {
		return err
	}
	v.Data = &uiReviewData{Recording: rec, Rubric: rubric}
	return s.render(w, r, http.StatusOK, "review", v)
}

func (s *Server) handleUIReviewPost(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	rec, err := s.reviewRecording(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return beifen.Errorf(beifen.EINVALID, "Unreadable form.")
	}
	names, weights, scores := r.Form["item"], r.Form["weight"], r.Form["score"]
	if len(names) != len(weights) || len(names) != len(scores) {
		return beifen.Errorf(beifen.EINVALID, "Each rubric item needs a score.")
	}
	rv := &beifen.Review{RecordingID: rec.ID}
	items := make([]uiRubricItem, len(names))
	for i := range names {
		wt, err1 := strconv.ParseFloat(weights[i], 64)
		sc, err2 := strconv.ParseFloat(scores[i], 64)
		if err1 != nil || err2 != nil {
			return beifen.Errorf(beifen.EINVALID, "Scores must be numbers from 0 to 100.")
		}
		rv.Items = append(rv.Items, beifen.ReviewItem{Name: ui.T(ui.Chinese, names[i]), Weight: wt, Score: sc})
		items[i] = uiRubricItem{Key: names[i], Weight: wt, Score: sc}
	}
	if text := strings.TrimSpace(r.FormValue("comment_text")); text != "" {
		at, _ := strconv.ParseFloat(r.FormValue("comment_at"), 64)
		rv.Comments = append(rv.Comments, beifen.ReviewComment{AtSeconds: at, Text: text})
	}
	if err := s.Recorder.ReviewRecording(r.Context(), rv); err != nil {
		return err
	}
	v.Data = &uiReviewData{Recording: rec, Rubric: items, Review: rv}
	return s.render(w, r, http.StatusOK, "review", v)
}

func (s *Server) handleUITaskCreate(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	to := r.FormValue("to")
	if to == "00:00" { // a time field cannot say 24:00: midnight as the end is the end of the day
		to = "24:00"
	}
	req := &beifen.TaskRequest{Name: r.FormValue("name"), Window: r.FormValue("from") + "-" + to}
	for _, p := range strings.FieldsFunc(r.FormValue("staff"), func(c rune) bool { return c == ',' || c == '，' || c == ' ' || c == '\n' }) {
		req.Staff = append(req.Staff, p)
	}
	if _, err := s.TaskService.CreateTask(r.Context(), req); err != nil {
		return err
	}
	redirectDone(w, r, "/manage", "flash.task_created")
	return nil
}

func (s *Server) handleUILeads(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	if !v.IsManager() {
		return beifen.Errorf(beifen.EFORBIDDEN, "Your role may not do this.")
	}
	off := offsetOf(r)
	list, total, err := s.LeadService.FindLeads(r.Context(), beifen.LeadFilter{Offset: off, Limit: 100})
	if err != nil {
		return err
	}
	v.Pager = ui.NewPager(*r.URL, off, 100, len(list), total)
	v.Data = list
	return s.render(w, r, http.StatusOK, "leads", v)
}

func (s *Server) handleUITimeline(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return beifen.Errorf(beifen.ENOTFOUND, "Lead not found.")
	}
	tl, err := s.CallLogger.Timeline(r.Context(), id)
	if err != nil {
		return err
	}
	v.Data = tl
	return s.render(w, r, http.StatusOK, "timeline", v)
}
