package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/beifen/beifen"
)

// Marketing activities (clause 3.1.5): each sign-up is a consent of its own to give the
// activity's partner the user's number; the partner's list holds those signed up at the time it
// is made, and each number on it is logged as a transfer to the partner.

// CreateActivity stores an activity (operator).
func (m *Main) CreateActivity(ctx context.Context, a *beifen.Activity) error {
	if err := m.Store.Activities.CreateActivity(ctx, a); err != nil {
		return err
	}
	return m.Audit.AuditPlatform(ctx, "activity.create", "activity:"+strconv.FormatInt(a.ID, 10))
}

// Activities lists the activities for the signed-in user.
func (m *Main) Activities(ctx context.Context) ([]*beifen.Activity, error) {
	return m.Store.Activities.FindActivities(ctx)
}

// SignUp signs the user up for an activity, which is their consent to give its partner their
// number; consent must say so.
func (m *Main) SignUp(ctx context.Context, id int64, consent bool) error {
	if !consent {
		return beifen.Errorf(beifen.EINVALID, "Signing up means agreeing to give the partner your number: tick the box to agree.")
	}
	if u := beifen.UserFromContext(ctx); u != nil && u.IsChild(time.Now()) {
		return beifen.Errorf(beifen.EFORBIDDEN, "Users under 14 cannot sign up for partners' activities.")
	}
	list, err := m.Store.Activities.FindActivities(ctx)
	if err != nil {
		return err
	}
	for _, a := range list {
		if a.ID == id && time.Now().After(a.EndsAt) {
			return beifen.Errorf(beifen.EINVALID, "This activity has ended.")
		}
	}
	return m.Store.Activities.SignUp(ctx, id, time.Now().UTC())
}

// Withdraw takes the user off an activity: their number is on no list made after.
func (m *Main) Withdraw(ctx context.Context, id int64) error {
	return m.Store.Activities.Withdraw(ctx, id)
}

// ExportSignUps writes the partner's list as CSV (phone numbers of those signed up now) and logs
// each as a transfer to the partner. It returns how many.
func (m *Main) ExportSignUps(ctx context.Context, id int64, w io.Writer) (int, error) {
	ids, err := m.Store.Activities.SignUps(ctx, id)
	if err != nil {
		return 0, err
	}
	cw := csv.NewWriter(w)
	cw.Write([]string{"phone"})
	party := fmt.Sprintf("activity:%d", id)
	for _, uid := range ids {
		u, err := m.Store.Users.FindUserByID(ctx, uid)
		if err != nil {
			return 0, err
		}
		if err := m.Auth.OpenProfile(u); err != nil {
			return 0, err
		}
		if err := m.Store.Transfers.LogTransfer(ctx, &beifen.Transfer{Party: party, PhoneHash: u.PhoneHash}); err != nil {
			return 0, err
		}
		cw.Write([]string{u.Phone})
	}
	cw.Flush()
	if err := m.Audit.AuditPlatform(ctx, "activity.export", party); err != nil {
		return 0, err
	}
	return len(ids), cw.Error()
}
