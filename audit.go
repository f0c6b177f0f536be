package beifen

import (
	"context"
	"time"
)

// AuditEvent is one entry of the tamper-evident audit log: who did what to which personal data,
// and when. The log is kept two ways at once:
//
//   - Entries of one scope (a team, a personal account, the platform) form a chain: each entry's
//     Hash is a keyed hash of the previous entry's hash and its own fields, so an edited entry
//     is named by the first hash that no longer matches.
//   - All entries together are the leaves of one Merkle tree (RFC 6962), whose size and root
//     are signed into a checkpoint after every append; an entry removed anywhere, even from
//     the very end, no longer adds up to a signed checkpoint.
type AuditEvent struct {
	ID      int64     `json:"id"`
	Scope   string    `json:"-"` // "team:3" or "user:5"
	ActorID int64     `json:"actor_id"`
	Action  string    `json:"action"` // recording.play, lead.dial, leads.import, report.export, ...
	Object  string    `json:"object"` // what it was done to, by ID: "recording:12", "task:4"
	At      time.Time `json:"at"`
	Prev    []byte    `json:"-"`
	Hash    []byte    `json:"-"`
	// Leaf is the entry's position in the Merkle tree, from 0; -1 for an entry written before
	// the tree existed (covered by its chain only).
	Leaf int64 `json:"leaf"`
}

// AuditSeal is what an append adds besides the entry itself, computed while the store holds the
// log: the entry's chain hash, the tree hashes to store from the entry's leaf on (tlog's
// StoredHashes), and the signed checkpoint of the log that ends with it.
type AuditSeal struct {
	Hash       []byte
	Tree       [][]byte // stored from storage index TreeIndex on
	TreeIndex  int64
	Checkpoint []byte
}

// AuditSealer computes an entry's seal. prev is the hash of its scope's last entry (empty for the
// first); the entry's Leaf is already set; read returns stored tree hashes by storage index.
type AuditSealer func(prev []byte, read func(indexes []int64) ([][]byte, error)) (*AuditSeal, error)

// AuditService keeps the audit log.
type AuditService interface {
	// AppendAudit adds e to the end of the log in one transaction, with appends from every
	// replica in one order: it sets e.Leaf to the log's size, reads its scope's last hash,
	// calls seal, and stores e with its hashes, the tree hashes and the checkpoint.
	AppendAudit(ctx context.Context, e *AuditEvent, seal AuditSealer) error

	// ScanAudit calls fn for each event of the scope, oldest first.
	ScanAudit(ctx context.Context, scope string, fn func(*AuditEvent) error) error

	// ScanAuditLog calls fn for every event of every scope: first those written before the
	// tree (Leaf -1) by ID, then the tree's leaves in order.
	ScanAuditLog(ctx context.Context, fn func(*AuditEvent) error) error

	// AuditHashes returns the stored tree hashes at the given storage indexes, in that order;
	// ENOTFOUND if one is missing.
	AuditHashes(ctx context.Context, indexes []int64) ([][]byte, error)

	// AuditCheckpoint returns the newest signed checkpoint, or nil if nothing was appended
	// since the tree began.
	AuditCheckpoint(ctx context.Context) ([]byte, error)
}

// Auditor records accesses to personal data in the audit log of the signed-in user's scope.
type Auditor interface {
	// Audit records that the signed-in user did action to object.
	Audit(ctx context.Context, action, object string) error
}
