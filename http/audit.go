package http

import (
	"context"
	"net/http"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/audit"
)

// AuditReader shows and checks the signed-in user's audit log.
type AuditReader interface {
	Events(ctx context.Context) ([]*beifen.AuditEvent, error)
	Verify(ctx context.Context, scope string) (broken int64, n int, err error)
	// Checkpoint returns the newest signed checkpoint of the whole log, and VerifierKey the
	// key that checks it.
	Checkpoint(ctx context.Context) ([]byte, error)
	VerifierKey() string
	// Prove returns the inclusion proof of one of the user's own entries.
	Prove(ctx context.Context, id int64) (*audit.Proof, error)
}

func (s *Server) handleAuditProof(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", "Audit entry not found.")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p, err := s.AuditReader.Prove(r.Context(), id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// CheckpointResponse is the audit log's newest signed checkpoint (a signed note: origin, size,
// root hash), for anyone who wants to keep one and later check, with `beifen audit verify
// --checkpoint`, that the log still holds everything it held then.
type CheckpointResponse struct {
	Checkpoint  string `json:"checkpoint"`
	VerifierKey string `json:"verifier_key"`
}

func (s *Server) handleAuditCheckpoint(w http.ResponseWriter, r *http.Request) {
	note, err := s.AuditReader.Checkpoint(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if note == nil {
		s.Error(w, r, beifen.Errorf(beifen.ENOTFOUND, "The audit log has no checkpoint yet."))
		return
	}
	writeJSON(w, http.StatusOK, &CheckpointResponse{Checkpoint: string(note), VerifierKey: s.AuditReader.VerifierKey()})
}

// AuditResponse lists audit events.
type AuditResponse struct {
	Events []*beifen.AuditEvent `json:"events"`
}

// VerifyResponse says whether an audit chain is whole.
type VerifyResponse struct {
	Entries int   `json:"entries"`
	Broken  int64 `json:"broken_at,omitempty"` // the first entry that does not match
	Whole   bool  `json:"whole"`
}

func (s *Server) handleAuditList(w http.ResponseWriter, r *http.Request) {
	events, err := s.AuditReader.Events(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, &AuditResponse{Events: events})
}

func (s *Server) handleAuditVerify(w http.ResponseWriter, r *http.Request) {
	if _, err := s.AuditReader.Events(r.Context()); err != nil { // the same rights as reading it
		s.Error(w, r, err)
		return
	}
	broken, n, err := s.AuditReader.Verify(r.Context(), s.AuditScope(beifen.UserFromContext(r.Context())))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, &VerifyResponse{Entries: n, Broken: broken, Whole: broken == 0})
}
