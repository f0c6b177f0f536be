package beifen

import (
	"context"
	"strings"
	"time"
)

// Announcement is a public notice about an account that broke the platform's rules: the only
// thing about any account the platform makes public (clause 3.3). It names the account by its
// public name (the nickname it chose) and nothing else.
type Announcement struct {
	ID         int64     `json:"id"`
	UserID     int64     `json:"-"`
	PublicName string    `json:"public_name"`
	Text       string    `json:"text"`
	CreatedAt  time.Time `json:"created_at"`
}

// Validate returns EINVALID for an announcement that cannot be published.
func (a *Announcement) Validate() error {
	switch {
	case strings.TrimSpace(a.Text) == "":
		return Errorf(EINVALID, "An announcement needs its text.")
	case len([]rune(a.Text)) > 500:
		return Errorf(EINVALID, "An announcement has at most 500 characters.")
	case strings.TrimSpace(a.PublicName) == "":
		return Errorf(EINVALID, "An announcement names the account by its public name.")
	}
	return nil
}

// AnnouncementService stores moderation announcements.
type AnnouncementService interface {
	// CreateAnnouncement publishes one and sets its ID.
	CreateAnnouncement(ctx context.Context, a *Announcement) error

	// FindAnnouncements returns the newest ones (at most limit), newest first.
	FindAnnouncements(ctx context.Context, limit int) ([]*Announcement, error)
}
