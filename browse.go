package beifen

import (
	"context"
	"time"
)

// Conversation is everything exchanged with one correspondent in a snapshot.
type Conversation struct {
	Address string    `json:"address"` // as the phone wrote it on the newest message
	Name    string    `json:"name,omitempty"`
	Count   int       `json:"count"`
	Last    time.Time `json:"last"`
	Snippet string    `json:"snippet,omitempty"` // the start of the newest message
}

// Page asks for one page of a list.
type Page struct {
	Offset int
	Limit  int // 0: DefaultPageSize; at most MaxPageSize
}

// Page sizes.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// Bounds returns the page's offset and limit, clamped.
func (p Page) Bounds() (offset, limit int) {
	offset, limit = max(p.Offset, 0), p.Limit
	if limit <= 0 {
		limit = DefaultPageSize
	}
	return offset, min(limit, MaxPageSize)
}

// MessageFilter picks messages of one conversation. Offset counts from the newest message, and
// a page lists its messages oldest first, as a chat is read.
type MessageFilter struct {
	Address string // any spelling of the correspondent's number
	Page
}

// ContactFilter picks contacts whose name, number or e-mail contains Query.
type ContactFilter struct {
	Query string
	Page
}

// CallFilter picks calls of one type (CallIncoming, ...; "" for all) whose number or name
// contains Query, newest first.
type CallFilter struct {
	Type  string
	Query string
	Page
}

// BrowseService reads a snapshot of the context's user item by item, for the web UI. Each
// method returns ENOTFOUND for a snapshot the user does not have, and the total that matched.
type BrowseService interface {
	// FindConversations returns the snapshot's conversations, newest first.
	FindConversations(ctx context.Context, snapshotID int64, page Page) ([]*Conversation, int, error)

	// FindMessages returns one page of a conversation, with the conversation itself (its name
	// and how many messages it has). Returns ENOTFOUND for no conversation with the address.
	FindMessages(ctx context.Context, snapshotID int64, filter MessageFilter) (*Conversation, []*Message, error)

	// FindContacts returns the snapshot's contacts that match, by name.
	FindContacts(ctx context.Context, snapshotID int64, filter ContactFilter) ([]*Contact, int, error)

	// FindCalls returns the snapshot's calls that match, newest first.
	FindCalls(ctx context.Context, snapshotID int64, filter CallFilter) ([]*Call, int, error)
}
