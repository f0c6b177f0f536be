package beifen

import (
	"context"
	"time"
)

// PhoneCall is one row of a staff phone's call log, uploaded to the team. The server keeps it
// for as long as the team needs it, past the few hundred rows a phone keeps. The number is kept
// as a keyed hash under the team key (to match leads) and sealed with the rest.
type PhoneCall struct {
	ID        int64     `json:"id"`
	TeamID    int64     `json:"-"`
	StaffID   int64     `json:"staff_id"`
	LeadID    int64     `json:"lead_id,omitempty"` // the lead with this number, if any
	PhoneHash []byte    `json:"-"`
	Sealed    []byte    `json:"-"`    // the call's attributes as the phone wrote them
	Type      string    `json:"type"` // Android call type: 1 incoming, 2 outgoing, 3 missed, ...
	Date      time.Time `json:"date"`
	Duration  int       `json:"duration"` // seconds

	Number string `json:"number,omitempty"` // E.164, once opened (masked for staff)
}

// PhoneCallFilter selects a team's phone calls.
type PhoneCallFilter struct {
	LeadID  *int64
	StaffID *int64
	Offset  int
	Limit   int
}

// PhoneCallService stores the call logs a team's phones upload.
type PhoneCallService interface {
	// AddPhoneCalls stores calls not stored yet (same staff, number, type and time) and
	// matches each to the team's lead with the same number. It returns how many were new.
	AddPhoneCalls(ctx context.Context, calls []*PhoneCall) (int, error)

	// FindPhoneCalls returns the team's calls in time order, and how many match.
	FindPhoneCalls(ctx context.Context, filter PhoneCallFilter) ([]*PhoneCall, int, error)
}

// CallUpload says what an uploaded call log brought.
type CallUpload struct {
	Calls   int `json:"calls"`   // rows read
	New     int `json:"new"`     // not uploaded before
	Matched int `json:"matched"` // of the new ones, calls with a lead's number
	Skipped int `json:"skipped"` // rows without a usable number (private, unknown) or unreadable
}

// TimelineEvent is one thing that happened with a customer.
type TimelineEvent struct {
	Time     time.Time `json:"time"`
	Kind     string    `json:"kind"` // "call"
	Type     string    `json:"type,omitempty"`
	Duration int       `json:"duration,omitempty"`
	StaffID  int64     `json:"staff_id,omitempty"`
}

// Timeline is a lead and what happened with it, oldest first.
type Timeline struct {
	Lead   *Lead           `json:"lead"`
	Events []TimelineEvent `json:"events"`
}
