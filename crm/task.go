package crm

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/phonenumber"
)

// CreateTask creates a dial task over the team's unassigned leads.
func (s *Service) CreateTask(ctx context.Context, req *beifen.TaskRequest) (*beifen.Task, error) {
	if _, err := s.teamOf(ctx, beifen.RoleAdmin, beifen.RoleManager); err != nil {
		return nil, err
	}
	t := &beifen.Task{Name: strings.TrimSpace(req.Name), WindowStart: beifen.DefaultWindowStart,
		WindowEnd: beifen.DefaultWindowEnd, RetryDelay: beifen.DefaultRetryDelay,
		MaxAttempts: beifen.DefaultMaxAttempts, Lease: beifen.DefaultLease}
	if req.Window != "" {
		var err error
		if t.WindowStart, t.WindowEnd, err = parseWindow(req.Window); err != nil {
			return nil, err
		}
	}
	for _, phone := range req.Staff {
		id, err := s.memberID(ctx, phone)
		if err != nil {
			return nil, err
		}
		t.Staff = append(t.Staff, id)
	}
	unassigned := int64(0)
	leads, _, err := s.Store.Leads.FindLeads(ctx, beifen.LeadFilter{OwnerID: &unassigned})
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(leads))
	for i, l := range leads {
		ids[i] = l.ID
	}
	if err := s.Store.Tasks.CreateTask(ctx, t, ids); err != nil {
		return nil, err
	}
	s.Logger.InfoContext(ctx, "task created", "team_id", t.TeamID, "task_id", t.ID, "leads", len(ids))
	return t, nil
}

// memberID returns the ID of the caller's team member with that phone number. Someone of
// another team reads the same as nobody.
func (s *Service) memberID(ctx context.Context, phone string) (int64, error) {
	e164, err := phonenumber.Normalize(phone)
	if err != nil {
		return 0, err
	}
	u, err := s.Store.Users.FindUserByPhoneHash(ctx, s.PhoneHash(e164))
	if err != nil && beifen.ErrorCode(err) != beifen.ENOTFOUND {
		return 0, err
	}
	if u == nil || u.TeamID != beifen.TeamIDFromContext(ctx) {
		return 0, beifen.Errorf(beifen.EINVALID, "%s is not a member of your team.", phonenumber.Mask(e164))
	}
	return u.ID, nil
}

// parseWindow reads HH:MM-HH:MM (24:00 allowed at the end) into minutes after midnight.
func parseWindow(w string) (int, int, error) {
	var h1, m1, h2, m2 int
	if n, err := fmt.Sscanf(w, "%d:%d-%d:%d", &h1, &m1, &h2, &m2); n != 4 || err != nil ||
		m1 > 59 || m2 > 59 || h1 < 0 || m1 < 0 || m2 < 0 || h1*60+m1 >= h2*60+m2 || h2*60+m2 > 24*60 {
		return 0, 0, beifen.Errorf(beifen.EINVALID, "The calling window must be HH:MM-HH:MM within one day.")
	}
	return h1*60 + m1, h2*60 + m2, nil
}

// NextLead hands the calling staff member the next lead of a task, or nil when nothing is left
// to call now. Returns ECONFLICT outside the task's calling window and EFORBIDDEN for someone
// who is not one of the task's callers.
func (s *Service) NextLead(ctx context.Context, taskID int64) (*beifen.Dispatch, error) {
	tm, task, err := s.callerTask(ctx, taskID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if err := s.inWindow(ctx, task, now); err != nil {
		return nil, err
	}
	id, err := s.Store.Tasks.ClaimLead(ctx, taskID, now)
	if err != nil || id == 0 {
		return nil, err
	}
	leads, _, err := s.Store.Leads.FindLeads(ctx, beifen.LeadFilter{ID: &id})
	if err != nil {
		return nil, err
	} else if len(leads) == 0 {
		return nil, fmt.Errorf("claimed lead %d is gone", id)
	}
	if err := tm.openLead(leads[0]); err != nil {
		return nil, err
	}
	if err := s.audit(ctx, "lead.dial", "lead:"+itoa(id)); err != nil { // the number is revealed to dial it
		return nil, err
	}
	s.Logger.InfoContext(ctx, "lead dispatched", "task_id", taskID, "lead_id", id, "user_id", beifen.UserIDFromContext(ctx))
	return &beifen.Dispatch{LeadID: id, Phone: leads[0].Phone, Name: leads[0].Name}, nil
}

// LogOutcome records how the caller's call of a lead went and sends the team's after-call text
// for that outcome, if it has one and the number has not opted out. It reports whether a text
// went out.
func (s *Service) LogOutcome(ctx context.Context, taskID, leadID int64, c *beifen.CallLog) (bool, error) {
	tm, _, err := s.callerTask(ctx, taskID)
	if err != nil {
		return false, err
	}
	if err := c.Validate(); err != nil {
		return false, err
	}
	if c.Note != "" {
		c.SealedNote = tm.keys.Seal([]byte(fmt.Sprintf("beifen call note\x00task=%d\x00lead=%d", taskID, leadID)), []byte(c.Note))
	}
	text, err := s.afterCallText(ctx, tm, leadID, c.Outcome)
	if err != nil {
		return false, err
	}
	c.TextSent = text != nil
	if err := s.Store.Tasks.LogCall(ctx, taskID, leadID, c, s.now()); err != nil {
		return false, err
	}
	if text == nil {
		return false, nil
	}
	if c.ViaPhone { // the staff member's phone sends it, from their own number
		c.Text = &beifen.PhoneText{To: text.to, Body: text.body}
		s.Logger.InfoContext(ctx, "after-call text handed to the phone", "team_id", tm.id, "lead_id", leadID, "outcome", c.Outcome)
		return false, nil
	}
	if err := s.SMS.SendSMS(ctx, text.to, text.body); err != nil {
		return false, err
	}
	s.Logger.InfoContext(ctx, "after-call text sent", "team_id", tm.id, "lead_id", leadID, "outcome", c.Outcome)
	return true, nil
}

// callerTask returns the caller's team and the task, if the caller may call its leads.
func (s *Service) callerTask(ctx context.Context, taskID int64) (*team, *beifen.Task, error) {
	tm, err := s.teamOf(ctx)
	if err != nil {
		return nil, nil, err
	}
	task, err := s.Store.Tasks.FindTaskByID(ctx, taskID)
	if err != nil {
		return nil, nil, err
	}
	u := beifen.UserFromContext(ctx)
	if len(task.Staff) > 0 && !contains(task.Staff, u.ID) {
		return nil, nil, beifen.Errorf(beifen.EFORBIDDEN, "You are not one of this task's callers.")
	}
	return tm, task, nil
}

func contains(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// inWindow returns ECONFLICT if now is outside the task's calling window in the team's zone.
func (s *Service) inWindow(ctx context.Context, task *beifen.Task, now time.Time) error {
	t, err := s.Store.Teams.FindTeamByID(ctx, task.TeamID)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(t.TimeZone)
	if err != nil {
		return fmt.Errorf("team %d time zone: %w", t.ID, err)
	}
	local := now.In(loc)
	minute := local.Hour()*60 + local.Minute()
	if minute < task.WindowStart || minute >= task.WindowEnd {
		return beifen.Errorf(beifen.ECONFLICT, "Outside the calling window (%02d:%02d-%02d:%02d, %s).",
			task.WindowStart/60, task.WindowStart%60, task.WindowEnd/60, task.WindowEnd%60, t.TimeZone)
	}
	return nil
}

// FindTask returns a task of the team that the caller may call (any task, for a manager or an
// admin). Returns ENOTFOUND for another team's and EFORBIDDEN for a task of other callers.
func (s *Service) FindTask(ctx context.Context, id int64) (*beifen.Task, error) {
	_, t, err := s.callerTask(ctx, id)
	return t, err
}

// FindTasks returns the team's newest tasks; a staff member sees only those they may call.
func (s *Service) FindTasks(ctx context.Context) ([]*beifen.Task, error) {
	if _, err := s.teamOf(ctx); err != nil {
		return nil, err
	}
	tasks, err := s.Store.Tasks.FindTasks(ctx)
	if err != nil {
		return nil, err
	}
	u := beifen.UserFromContext(ctx)
	if u.Role != beifen.RoleStaff {
		return tasks, nil
	}
	out := []*beifen.Task{}
	for _, t := range tasks {
		if len(t.Staff) == 0 || contains(t.Staff, u.ID) {
			out = append(out, t)
		}
	}
	return out, nil
}

// FindCallbacks returns the callbacks reserved for the signed-in staff member, soonest first,
// each with its lead opened (the number masked: it is revealed when the lead is handed out).
func (s *Service) FindCallbacks(ctx context.Context) ([]*beifen.Callback, error) {
	t, err := s.teamOf(ctx)
	if err != nil {
		return nil, err
	}
	cbs, err := s.Store.Tasks.FindCallbacks(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range cbs {
		id := c.LeadID
		leads, _, err := s.Store.Leads.FindLeads(ctx, beifen.LeadFilter{ID: &id})
		if err != nil {
			return nil, err
		} else if len(leads) == 0 {
			continue
		}
		if err := t.openLead(leads[0]); err != nil {
			return nil, err
		}
		leads[0].Phone = maskPhone(leads[0].Phone)
		c.Lead = leads[0]
	}
	return cbs, nil
}
