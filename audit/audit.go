// Package audit keeps beifen's tamper-evident audit logs: every access to personal data (who
// played which recording, who dialled which number, who exported what) is appended to a hash
// chain per team or personal account, keyed with a server key, so that editing, removing or
// reordering an entry is detected by Verify.
package audit

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/keyring"
)

// Service implements beifen.Auditor over an AuditService.
type Service struct {
	Store beifen.AuditService
	keys  *keyring.Account
	Now   func() time.Time
}

var _ beifen.Auditor = (*Service)(nil)

// NewService returns a Service that chains with a key derived from the master key.
func NewService(store beifen.AuditService, master *keyring.Master) *Service {
	return &Service{Store: store, keys: master.Server(), Now: time.Now}
}

// ScopeOf returns the audit scope of a user: their team, or their personal account.
func ScopeOf(u *beifen.User) string {
	if u.TeamID != 0 {
		return "team:" + strconv.FormatInt(u.TeamID, 10)
	}
	return "user:" + strconv.FormatInt(u.ID, 10)
}

// Audit records that the signed-in user did action to object.
func (s *Service) Audit(ctx context.Context, action, object string) error {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	e := &beifen.AuditEvent{Scope: ScopeOf(u), ActorID: u.ID, Action: action, Object: object, At: s.Now()}
	if err := s.Store.AppendAudit(ctx, e, func(prev []byte) []byte { return s.hash(prev, e) }); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// PlatformScope is the audit chain of what operators do to the platform itself.
const PlatformScope = "platform"

// AuditPlatform records an operator's action (from the command line: no signed-in user, actor
// 0) in the platform's own chain.
func (s *Service) AuditPlatform(ctx context.Context, action, object string) error {
	var actor int64
	if u := beifen.UserFromContext(ctx); u != nil {
		actor = u.ID
	}
	e := &beifen.AuditEvent{Scope: PlatformScope, ActorID: actor, Action: action, Object: object, At: s.Now()}
	if err := s.Store.AppendAudit(ctx, e, func(prev []byte) []byte { return s.hash(prev, e) }); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// PlatformEvents returns the platform chain, oldest first, for the operator.
func (s *Service) PlatformEvents(ctx context.Context) ([]*beifen.AuditEvent, error) {
	events := []*beifen.AuditEvent{}
	err := s.Store.ScanAudit(ctx, PlatformScope, func(e *beifen.AuditEvent) error { events = append(events, e); return nil })
	return events, err
}

// hash is the keyed hash of an event, chained to the previous one.
func (s *Service) hash(prev []byte, e *beifen.AuditEvent) []byte {
	fields := fmt.Sprintf("audit\x00%s\x00%d\x00%s\x00%s\x00%s\x00", e.Scope, e.ActorID, e.Action, e.Object,
		e.At.UTC().Format(time.RFC3339Nano))
	return s.keys.Ident(append([]byte(fields), prev...))
}

// Verify walks a scope's chain and returns the ID of the first entry that does not match (0 if
// the chain is whole) and how many entries it checked.
func (s *Service) Verify(ctx context.Context, scope string) (broken int64, n int, err error) {
	prev := []byte{}
	err = s.Store.ScanAudit(ctx, scope, func(e *beifen.AuditEvent) error {
		n++
		if broken == 0 && (!bytes.Equal(e.Prev, prev) || !bytes.Equal(e.Hash, s.hash(prev, e))) {
			broken = e.ID
		}
		prev = e.Hash
		return nil
	})
	return broken, n, err
}

// Events returns the signed-in user's scope's log, oldest first; in a team, admins and managers
// only.
func (s *Service) Events(ctx context.Context) ([]*beifen.AuditEvent, error) {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return nil, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	if u.TeamID != 0 && u.Role == beifen.RoleStaff {
		return nil, beifen.Errorf(beifen.EFORBIDDEN, "Your role may not do this.")
	}
	events := []*beifen.AuditEvent{}
	err := s.Store.ScanAudit(ctx, ScopeOf(u), func(e *beifen.AuditEvent) error { events = append(events, e); return nil })
	return events, err
}
