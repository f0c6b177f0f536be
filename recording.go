package beifen

import (
	"context"
	"time"
)

// Recording is a call recording a staff phone uploaded, kept in the team's encrypted blob store
// and matched to the call it recorded.
type Recording struct {
	ID        int64     `json:"id"`
	TeamID    int64     `json:"-"`
	StaffID   int64     `json:"staff_id"`
	BlobName  string    `json:"-"` // name in the blob store (a keyed hash)
	Size      int64     `json:"size"`
	PhoneHash []byte    `json:"-"`
	Sealed    []byte    `json:"-"` // the file name and number, sealed
	StartedAt time.Time `json:"started_at"`
	CallID    int64     `json:"call_id,omitempty"` // the matched phone call; 0 until matched or linked
	LeadID    int64     `json:"lead_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`

	FileName string `json:"file_name,omitempty"` // once opened
}

// RecordingFilter selects a team's recordings.
type RecordingFilter struct {
	ID        *int64
	Manager   *int64 // only recordings of this manager's group and of staff in no group
	Unmatched bool   // only those not matched to a call
	Offset    int
	Limit     int
}

// Review is a manager's quality review (质检) of a recording: rubric items with weights and
// scores, comments at offsets in the recording, and a verdict.
type Review struct {
	RecordingID int64           `json:"recording_id"`
	ReviewerID  int64           `json:"reviewer_id"`
	Items       []ReviewItem    `json:"items"`
	Comments    []ReviewComment `json:"comments,omitempty"`
	Score       float64         `json:"score"` // weighted mean of the items, 0-100
	Passed      bool            `json:"passed"`
	CreatedAt   time.Time       `json:"created_at"`
}

// ReviewItem is one rubric line: a weight and a score out of 100.
type ReviewItem struct {
	Name   string  `json:"name"`
	Weight float64 `json:"weight"`
	Score  float64 `json:"score"`
}

// ReviewComment is a remark at a point of the recording.
type ReviewComment struct {
	AtSeconds float64 `json:"at_seconds"`
	Text      string  `json:"text"`
}

// Validate checks the rubric and works out the score.
func (r *Review) Validate() error {
	var sum, weights float64
	for _, it := range r.Items {
		if it.Name == "" || it.Weight <= 0 || it.Score < 0 || it.Score > 100 {
			return Errorf(EINVALID, "Each rubric item needs a name, a positive weight and a score from 0 to 100.")
		}
		sum, weights = sum+it.Weight*it.Score, weights+it.Weight
	}
	if len(r.Items) == 0 {
		return Errorf(EINVALID, "A review needs at least one rubric item.")
	}
	for _, c := range r.Comments {
		if c.AtSeconds < 0 || c.Text == "" {
			return Errorf(EINVALID, "A comment needs a time in the recording and some text.")
		}
	}
	r.Score = sum / weights
	return nil
}

// RecordingAccess is one playback or download of a recording: who, when, which.
type RecordingAccess struct {
	RecordingID int64     `json:"recording_id"`
	UserID      int64     `json:"user_id"`
	Kind        string    `json:"kind"` // "play" or "download"
	At          time.Time `json:"at"`
}

// RecordingService stores the context team's recordings, their reviews and who heard them.
type RecordingService interface {
	// CreateRecording stores a recording, matching it to the staff member's phone call with the
	// same number within window of its start, and sets its ID.
	CreateRecording(ctx context.Context, r *Recording, window time.Duration) error

	// FindRecordings returns the team's recordings, newest first, and how many match.
	FindRecordings(ctx context.Context, filter RecordingFilter) ([]*Recording, int, error)

	// LinkRecording matches a recording to a phone call of the team by hand.
	// Returns ENOTFOUND if either is not the team's.
	LinkRecording(ctx context.Context, id, callID int64) error

	// LogAccess records a playback or download. Returns ENOTFOUND for another team's recording.
	LogAccess(ctx context.Context, a *RecordingAccess) error

	// FindAccesses returns who played or downloaded a recording, oldest first.
	FindAccesses(ctx context.Context, id int64) ([]*RecordingAccess, error)

	// DeleteRecordingsBefore deletes the team's recordings that started before t (with their
	// reviews and playback records) and returns their blob names, for the blobs to go too.
	DeleteRecordingsBefore(ctx context.Context, t time.Time) ([]string, error)

	// PutReview stores a review, replacing the reviewer's earlier one of the recording.
	PutReview(ctx context.Context, r *Review, sealedComments []byte) error
}
