// Package auth signs users in by phone number: one-time SMS codes with resend and lockout limits
// kept in the store (so every replica enforces them), optional argon2id passwords, API tokens and
// browser sessions.
package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/keyring"
	"github.com/beifen/beifen/phonenumber"
)

// SessionTTL is how long a browser session lasts.
const SessionTTL = 30 * 24 * time.Hour

// Service implements beifen.AuthService.
type Service struct {
	Store  beifen.Store
	Master *keyring.Master
	SMS    beifen.SMSSender
	Logger *slog.Logger
	Now    func() time.Time

	// Closed reports whether the platform is shutting down (clause 6.7): no new accounts then.
	Closed func(ctx context.Context) bool

	// Auditor records profile changes (may be nil in tests).
	Auditor beifen.Auditor

	// Requests records corrections and account deletions as rights requests (may be nil).
	Requests beifen.RightsRecorder
	// RealName is the real-name verification provider (clause 1.1.2), RealNameProvider its name
	// in the third-party registry, and RealNameFor the features that require a verified name.
	RealName         beifen.RealNameVerifier
	RealNameProvider string
	RealNameFor      map[beifen.RealNameFeature]bool
	// Mail sends the codes that verify e-mail addresses; nil: accounts have no e-mail address.
	Mail beifen.EmailSender

	// Carrier exchanges one-click sign-in tokens (clause 1.1.1f); carrier.None when it is off.
	Carrier beifen.CarrierVerifier
	// Push sends to devices' push tokens (clause 3.1.2e) and PushParty is its ID in the
	// third-party registry; "" when push is off, and then no push token is taken.
	Push      beifen.PushSender
	PushParty string
	// PlanQuotas bounds teams' members by their plan (clause 3.1.2d); on when plans are sold,
	// that is, when a payment provider is configured.
	PlanQuotas bool
}

var _ beifen.AuthService = (*Service)(nil)

// NewService returns a Service.
func NewService(store beifen.Store, master *keyring.Master, sms beifen.SMSSender, logger *slog.Logger) *Service {
	return &Service{Store: store, Master: master, SMS: sms, Logger: logger, Now: time.Now}
}

// profile is what a user's Sealed holds.
type profile struct {
	Phone      string         `json:"phone"`
	Name       string         `json:"name,omitempty"`
	Profile    beifen.Profile `json:"profile"`
	GuardianAt time.Time      `json:"guardian_at,omitzero"`
	Guardian   string         `json:"guardian,omitempty"` // the guardian's number, E.164
	// IDBirthday is the birth date of a verified ID number.
	IDBirthday string `json:"id_birthday,omitempty"`
	// Email is the verified e-mail address notices go to; EmailPending one entered and waiting
	// for its code (clause 1.1.3).
	Email        string `json:"email,omitempty"`
	EmailPending string `json:"email_pending,omitempty"`
}

var profileAAD = []byte("beifen user profile")

// PhoneHash returns the keyed hash under which an E.164 number is looked up.
func (s *Service) PhoneHash(e164 string) []byte {
	return s.Master.Server().Ident([]byte("phone:" + e164))
}

func (s *Service) openRaw(u *beifen.User) (profile, error) {
	var p profile
	pt, err := s.Master.Server().Open(profileAAD, u.Sealed)
	if err != nil {
		return p, fmt.Errorf("open profile of user %d: %w", u.ID, err)
	}
	return p, json.Unmarshal(pt, &p)
}

// OpenProfile fills u.Phone and u.Name from its sealed profile.
func (s *Service) OpenProfile(u *beifen.User) error {
	pt, err := s.Master.Server().Open(profileAAD, u.Sealed)
	if err != nil {
		return fmt.Errorf("open profile of user %d: %w", u.ID, err)
	}
	var p profile
	if err := json.Unmarshal(pt, &p); err != nil {
		return fmt.Errorf("decode profile of user %d: %w", u.ID, err)
	}
	u.Phone, u.Name, u.Profile, u.GuardianConsentAt = p.Phone, p.Name, p.Profile, p.GuardianAt
	u.IDBirthday, u.Email, u.EmailPending = p.IDBirthday, p.Email, p.EmailPending
	return nil
}

func (s *Service) sealProfile(phone, name string) []byte {
	return s.seal(profile{Phone: phone, Name: name})
}

func (s *Service) seal(p profile) []byte {
	pt, _ := json.Marshal(p)
	return s.Master.Server().Seal(profileAAD, pt)
}

// UpdateProfile replaces the signed-in user's profile (clause 6.3.1): they see it with GET
// /api/v1/me and correct it here. Every change is audited.
func (s *Service) UpdateProfile(ctx context.Context, p beifen.Profile) (*beifen.User, error) {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return nil, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	nu, err := s.updateProfile(ctx, u, func(old *profile) { old.Profile = p }, "profile.update")
	if err != nil {
		return nil, err
	}
	if s.Requests != nil {
		if err := s.Requests.Recorded(ctx, beifen.RightCorrect, "profile"); err != nil {
			return nil, err
		}
	}
	return nu, s.voidChildGrants(ctx, nu)
}

// updateProfile opens u's sealed profile, changes it, seals and stores it, records action in the
// audit log (none when ""), and returns the user as stored, with the profile opened.
func (s *Service) updateProfile(ctx context.Context, u *beifen.User, change func(*profile), action string) (*beifen.User, error) {
	p, err := s.openRaw(u)
	if err != nil {
		return nil, err
	}
	change(&p)
	sealed := s.seal(p)
	nu, err := s.Store.Users.UpdateUser(ctx, u.ID, beifen.UserUpdate{Sealed: &sealed})
	if err != nil {
		return nil, err
	}
	if action != "" {
		if err := s.audit(ctx, action, u.ID); err != nil {
			return nil, err
		}
	}
	return nu, s.OpenProfile(nu)
}

// CreateUser creates an account with a data key and returns an API token for it.
func (s *Service) CreateUser(ctx context.Context, phone, name string) (*beifen.User, string, error) {
	return s.CreateMember(ctx, phone, name, 0, "")
}

// CreateMember creates an account in a sales team (teamID 0: a personal account) and returns an
// API token for it. Returns ENOTFOUND for an unknown team.
func (s *Service) CreateMember(ctx context.Context, phone, name string, teamID int64, role beifen.Role) (*beifen.User, string, error) {
	u, err := s.createAccount(ctx, phone, name, teamID, role)
	if err != nil {
		return nil, "", err
	}
	tok, err := s.issueToken(ctx, u, "api")
	return u, tok, err
}

// createAccount creates an account with its own data key, and no token.
func (s *Service) createAccount(ctx context.Context, phone, name string, teamID int64, role beifen.Role) (*beifen.User, error) {
	e164, err := phonenumber.Normalize(phone)
	if err != nil {
		return nil, err
	}
	if teamID != 0 {
		if _, err := s.Store.Teams.FindTeamByID(ctx, teamID); err != nil {
			return nil, err
		}
		if err := s.checkSeats(ctx, teamID); err != nil {
			return nil, err
		}
	}
	u := &beifen.User{PhoneHash: s.PhoneHash(e164), Sealed: s.sealProfile(e164, name), TeamID: teamID, Role: role}
	if err := s.Store.Users.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	// The data key is bound to the account ID, which exists only now.
	key := s.Master.NewDataKey(u.ID)
	if u, err = s.Store.Users.UpdateUser(ctx, u.ID, beifen.UserUpdate{WrappedKey: &key}); err != nil {
		return nil, err
	}
	u.Phone, u.Name = e164, name
	s.Logger.InfoContext(ctx, "user created", "user_id", u.ID)
	return u, nil
}

// Authenticate returns the user of a token. Returns EUNAUTHORIZED if it is not valid.
func (s *Service) Authenticate(ctx context.Context, token string) (*beifen.User, error) {
	t, err := s.Store.Tokens.FindTokenByHash(ctx, tokenHash(token))
	if beifen.ErrorCode(err) == beifen.ENOTFOUND {
		return nil, beifen.Errorf(beifen.EUNAUTHORIZED, "Invalid or expired token.")
	} else if err != nil {
		return nil, err
	}
	u, err := s.Store.Users.FindUserByID(ctx, t.UserID)
	if err != nil {
		return nil, err
	}
	return u, s.OpenProfile(u)
}

func (s *Service) issueToken(ctx context.Context, u *beifen.User, kind string) (string, error) {
	if kind != "api" && kind != "session" {
		return "", beifen.Errorf(beifen.EINVALID, "Token kind must be api or session.")
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	tok := "bf_" + base64.RawURLEncoding.EncodeToString(raw)
	t := &beifen.Token{UserID: u.ID, Hash: tokenHash(tok), Kind: kind}
	if kind == "session" {
		t.ExpiresAt = s.Now().Add(SessionTTL)
	}
	if err := s.Store.Tokens.CreateToken(ctx, t); err != nil {
		return "", err
	}
	return tok, nil
}

// tokenHash: tokens are 256 random bits, so a plain hash is enough to keep them from the store.
func tokenHash(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

// newCode returns OTPLength random decimal digits.
func newCode() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(1_000_000))
	return fmt.Sprintf("%06d", n.Int64())
}

func (s *Service) codeHash(phoneHash []byte, code string) []byte {
	return s.Master.Server().Ident(append(append([]byte("otp:"), phoneHash...), code...))
}

func equalHash(a, b []byte) bool { return len(a) > 0 && hmac.Equal(a, b) }

// SignOut ends the session or revokes the API token tok, so nothing usable is left behind
// (clause 2.3).
func (s *Service) SignOut(ctx context.Context, tok string) error {
	t, err := s.Store.Tokens.FindTokenByHash(ctx, tokenHash(tok))
	if beifen.ErrorCode(err) == beifen.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	return s.Store.Tokens.DeleteToken(ctx, t.ID)
}

// Sessions lists the signed-in user's sessions and API tokens.
func (s *Service) Sessions(ctx context.Context) ([]*beifen.Token, error) {
	return s.Store.Tokens.FindTokens(ctx)
}

// RevokeSession ends one of the signed-in user's sessions or tokens. Returns ENOTFOUND for
// another user's.
func (s *Service) RevokeSession(ctx context.Context, id int64) error {
	return s.Store.Tokens.DeleteToken(ctx, id)
}

// SetManager puts a staff member in a manager's group (组): the manager sees the member's leads,
// recordings and report rows. Both must be of the same team; managerPhone "" takes the member
// out of any group.
func (s *Service) SetManager(ctx context.Context, member *beifen.User, managerPhone string) error {
	if member.TeamID == 0 || member.Role != beifen.RoleStaff {
		return beifen.Errorf(beifen.EINVALID, "Only a team's staff belong to a manager's group.")
	}
	var id int64
	if managerPhone != "" {
		e164, err := phonenumber.Normalize(managerPhone)
		if err != nil {
			return err
		}
		m, err := s.Store.Users.FindUserByPhoneHash(ctx, s.PhoneHash(e164))
		if beifen.ErrorCode(err) == beifen.ENOTFOUND || (err == nil && (m.TeamID != member.TeamID || m.Role != beifen.RoleManager)) {
			return beifen.Errorf(beifen.EINVALID, "No manager of this team has that number.")
		} else if err != nil {
			return err
		}
		id = m.ID
	}
	_, err := s.Store.Users.UpdateUser(ctx, member.ID, beifen.UserUpdate{ManagerID: &id})
	return err
}

// checkSeats refuses a member beyond the team plan's seats (clause 3.1.2d), when plans are sold.
func (s *Service) checkSeats(ctx context.Context, teamID int64) error {
	if !s.PlanQuotas {
		return nil
	}
	tp, err := s.Store.Plans.FindTeamPlan(ctx, teamID)
	if err != nil {
		return err
	}
	return tp.CheckSeats(s.Now())
}
