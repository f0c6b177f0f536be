package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/audit"
)

// The platform's shutdown (clause 6.7): freeze collection, tell every user, let them download
// their data for the notice period, then erase every account and shred every team's key.

const closingSetting = "closing"

// closingCache keeps the shutdown state a little while: every request asks for it, and a
// replica that did not start the shutdown learns of it within closingCacheFor.
type closingCache struct {
	mu      sync.Mutex
	state   *beifen.Closing
	fetched time.Time
}

const closingCacheFor = 30 * time.Second

// ClosingState returns the shutdown under way, or nil.
func (m *Main) ClosingState(ctx context.Context) (*beifen.Closing, error) {
	m.closing.mu.Lock()
	defer m.closing.mu.Unlock()
	if !m.closing.fetched.IsZero() && time.Since(m.closing.fetched) < closingCacheFor {
		return m.closing.state, nil
	}
	b, err := m.Store.Settings.GetSetting(ctx, closingSetting)
	if beifen.ErrorCode(err) == beifen.ENOTFOUND {
		m.closing.state, m.closing.fetched = nil, time.Now()
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var c beifen.Closing
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("closing setting: %w", err)
	}
	m.closing.state, m.closing.fetched = &c, time.Now()
	return &c, nil
}

func (m *Main) saveClosing(ctx context.Context, c *beifen.Closing) error {
	b, _ := json.Marshal(c)
	if err := m.Store.Settings.PutSetting(ctx, closingSetting, b); err != nil {
		return err
	}
	m.closing.mu.Lock()
	m.closing.state, m.closing.fetched = c, time.Now()
	m.closing.mu.Unlock()
	return nil
}

// isClosing is the auth service's hook: no new accounts once the platform is closing.
func (m *Main) isClosing(ctx context.Context) bool {
	c, err := m.ClosingState(ctx)
	return err == nil && c != nil
}

// Shutdown freezes collection now, erases everything after days days (at least
// beifen.ClosingNoticeDays), and texts every user when, and that they can download their data
// until then. Running it again re-sends the notice and keeps the first dates.
func (m *Main) Shutdown(ctx context.Context, days int) (*beifen.Closing, error) {
	if days < beifen.ClosingNoticeDays {
		return nil, beifen.Errorf(beifen.EINVALID, "Users must have at least %d days to download their data.", beifen.ClosingNoticeDays)
	}
	c, err := m.ClosingState(ctx)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	if c == nil {
		c = &beifen.Closing{FrozenAt: now, EraseAt: now.Add(time.Duration(days) * 24 * time.Hour)}
		if err := m.saveClosing(ctx, c); err != nil {
			return nil, err
		}
		m.Logger.InfoContext(ctx, "shutdown: collection frozen", "erase_at", c.EraseAt)
	}
	text := "【手机备份】本服务将停止运营，即日起不再收集新数据。" + c.EraseAt.In(opsZone).Format("2006年1月2日") +
		"起将删除全部数据，请在此之前登录并在“隐私中心”下载您的数据。"
	n := 0
	err = beifen.EachAccount(ctx, m.Store.Users, func(u *beifen.User) error {
		if err := m.Auth.OpenProfile(u); err != nil {
			return err
		}
		if err := m.Auth.SMS.SendSMS(ctx, u.Phone, text); err != nil {
			m.Logger.WarnContext(ctx, "shutdown notice not sent", "user_id", u.ID, "err", err)
			return nil
		}
		n++
		return nil
	})
	if err != nil {
		return nil, err
	}
	c.NotifiedAt, c.Notified = time.Now().UTC(), n
	if err := m.saveClosing(ctx, c); err != nil {
		return nil, err
	}
	m.Logger.InfoContext(ctx, "shutdown: users notified", "notified", n)
	return c, nil
}

// EraseAtClosing erases every account and shreds every team's key once the shutdown's notice
// period is over at now; before then, or with no shutdown, it does nothing. It returns how many
// accounts it erased.
func (m *Main) EraseAtClosing(ctx context.Context, now time.Time) (int, error) {
	c, err := m.ClosingState(ctx)
	if err != nil || c == nil || now.Before(c.EraseAt) || !c.ErasedAt.IsZero() {
		return 0, err
	}
	n := 0
	err = beifen.EachAccount(ctx, m.Store.Users, func(u *beifen.User) error {
		if _, err := m.eraseAccount(ctx, u); held(err) {
			return nil // the law keeps it; the operator erases it when the hold ends
		} else if err != nil {
			return err
		}
		n++
		return nil
	})
	if err != nil {
		return n, err
	}
	// Team data (leads, calls, recordings) is sealed under each team's key: destroying the key
	// leaves nothing readable of the customers in it.
	teams, err := m.Store.Teams.FindTeams(ctx)
	if err != nil {
		return n, err
	}
	for _, t := range teams {
		if err := m.Store.Teams.UpdateTeamKey(ctx, t.ID, nil); err != nil {
			return n, err
		}
	}
	c.ErasedAt, c.Erased = now.UTC(), n
	keys, held, err := m.keysLeft(ctx)
	if err != nil {
		return n, err
	}
	if err := m.Audit.AuditPlatform(ctx, "shutdown.erased", fmt.Sprintf("accounts:%d", n)); err != nil {
		return n, err
	}
	cp, err := m.Audit.Checkpoint(ctx)
	if err != nil {
		return n, err
	}
	checkpoint, err := m.Audit.OpenCheckpoint(cp)
	if err != nil {
		return n, err
	}
	note, err := m.Audit.SignStatement(fmt.Sprintf("beifen-shutdown erased_at=%s accounts_erased=%d accounts_held=%d account_keys_left=%d team_keys_left=%d audit_entries=%d",
		c.ErasedAt.Format(time.RFC3339), n, held, keys.accounts, keys.teams, checkpoint.Size))
	if err != nil {
		return n, err
	}
	c.Summary = string(note)
	if err := m.saveClosing(ctx, c); err != nil {
		return n, err
	}
	m.Logger.InfoContext(ctx, "shutdown: everything erased", "accounts", n, "teams", len(teams))
	return n, nil
}

// keysCount is how many data keys are left.
type keysCount struct{ accounts, teams int }

// keysLeft counts the accounts and teams that still hold a data key, and how many of those
// accounts a legal hold keeps.
func (m *Main) keysLeft(ctx context.Context) (keysCount, int, error) {
	var k keysCount
	holds, err := m.Store.Holds.FindHolds(ctx, false)
	if err != nil {
		return k, 0, err
	}
	isHeld := map[int64]bool{}
	for _, h := range holds {
		isHeld[h.UserID] = true
	}
	held := 0
	err = beifen.EachAccount(ctx, m.Store.Users, func(u *beifen.User) error {
		k.accounts++
		if isHeld[u.ID] {
			held++
		}
		return nil
	})
	if err != nil {
		return k, 0, err
	}
	teams, err := m.Store.Teams.FindTeams(ctx)
	if err != nil {
		return k, 0, err
	}
	for _, t := range teams {
		if len(t.WrappedKey) > 0 {
			k.teams++
		}
	}
	return k, held, nil
}

// CheckShutdownSummary checks the signed summary of a finished shutdown against this server's
// key and recounts what it states is left: no key but those of accounts a legal hold keeps.
func (m *Main) CheckShutdownSummary(ctx context.Context, c *beifen.Closing) error {
	if c.Summary == "" {
		return fmt.Errorf("the shutdown has not erased anything yet")
	}
	text, err := audit.OpenStatement([]byte(c.Summary), m.Audit.VerifierKey())
	if err != nil {
		return fmt.Errorf("shutdown summary: %w", err)
	}
	keys, held, err := m.keysLeft(ctx)
	if err != nil {
		return err
	}
	if keys.teams != 0 || keys.accounts != held {
		return fmt.Errorf("shutdown summary %q, but %d account keys (%d held) and %d team keys are left now", text, keys.accounts, held, keys.teams)
	}
	return nil
}
