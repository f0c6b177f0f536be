package beifen

import (
	"context"
	"strings"
	"time"
)

// Activity is a marketing activity run with a partner (clause 3.1.5). Users sign up for it one
// by one with a consent of its own, naming the partner and what it gets; the partner gets the
// numbers of those signed up, and of no one else.
type Activity struct {
	ID          int64     `json:"id"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Partner     string    `json:"partner"` // who receives the sign-ups' numbers
	EndsAt      time.Time `json:"ends_at"`
	CreatedAt   time.Time `json:"created_at"`
	SignedUp    bool      `json:"signed_up,omitempty"` // for the user asking
}

// Validate returns EINVALID for an activity that cannot be run.
func (a *Activity) Validate() error {
	switch {
	case strings.TrimSpace(a.Title) == "" || strings.TrimSpace(a.Partner) == "":
		return Errorf(EINVALID, "An activity needs a title and the partner it shares sign-ups with.")
	case a.EndsAt.IsZero():
		return Errorf(EINVALID, "An activity needs an end date.")
	}
	return nil
}

// ActivityService stores activities and their sign-ups.
type ActivityService interface {
	// CreateActivity stores an activity and sets its ID.
	CreateActivity(ctx context.Context, a *Activity) error

	// FindActivities returns the activities, newest first, each marked for the context user.
	FindActivities(ctx context.Context) ([]*Activity, error)

	// SignUp records the context user's sign-up, with its consent, at at. Signing up again
	// changes nothing.
	SignUp(ctx context.Context, activityID int64, at time.Time) error

	// Withdraw ends the context user's sign-up. Returns ENOTFOUND if there is none.
	Withdraw(ctx context.Context, activityID int64) error

	// SignUps returns the user IDs signed up for an activity now.
	SignUps(ctx context.Context, activityID int64) ([]int64, error)
}
