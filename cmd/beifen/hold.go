package main

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/backup"
)

// errHeld is eraseAccount's answer for an account under a legal hold.
var errHeld = errors.New("under a legal hold")

// eraseAccount erases an account unless a legal hold keeps it (clause 1.9); every erasure goes
// through here, so no path around the hold exists.
func (m *Main) eraseAccount(ctx context.Context, u *beifen.User) (*backup.Receipt, error) {
	held, err := m.Store.Holds.IsHeld(ctx, u.ID)
	if err != nil {
		return nil, err
	} else if held {
		m.Logger.InfoContext(ctx, "erasure held back: legal hold", "user_id", u.ID)
		return nil, beifen.Errorf(beifen.EFORBIDDEN, "Account %d is under a legal hold: it cannot be erased until the hold is lifted.", u.ID)
	}
	ph, sealed := m.Auth.Anonymous()
	r, err := m.Backup.EraseAccount(ctx, u, ph, sealed)
	if err != nil {
		return nil, err
	}
	return r, m.Support.AccountDeletionEnded(ctx, u.ID, beifen.RequestDone)
}

// held reports whether err is eraseAccount's refusal for a held account: the erasing jobs skip
// such accounts and go on.
func held(err error) bool { return beifen.ErrorCode(err) == beifen.EFORBIDDEN }

// PlaceHold puts an account under a legal hold and writes it to the platform's audit log.
func (m *Main) PlaceHold(ctx context.Context, userID int64, reason string) (*beifen.LegalHold, error) {
	if reason == "" {
		return nil, beifen.Errorf(beifen.EINVALID, "A legal hold needs its legal basis (a case number, an authority's request).")
	}
	if _, err := m.Store.Users.FindUserByID(ctx, userID); err != nil {
		return nil, err
	}
	h := &beifen.LegalHold{UserID: userID, Reason: reason, PlacedAt: time.Now().UTC()}
	if err := m.Store.Holds.PlaceHold(ctx, h); err != nil {
		return nil, err
	}
	return h, m.Audit.AuditPlatform(ctx, "hold.place", "user:"+strconv.FormatInt(userID, 10))
}

// LiftHold ends an account's legal hold, audited; a deletion it held back happens at the next
// hourly run.
func (m *Main) LiftHold(ctx context.Context, userID int64) error {
	if err := m.Store.Holds.LiftHold(ctx, userID, time.Now().UTC()); err != nil {
		return err
	}
	return m.Audit.AuditPlatform(ctx, "hold.lift", "user:"+strconv.FormatInt(userID, 10))
}
