package beifen

import (
	"context"
	"time"
)

// China is China Standard Time (UTC+8, no daylight saving): the zone working days are counted
// in and pages show times in.
var China = time.FixedZone("CST", 8*3600)

// ComplaintDays is how many working days a complaint may wait for its answer: the app rules'
// limit, stricter than the policy's 30 days (clause 6.5).
const ComplaintDays = 15

// Complaint is a user's complaint or feedback ticket. Its text, photos and reply are sealed
// under the account's key.
type Complaint struct {
	ID         int64     `json:"id"`
	UserID     int64     `json:"-"`
	Sealed     []byte    `json:"-"` // subject, body and photo references
	Reply      []byte    `json:"-"` // the answer, sealed
	CreatedAt  time.Time `json:"created_at"`
	DueAt      time.Time `json:"due_at"`
	AnsweredAt time.Time `json:"answered_at,omitzero"`
	Subject    string    `json:"subject,omitempty"` // once opened
	Body       string    `json:"body,omitempty"`
	Photos     []BlobRef `json:"photos,omitempty"`
	ReplyText  string    `json:"reply,omitempty"`
}

// ComplaintFilter selects complaints.
type ComplaintFilter struct {
	ID      *int64
	UserID  *int64
	OpenDue *time.Time // only unanswered ones due before then (the overdue report)
	// NotReminded keeps only those the operators were not yet reminded of.
	NotReminded bool
	Offset      int
	Limit       int
}

// ComplaintService stores complaints.
type ComplaintService interface {
	// CreateComplaint stores a complaint and sets its ID.
	CreateComplaint(ctx context.Context, c *Complaint) error

	// FindComplaints returns complaints, oldest first.
	FindComplaints(ctx context.Context, f ComplaintFilter) ([]*Complaint, error)

	// AnswerComplaint stores the sealed reply. Returns ENOTFOUND for an unknown complaint.
	AnswerComplaint(ctx context.Context, id int64, reply []byte, at time.Time) error

	// MarkComplaintsReminded records that the operators were reminded of these complaints.
	MarkComplaintsReminded(ctx context.Context, ids []int64, at time.Time) error
}

// WorkingDaysAfter returns the end of the nth working day after t in loc, counting Monday to
// Friday. Public holidays are counted as working days, which only ever brings a deadline
// earlier: the limit is kept whatever the year's calendar.
func WorkingDaysAfter(t time.Time, n int, loc *time.Location) time.Time {
	d := t.In(loc)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, loc)
}
