package backup

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/beifen/beifen"
)

// What the user asked to be remembered (clause 2.2): recent searches and form drafts, sealed
// under the account key, clearable at once.

// MaxSearches is how many recent searches are kept.
const MaxSearches = 10

func stateAAD(userID int64, name string) []byte {
	return fmt.Appendf(nil, "beifen user state\x00user=%d\x00%s", userID, name)
}

func (s *Service) getState(ctx context.Context, a *account, name string, v any) error {
	sealed, err := s.Store.UserState.GetUserState(ctx, name)
	if err != nil {
		return err
	}
	pt, err := a.keys.Open(stateAAD(a.id, name), sealed)
	if err != nil {
		return fmt.Errorf("open %s: %w", name, err)
	}
	return json.Unmarshal(pt, v)
}

func (s *Service) putState(ctx context.Context, a *account, name string, v any) error {
	pt, _ := json.Marshal(v)
	return s.Store.UserState.PutUserState(ctx, name, a.keys.Seal(stateAAD(a.id, name), pt))
}

// RememberSearch puts a search at the front of the user's recent searches.
func (s *Service) RememberSearch(ctx context.Context, q string) error {
	q = strings.TrimSpace(q)
	if q == "" || len([]rune(q)) > 100 {
		return nil
	}
	a, err := s.account(ctx)
	if err != nil {
		return err
	}
	var list []string
	if err := s.getState(ctx, a, "searches", &list); err != nil && beifen.ErrorCode(err) != beifen.ENOTFOUND {
		return err
	}
	list = slices.DeleteFunc(list, func(x string) bool { return x == q })
	list = append([]string{q}, list...)
	return s.putState(ctx, a, "searches", list[:min(len(list), MaxSearches)])
}

// RecentSearches returns the user's recent searches, newest first.
func (s *Service) RecentSearches(ctx context.Context) ([]string, error) {
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	list := []string{}
	if err := s.getState(ctx, a, "searches", &list); err != nil && beifen.ErrorCode(err) != beifen.ENOTFOUND {
		return nil, err
	}
	return list, nil
}

// SaveDraft keeps the text of a form the user has not sent yet ("" forgets it).
func (s *Service) SaveDraft(ctx context.Context, form, text string) error {
	a, err := s.account(ctx)
	if err != nil {
		return err
	}
	return s.putState(ctx, a, "draft:"+form, text)
}

// Draft returns a form's draft, or "".
func (s *Service) Draft(ctx context.Context, form string) (string, error) {
	a, err := s.account(ctx)
	if err != nil {
		return "", err
	}
	var text string
	if err := s.getState(ctx, a, "draft:"+form, &text); err != nil && beifen.ErrorCode(err) != beifen.ENOTFOUND {
		return "", err
	}
	return text, nil
}

// ForgetRemembered clears the user's recent searches and drafts.
func (s *Service) ForgetRemembered(ctx context.Context) error {
	return s.Store.UserState.ClearUserState(ctx)
}
