package beifen

import (
	"context"
	"time"
)

// AuditEvent is one entry of a tamper-evident audit log: who did what to which personal data,
// and when. Entries of one scope (a team, or a personal account) form a chain: each entry's Hash
// is a keyed hash of the previous entry's hash and its own fields, so an edited, removed or
// reordered entry breaks every hash after it.
type AuditEvent struct {
	ID      int64     `json:"id"`
	Scope   string    `json:"-"` // "team:3" or "user:5"
	ActorID int64     `json:"actor_id"`
	Action  string    `json:"action"` // recording.play, lead.dial, leads.import, report.export, ...
	Object  string    `json:"object"` // what it was done to, by ID: "recording:12", "task:4"
	At      time.Time `json:"at"`
	Prev    []byte    `json:"-"`
	Hash    []byte    `json:"-"`
}

// AuditService keeps audit logs.
type AuditService interface {
	// AppendAudit adds e to the end of its scope's chain in one transaction: it reads the last
	// hash, calls chain with it to get e's hash, and stores e with both.
	AppendAudit(ctx context.Context, e *AuditEvent, chain func(prev []byte) []byte) error

	// ScanAudit calls fn for each event of the scope, oldest first.
	ScanAudit(ctx context.Context, scope string, fn func(*AuditEvent) error) error
}

// Auditor records accesses to personal data in the audit log of the signed-in user's scope.
type Auditor interface {
	// Audit records that the signed-in user did action to object.
	Audit(ctx context.Context, action, object string) error
}
