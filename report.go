package beifen

import (
	"context"
	"time"
)

// TaskCall is one logged call of a task's lead, as reports read it.
type TaskCall struct {
	ID          int64     `json:"id"`
	LeadID      int64     `json:"lead_id"`
	StaffID     int64     `json:"staff_id"`
	Outcome     Outcome   `json:"outcome"`
	Intent      string    `json:"intent,omitempty"`
	TalkSeconds int       `json:"talk_seconds"`
	TextSent    bool      `json:"text_sent"`
	CreatedAt   time.Time `json:"created_at"`
}

// ReportRow is one line of a task report: a staff member's calls on one day (in the team's time
// zone). Rows with an empty Day total a staff member, and the row with StaffID 0 the task.
type ReportRow struct {
	Day         string         `json:"day"` // YYYY-MM-DD, or "" for a total
	StaffID     int64          `json:"staff_id"`
	Staff       string         `json:"staff"`
	Dials       int            `json:"dials"`
	Connected   int            `json:"connected"`
	ConnectRate float64        `json:"connect_rate"` // connected / dials, 0 to 1
	TalkSeconds int            `json:"talk_seconds"`
	AvgTalk     float64        `json:"avg_talk_seconds"` // per connected call
	Intents     map[string]int `json:"intents"`          // A-D
	Texts       int            `json:"texts"`            // after-call texts sent
	Reviews     int            `json:"reviews"`          // quality reviews of the staff member's recordings
	QAScore     float64        `json:"qa_score"`         // their mean score, 0-100
}

// Add counts one call into the row.
func (r *ReportRow) Add(c *TaskCall) {
	r.Dials++
	if c.Outcome == OutcomeConnected {
		r.Connected++
		r.TalkSeconds += c.TalkSeconds
	}
	if c.Intent != "" {
		if r.Intents == nil {
			r.Intents = map[string]int{}
		}
		r.Intents[c.Intent]++
	}
	if c.TextSent {
		r.Texts++
	}
	r.ConnectRate = float64(r.Connected) / float64(r.Dials)
	if r.Connected > 0 {
		r.AvgTalk = float64(r.TalkSeconds) / float64(r.Connected)
	}
}

// TaskCallService reads a task's logged calls.
type TaskCallService interface {
	// ScanTaskCalls calls fn for each logged call of the task, in time order. Returns ENOTFOUND
	// if the task is not the team's.
	ScanTaskCalls(ctx context.Context, taskID int64, fn func(*TaskCall) error) error

	// ScanTaskReviews calls fn for each quality review of a recording of one of the task's
	// leads. Returns ENOTFOUND if the task is not the team's.
	ScanTaskReviews(ctx context.Context, taskID int64, fn func(*TaskReview) error) error
}

// AddReview counts one quality review score into the row.
func (r *ReportRow) AddReview(score float64) {
	r.QAScore = (r.QAScore*float64(r.Reviews) + score) / float64(r.Reviews+1)
	r.Reviews++
}

// TaskReview is a quality review of a recording of one of a task's leads.
type TaskReview struct {
	StaffID int64 // who made the recording
	Score   float64
	At      time.Time // when the recording started
}
