package beifen

import (
	"context"
	"time"
)

// RequestDays is how many working days a rights request may wait: the app rules' limit,
// stricter than the policy's 30 days.
const RequestDays = 15

// RightsKind is the right a request exercises (PIPL Art. 44-48).
type RightsKind string

// Rights a user can exercise. Export, correct, delete and withdraw are self-service: done at
// once and recorded done. Close (deleting the account) stays open through its cooling-off. The
// others wait for the operator's answer.
const (
	RightExport   RightsKind = "export"   // a copy of everything, as a portable archive
	RightCorrect  RightsKind = "correct"  // correct or complete what is held
	RightDelete   RightsKind = "delete"   // delete specific data
	RightWithdraw RightsKind = "withdraw" // withdraw a consent
	RightClose    RightsKind = "close"    // delete the account
	RightAccess   RightsKind = "access"   // what is held and how it is processed
	RightExplain  RightsKind = "explain"  // explain the processing rules
	RightTransfer RightsKind = "transfer" // send a copy to another processor
	RightOther    RightsKind = "other"
)

// AskableRights are the kinds a user files as a request for the operator to answer.
var AskableRights = []RightsKind{RightAccess, RightExplain, RightTransfer, RightCorrect, RightDelete, RightOther}

// Request statuses.
const (
	RequestOpen      = "open"
	RequestDone      = "done"
	RequestRefused   = "refused" // with the reason in the answer
	RequestCancelled = "cancelled"
)

// RightsRequest is one request of a user over their personal information, with its deadline
// of RequestDays working days. What was asked and the answer are sealed under the account key.
type RightsRequest struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"-"`
	Kind       RightsKind `json:"kind"`
	Status     string     `json:"status"`
	Sealed     []byte     `json:"-"`
	CreatedAt  time.Time  `json:"created_at"`
	DueAt      time.Time  `json:"due_at"`
	ClosedAt   time.Time  `json:"closed_at,omitzero"`
	RemindedAt time.Time  `json:"reminded_at,omitzero"`

	Detail string `json:"detail,omitempty"` // once opened
	Answer string `json:"answer,omitempty"`
}

// Overdue says whether the request is still open after its deadline.
func (r *RightsRequest) Overdue(now time.Time) bool {
	return r.Status == RequestOpen && now.After(r.DueAt)
}

// RightsRequestFilter selects requests.
type RightsRequestFilter struct {
	ID          *int64
	UserID      *int64
	Kind        *RightsKind
	Open        bool       // only open ones
	DueBefore   *time.Time // only those due before then
	NotReminded bool       // only those no reminder was sent for
	Offset      int
	Limit       int
}

// RightsRequestService stores rights requests.
type RightsRequestService interface {
	// CreateRightsRequest stores r and sets its ID.
	CreateRightsRequest(ctx context.Context, r *RightsRequest) error

	// FindRightsRequests returns requests by deadline, then ID.
	FindRightsRequests(ctx context.Context, f RightsRequestFilter) ([]*RightsRequest, error)

	// CloseRightsRequest closes an open request with a status and the sealed request and
	// answer. Returns ENOTFOUND if there is no open request with that ID.
	CloseRightsRequest(ctx context.Context, id int64, status string, sealed []byte, at time.Time) error

	// MarkRightsReminded records that a reminder went out for these requests.
	MarkRightsReminded(ctx context.Context, ids []int64, at time.Time) error
}

// DeleteReceipt says what deleting items from a backup history removed.
type DeleteReceipt struct {
	Items     int `json:"items"`     // contacts, messages, calls and files
	Snapshots int `json:"snapshots"` // snapshots that held at least one of them
	Blobs     int `json:"blobs"`     // stored contents no other item held, deleted
}

// RightsRecorder keeps the record of rights requests; the services that carry out a
// self-service request (export, correction, deletion, withdrawal) report to it.
type RightsRecorder interface {
	// Recorded records a self-service request of the context's user, done at once.
	Recorded(ctx context.Context, kind RightsKind, detail string) error
	// AccountDeletionRequested records the context user's request to delete their account.
	AccountDeletionRequested(ctx context.Context) error
	// AccountDeletionEnded closes a user's account-deletion request: RequestDone when the
	// account was erased, RequestCancelled when the user withdrew it.
	AccountDeletionEnded(ctx context.Context, userID int64, status string) error
}
