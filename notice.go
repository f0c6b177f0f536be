package beifen

import (
	"context"
	"strings"
	"time"
)

// Notice is a message in a user's notification centre (clause 1.1.3): a service notice, which
// every user gets, or a marketing message, which only users who consented to marketing get, each
// with its way to stop them. Sent by text too; the in-app copy stays.
type Notice struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"-"`    // the recipient
	Kind      string    `json:"kind"` // "service" or "marketing"
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// Validate returns EINVALID for a notice that cannot be sent.
func (n *Notice) Validate() error {
	switch {
	case n.Kind != "service" && n.Kind != "marketing":
		return Errorf(EINVALID, "A notice is a service notice or a marketing message.")
	case strings.TrimSpace(n.Title) == "" || strings.TrimSpace(n.Body) == "":
		return Errorf(EINVALID, "A notice needs a title and a text.")
	case len([]rune(n.Title)) > 60 || len([]rune(n.Body)) > 500:
		return Errorf(EINVALID, "A notice's title has at most 60 characters and its text 500.")
	}
	return nil
}

// NoticeService stores the notification centre.
type NoticeService interface {
	// CreateNotices stores one notice per recipient, setting their IDs.
	CreateNotices(ctx context.Context, notices []*Notice) error

	// FindNotices returns a user's notices, newest first (at most limit).
	FindNotices(ctx context.Context, userID int64, limit int) ([]*Notice, error)
}
