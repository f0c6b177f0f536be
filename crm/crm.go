// Package crm is the team sales workspace: leads imported from files, the do-not-call list, and
// (in later work) dial tasks, call matching, quality review and reports.
//
// A team's data is sealed under the team's data key (see package keyring): numbers are kept as
// keyed hashes for dedup and the do-not-call list, and everything else about a lead is sealed.
package crm

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/blobcrypt"
	"github.com/beifen/beifen/keyring"
	"github.com/beifen/beifen/phonenumber"
)

// Service implements beifen.LeadImportService.
type Service struct {
	Store  beifen.Store
	Blobs  beifen.BlobStore
	Master *keyring.Master
	Logger *slog.Logger

	// SMS sends after-call texts.
	SMS beifen.SMSSender

	// Auditor records accesses to personal data (may be nil in tests).
	Auditor beifen.Auditor

	// Profile fills a user's name and number from their sealed profile.
	Profile func(u *beifen.User) error

	// PhoneHash gives the keyed hash under which accounts are looked up by number.
	PhoneHash func(e164 string) []byte

	// TempDir holds the temporary files of .xlsx imports and exports, which carry customer
	// numbers in the clear ("" means the system's; serve uses a private one, see
	// xlsx.SweepTempDir).
	TempDir string

	// Payments takes the payment of plan upgrades (clause 3.1.2d) and PayParty is its ID in the
	// third-party registry; "" when payments are off (pay.None), and then no quota is enforced.
	// LogCheckout records each checkout as a transfer of the admin's account reference.
	Payments    beifen.PaymentProvider
	PayParty    string
	LogCheckout func(ctx context.Context, admin *beifen.User) error

	// Now returns the current time; tests may replace it.
	Now func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

var _ beifen.LeadImportService = (*Service)(nil)

// NewService returns a Service.
func NewService(store beifen.Store, blobs beifen.BlobStore, master *keyring.Master, logger *slog.Logger) *Service {
	return &Service{Store: store, Blobs: blobs, Master: master, Logger: logger}
}

// team is what one request needs of the signed-in member's team.
type team struct {
	id    int64
	keys  *keyring.Account
	blobs *blobcrypt.Store
}

// teamOf returns the signed-in user's team, refusing users without one and, when roles are
// given, users with another role.
func (s *Service) teamOf(ctx context.Context, roles ...beifen.Role) (*team, error) {
	u := beifen.UserFromContext(ctx)
	switch {
	case u == nil:
		return nil, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	case u.TeamID == 0:
		return nil, beifen.Errorf(beifen.EFORBIDDEN, "You are not a member of a team.")
	case len(roles) > 0 && !hasRole(u.Role, roles):
		return nil, beifen.Errorf(beifen.EFORBIDDEN, "Your role may not do this.")
	}
	t, err := s.Store.Teams.FindTeamByID(ctx, u.TeamID)
	if err != nil {
		return nil, err
	}
	if len(t.WrappedKey) == 0 {
		return nil, beifen.Errorf(beifen.EFORBIDDEN, "This team's data key has been destroyed.")
	}
	keys, err := s.Master.UnwrapScoped(keyring.ScopeTeam, t.ID, t.WrappedKey)
	if err != nil {
		return nil, fmt.Errorf("team %d: %w", t.ID, err)
	}
	return &team{id: t.ID, keys: keys, blobs: blobcrypt.Wrap(s.Blobs, keys.BlobKey())}, nil
}

func hasRole(r beifen.Role, roles []beifen.Role) bool {
	for _, want := range roles {
		if r == want {
			return true
		}
	}
	return false
}

// phoneHash is the keyed hash under which the team keeps an E.164 number.
func (t *team) phoneHash(e164 string) []byte { return t.keys.Ident([]byte("phone:" + e164)) }

// leadData is what a lead's Sealed holds.
type leadData struct {
	Phone   string `json:"p"`
	Name    string `json:"n,omitempty"`
	Company string `json:"c,omitempty"`
	Note    string `json:"t,omitempty"`
}

func (t *team) leadAAD(phoneHash []byte) []byte {
	return append([]byte(fmt.Sprintf("beifen lead\x00team=%d\x00", t.id)), phoneHash...)
}

// sealLead fills l.PhoneHash and l.Sealed from its open fields.
func (t *team) sealLead(l *beifen.Lead) {
	b, _ := json.Marshal(leadData{Phone: l.Phone, Name: l.Name, Company: l.Company, Note: l.Note})
	l.PhoneHash = t.phoneHash(l.Phone)
	l.Sealed = t.keys.Seal(t.leadAAD(l.PhoneHash), b)
}

// openLead fills l's open fields from l.Sealed.
func (t *team) openLead(l *beifen.Lead) error {
	b, err := t.keys.Open(t.leadAAD(l.PhoneHash), l.Sealed)
	if err != nil {
		return fmt.Errorf("lead %d: %w", l.ID, err)
	}
	var d leadData
	if err := json.Unmarshal(b, &d); err != nil {
		return fmt.Errorf("lead %d: %w", l.ID, err)
	}
	l.Phone, l.Name, l.Company, l.Note = d.Phone, d.Name, d.Company, d.Note
	return nil
}

// CreateTeam creates a team with its own data key.
func (s *Service) CreateTeam(ctx context.Context, t *beifen.Team) error {
	if t.PoolDays == 0 {
		t.PoolDays = 30
	}
	if err := s.Store.Teams.CreateTeam(ctx, t); err != nil {
		return err
	}
	t.WrappedKey = s.Master.NewScopedKey(keyring.ScopeTeam, t.ID)
	return s.Store.Teams.UpdateTeamKey(ctx, t.ID, t.WrappedKey)
}

// FindLeads returns the team's leads, opened. Staff see only the leads assigned to them.
func (s *Service) FindLeads(ctx context.Context, f beifen.LeadFilter) ([]*beifen.Lead, int, error) {
	t, err := s.teamOf(ctx)
	if err != nil {
		return nil, 0, err
	}
	if u := beifen.UserFromContext(ctx); u.Role == beifen.RoleStaff {
		f.OwnerID = &u.ID
	}
	f.Manager = managerScope(ctx)
	leads, n, err := s.Store.Leads.FindLeads(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	staff := beifen.UserFromContext(ctx).Role == beifen.RoleStaff
	for _, l := range leads {
		if err := t.openLead(l); err != nil {
			return nil, 0, err
		}
		if staff { // staff see numbers masked; they dial through the task, which hands out the number
			l.Phone = phonenumber.Mask(l.Phone)
		}
	}
	return leads, n, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// managerScope is, for a manager, their ID: they see their group (the staff naming them as
// manager), staff in no group, and leads nobody owns. Admins see the whole team; staff their own.
func managerScope(ctx context.Context) *int64 {
	if u := beifen.UserFromContext(ctx); u != nil && u.Role == beifen.RoleManager {
		id := u.ID
		return &id
	}
	return nil
}

// visibleStaff reports whether the caller may see the work of staff member id.
func (s *Service) visibleStaff(ctx context.Context, id int64) bool {
	me := managerScope(ctx)
	if me == nil || id == 0 || id == *me {
		return true
	}
	u, err := s.Store.Users.FindUserByID(ctx, id)
	return err == nil && (u.ManagerID == 0 || u.ManagerID == *me)
}

func maskPhone(e164 string) string { return phonenumber.Mask(e164) }

// ReleaseIdle puts back in each team's public pool (公海) the customers whose owner has not
// called them for the team's PoolDays. The server runs it every hour; running it twice, or on
// two replicas at once, does no harm.
func (s *Service) ReleaseIdle(ctx context.Context) (int, error) {
	teams, err := s.Store.Teams.FindTeams(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, t := range teams {
		// The job acts as the team itself: a member with no account behind it.
		tctx := beifen.NewContextWithUser(ctx, &beifen.User{TeamID: t.ID, Role: beifen.RoleAdmin})
		n, err := s.Store.Leads.ReleaseIdle(tctx, s.now().Add(-time.Duration(t.PoolDays)*24*time.Hour))
		if err != nil {
			return total, err
		}
		if n > 0 {
			s.Logger.InfoContext(ctx, "customers back in the public pool", "team_id", t.ID, "count", n)
		}
		total += n
	}
	return total, nil
}

// audit records an access in the team's audit log.
func (s *Service) audit(ctx context.Context, action, object string) error {
	if s.Auditor == nil {
		return nil
	}
	return s.Auditor.Audit(ctx, action, object)
}

// ApplyRetention deletes each team's call recordings older than its RecordingDays (clause 4.2),
// blobs included, and records what it did in the team's audit log. It returns how many went.
func (s *Service) ApplyRetention(ctx context.Context) (int, error) {
	teams, err := s.Store.Teams.FindTeams(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, t := range teams {
		if t.RecordingDays == 0 {
			continue
		}
		tctx := beifen.NewContextWithUser(ctx, &beifen.User{TeamID: t.ID, Role: beifen.RoleAdmin})
		names, err := s.Store.Recs.DeleteRecordingsBefore(tctx, s.now().Add(-time.Duration(t.RecordingDays)*24*time.Hour))
		if err != nil {
			return total, err
		}
		for _, name := range names {
			if err := s.Blobs.Delete(ctx, name); err != nil && beifen.ErrorCode(err) != beifen.ENOTFOUND {
				return total, err
			}
		}
		if len(names) > 0 {
			if err := s.audit(tctx, "retention.delete", "recordings:"+strconv.Itoa(len(names))); err != nil {
				return total, err
			}
			s.Logger.InfoContext(ctx, "recordings past retention deleted", "team_id", t.ID, "count", len(names))
		}
		total += len(names)
	}
	return total, nil
}
