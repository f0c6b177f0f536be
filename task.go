package beifen

import (
	"context"
	"time"
)

// Task is a dial task: a set of a team's leads that its staff call, one lead at a time each.
type Task struct {
	ID     int64  `json:"id"`
	TeamID int64  `json:"-"`
	Name   string `json:"name"`

	// The calling window in minutes after midnight in the team's time zone; 0-1440 is any hour.
	WindowStart int `json:"window_start"`
	WindowEnd   int `json:"window_end"`

	RetryDelay  time.Duration `json:"retry_delay"`  // before a no-answer or busy lead is handed out again
	MaxAttempts int           `json:"max_attempts"` // calls per lead before it is done
	Lease       time.Duration `json:"lease"`        // a lead handed out but not logged returns after this

	Staff     []int64   `json:"staff,omitempty"` // who may call; empty: every staff member of the team
	Leads     int       `json:"leads"`
	CreatedAt time.Time `json:"created_at"`
}

// Task defaults.
const (
	DefaultWindowStart = 9 * 60
	DefaultWindowEnd   = 21 * 60
	DefaultRetryDelay  = 30 * time.Minute
	DefaultMaxAttempts = 3
	DefaultLease       = 10 * time.Minute
)

// Validate returns EINVALID for a task that cannot run.
func (t *Task) Validate() error {
	switch {
	case t.Name == "":
		return Errorf(EINVALID, "Task name required.")
	case t.WindowStart < 0 || t.WindowEnd > 24*60 || t.WindowStart >= t.WindowEnd:
		return Errorf(EINVALID, "The calling window must be HH:MM-HH:MM within one day.")
	case t.MaxAttempts < 1 || t.RetryDelay < 0 || t.Lease <= 0:
		return Errorf(EINVALID, "Retries need at least one attempt, a delay of zero or more and a lease.")
	}
	return nil
}

// TaskRequest is what a manager asks for when creating a dial task over the team's unassigned
// leads.
type TaskRequest struct {
	Name   string   `json:"name"`
	Staff  []string `json:"staff,omitempty"`  // phone numbers of the staff who call; none: every staff member
	Window string   `json:"window,omitempty"` // HH:MM-HH:MM in the team's time zone; default 09:00-21:00
}

// Outcome is how a call went.
type Outcome string

// Call outcomes a staff member logs.
const (
	OutcomeConnected Outcome = "connected"
	OutcomeNoAnswer  Outcome = "no_answer"
	OutcomeBusy      Outcome = "busy"
	OutcomeInvalid   Outcome = "invalid"
	OutcomeRefused   Outcome = "refused"
	OutcomeCallback  Outcome = "callback"
)

// Valid reports whether o is a known outcome.
func (o Outcome) Valid() bool {
	switch o {
	case OutcomeConnected, OutcomeNoAnswer, OutcomeBusy, OutcomeInvalid, OutcomeRefused, OutcomeCallback:
		return true
	}
	return false
}

// CallLog is what a staff member reports after calling a lead of a task.
type CallLog struct {
	Outcome     Outcome   `json:"outcome"`
	Intent      string    `json:"intent,omitempty"` // A-D
	Note        string    `json:"note,omitempty"`
	SealedNote  []byte    `json:"-"` // the note as stored, sealed under the team key
	NextFollow  time.Time `json:"next_follow_up,omitzero"`
	TalkSeconds int       `json:"talk_seconds,omitempty"`
	TextSent    bool      `json:"-"` // set by the server: an after-call text goes out for this call

	// ViaPhone asks for the after-call text to be handed back for the staff member's own phone
	// to send, instead of the server's SMS provider sending it.
	ViaPhone bool `json:"text_via_phone,omitempty"`
	// Text is that text, set by the server when there is one to send.
	Text *PhoneText `json:"text,omitempty"`
}

// Callback is a lead a staff member is to call back at a time.
type Callback struct {
	TaskID int64     `json:"task_id"`
	LeadID int64     `json:"lead_id"`
	DueAt  time.Time `json:"due_at"`
	Lead   *Lead     `json:"lead,omitempty"` // opened, number masked for staff
}

// PhoneText is an after-call text for the staff member's phone to send.
type PhoneText struct {
	To   string `json:"to"` // E.164
	Body string `json:"body"`
}

// Validate returns EINVALID for a log that cannot be recorded.
func (c *CallLog) Validate() error {
	switch {
	case !c.Outcome.Valid():
		return Errorf(EINVALID, "Outcome must be connected, no_answer, busy, invalid, refused or callback.")
	case c.Intent != "" && (len(c.Intent) != 1 || c.Intent[0] < 'A' || c.Intent[0] > 'D'):
		return Errorf(EINVALID, "Intent grade must be A, B, C or D.")
	case c.Outcome == OutcomeCallback && c.NextFollow.IsZero():
		return Errorf(EINVALID, "A callback needs the time of the next follow-up.")
	case c.TalkSeconds < 0:
		return Errorf(EINVALID, "Talk time must not be negative.")
	}
	return nil
}

// Dispatch is a lead handed to a staff member to call.
type Dispatch struct {
	LeadID int64  `json:"lead_id"`
	Phone  string `json:"phone"`
	Name   string `json:"name"`
}

// TaskService stores dial tasks of the context user's team and hands out their leads.
type TaskService interface {
	// CreateTask creates a task over leadIDs (the team's, distinct) and sets its ID.
	// Returns EINVALID if a lead is not the team's.
	CreateTask(ctx context.Context, t *Task, leadIDs []int64) error

	// FindTaskByID returns ENOTFOUND if there is no such task in the team.
	FindTaskByID(ctx context.Context, id int64) (*Task, error)

	// FindTasks returns the team's newest tasks (at most 100), newest first.
	FindTasks(ctx context.Context) ([]*Task, error)

	// FindCallbacks returns the callbacks reserved for the context user, soonest first: leads of
	// the team's tasks they logged as "call back", with the time they asked for.
	FindCallbacks(ctx context.Context) ([]*Callback, error)

	// ClaimLead hands the context user the next lead of the task at now, exactly once: a
	// callback due for them first, then a pending lead whose time has come, then a lead whose
	// lease ran out; never a lead whose number is on the team's do-not-call list. It returns the
	// lead's ID, or 0 when nothing is left to call now.
	ClaimLead(ctx context.Context, taskID int64, now time.Time) (int64, error)

	// LogCall records the outcome of the context user's call of a lead they hold and settles
	// the lead: done, back in the pool after the retry delay, or reserved for them as a
	// callback. Returns ENOTFOUND if the user does not hold the lead.
	LogCall(ctx context.Context, taskID, leadID int64, log *CallLog, now time.Time) error

	TaskCallService
}

// SettleLead says what becomes of a task's lead after a call by staff, given its attempts so
// far: the new state ("pending" or "done"), who it is kept for (0: anyone), when it is due, and
// the attempts now. Both SQL stores use it, so the rules live in one place.
func SettleLead(t *Task, c *CallLog, staff int64, attempts int, now time.Time) (state string, keptFor int64, due time.Time, tries int) {
	switch c.Outcome {
	case OutcomeNoAnswer, OutcomeBusy:
		if attempts+1 >= t.MaxAttempts {
			return "done", 0, now, attempts + 1
		}
		return "pending", 0, now.Add(t.RetryDelay), attempts + 1
	case OutcomeCallback:
		return "pending", staff, c.NextFollow, attempts
	}
	return "done", 0, now, attempts + 1
}
