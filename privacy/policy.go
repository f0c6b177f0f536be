// Package privacy keeps the privacy policy's own promises about itself: versioned policy
// documents served at sign-up and in settings (clause 6.6), notice of a coming version before it
// takes effect (8b), and material changes that block use until the user accepts them, never
// accepted on their behalf (8a).
package privacy

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/beifen/beifen"
)

// Service implements the policy rules over a PolicyService.
type Service struct {
	Store beifen.PolicyService
	Now   func() time.Time
	// Requests records withdrawals of consent as rights requests (may be nil).
	Requests beifen.RightsRecorder
	// CheckGuardian checks the code texted to a guardian's number, for a guardian's consent on a
	// child's behalf (clause 7.1); nil: no guardian consents.
	CheckGuardian func(ctx context.Context, guardian, code string) error
	// Withdrawn, if set, is called after the signed-in user withdraws consent to a purpose, to
	// erase what was kept for that purpose alone (may be nil).
	Withdrawn func(ctx context.Context, p beifen.Purpose) error

	mu      sync.Mutex
	cached  []*beifen.PolicyDocument
	fetched time.Time
}

// NewService returns a Service.
func NewService(store beifen.PolicyService) *Service {
	return &Service{Store: store, Now: time.Now}
}

// cacheFor is how long the list of documents is reused: they change rarely, and every signed-in
// request asks whether a material version is due.
const cacheFor = 30 * time.Second

func (s *Service) documents(ctx context.Context) ([]*beifen.PolicyDocument, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cached != nil && time.Since(s.fetched) < cacheFor {
		return s.cached, nil
	}
	docs, err := s.Store.FindPolicies(ctx)
	if err != nil {
		return nil, err
	}
	s.cached, s.fetched = docs, time.Now()
	return docs, nil
}

// Publish stores a new policy document and refreshes the cache.
func (s *Service) Publish(ctx context.Context, d *beifen.PolicyDocument) error {
	if err := s.Store.PublishPolicy(ctx, d); err != nil {
		return err
	}
	s.mu.Lock()
	s.cached = nil
	s.mu.Unlock()
	return nil
}

// Documents returns every version in lang, oldest first.
func (s *Service) Documents(ctx context.Context, lang string) ([]*beifen.PolicyDocument, error) {
	docs, err := s.documents(ctx)
	if err != nil {
		return nil, err
	}
	out := []*beifen.PolicyDocument{}
	for _, d := range docs {
		if d.Lang == lang {
			out = append(out, d)
		}
	}
	return out, nil
}

// Current returns the version in effect now in lang (zh-CN when lang has none), and the next
// one already published, if any. Returns ENOTFOUND when no policy is published.
func (s *Service) Current(ctx context.Context, lang string) (current, upcoming *beifen.PolicyDocument, err error) {
	docs, err := s.Documents(ctx, lang)
	if err != nil {
		return nil, nil, err
	}
	if len(docs) == 0 && lang != "zh-CN" {
		return s.Current(ctx, "zh-CN")
	}
	sort.SliceStable(docs, func(i, j int) bool { return docs[i].EffectiveAt.Before(docs[j].EffectiveAt) })
	now := s.Now()
	for _, d := range docs {
		if !d.EffectiveAt.After(now) {
			current = d
		} else if upcoming == nil {
			upcoming = d
		}
	}
	if current == nil && upcoming == nil {
		return nil, nil, beifen.Errorf(beifen.ENOTFOUND, "No privacy policy is published.")
	}
	return current, upcoming, nil
}

// Status is what a signed-in user sees of the policy.
type Status struct {
	Current    *beifen.PolicyDocument `json:"current,omitempty"`
	Upcoming   *beifen.PolicyDocument `json:"upcoming,omitempty"` // notice before it takes effect
	Accepted   []string               `json:"accepted"`
	MustAccept bool                   `json:"must_accept"` // a material version in effect is not accepted yet
}

// StatusOf returns the signed-in user's policy status.
func (s *Service) StatusOf(ctx context.Context, lang string) (*Status, error) {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return nil, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	cur, next, err := s.Current(ctx, lang)
	if err != nil {
		return nil, err
	}
	accepted, err := s.Store.AcceptedPolicies(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	st := &Status{Current: cur, Upcoming: next, Accepted: append([]string{}, accepted...)}
	st.MustAccept = cur != nil && cur.Material && !contains(accepted, cur.Version)
	return st, nil
}

// Accept records the signed-in user's explicit acceptance of a published version.
func (s *Service) Accept(ctx context.Context, version string) error {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	docs, err := s.documents(ctx)
	if err != nil {
		return err
	}
	for _, d := range docs {
		if d.Version == version {
			return s.Store.AcceptPolicy(ctx, u.ID, version, s.Now().UTC())
		}
	}
	return beifen.Errorf(beifen.ENOTFOUND, "No such policy version.")
}

// Gate returns EFORBIDDEN while a material version in effect waits for the signed-in user's
// acceptance: nothing else may be used until then (clause 8a).
func (s *Service) Gate(ctx context.Context) error {
	cur, _, err := s.Current(ctx, "zh-CN")
	if beifen.ErrorCode(err) == beifen.ENOTFOUND {
		return nil
	} else if err != nil || cur == nil || !cur.Material {
		return err
	}
	u := beifen.UserFromContext(ctx)
	accepted, err := s.Store.AcceptedPolicies(ctx, u.ID)
	if err != nil {
		return err
	}
	if !contains(accepted, cur.Version) {
		return beifen.Errorf(beifen.EFORBIDDEN, "The privacy policy has changed (version %s). Please read and accept it to go on.", cur.Version)
	}
	return nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// Accepted returns the versions the signed-in user accepted.
func (s *Service) Accepted(ctx context.Context) ([]string, error) {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return nil, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	return s.Store.AcceptedPolicies(ctx, u.ID)
}

// MustWelcome reports whether the signed-in user must see the welcome page before any other:
// a policy is published and they have accepted no version yet (the first run), or a material
// version in effect waits for their acceptance (Gate). One read of their acceptances.
func (s *Service) MustWelcome(ctx context.Context) (bool, error) {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return false, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	cur, _, err := s.Current(ctx, "zh-CN")
	if beifen.ErrorCode(err) == beifen.ENOTFOUND {
		return false, nil
	} else if err != nil {
		return false, err
	}
	accepted, err := s.Store.AcceptedPolicies(ctx, u.ID)
	if err != nil {
		return false, err
	}
	return len(accepted) == 0 || (cur != nil && cur.Material && !contains(accepted, cur.Version)), nil
}
