package privacy

import (
	"context"

	"github.com/beifen/beifen"
)

// Consents returns the state of every registered purpose for the signed-in user, and the ledger
// behind it, oldest first. A purpose never asked about is off: nothing is pre-ticked. For a child
// under 14 only a guardian's grant turns a purpose on.
func (s *Service) Consents(ctx context.Context) ([]beifen.ConsentState, []*beifen.Consent, error) {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return nil, nil, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	ledger, err := s.Store.FindConsents(ctx, u.ID)
	if err != nil {
		return nil, nil, err
	}
	inForce := beifen.ConsentsInForceFor(ledger, u.IsChild(s.Now()))
	out := make([]beifen.ConsentState, 0, len(beifen.Purposes))
	for _, info := range beifen.Purposes {
		if info.Team && u.TeamID == 0 {
			continue // a team's device purposes mean nothing to a personal account
		}
		out = append(out, beifen.ConsentState{PurposeInfo: info, Granted: inForce[info.Purpose]})
	}
	return out, ledger, nil
}

// SetConsent grants or withdraws the signed-in user's consent to an optional purpose, under the
// policy version in effect. Setting a purpose to the state it is already in adds nothing. A child
// under 14 may withdraw but not grant: that takes a guardian (SetGuardianConsent).
func (s *Service) SetConsent(ctx context.Context, purpose beifen.Purpose, granted bool) error {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	if err := (&beifen.Consent{Purpose: purpose}).Validate(); err != nil {
		return err
	}
	if granted && u.IsChild(s.Now()) {
		if states, _, err := s.Consents(ctx); err != nil || isGranted(states, purpose) {
			return err // already on by a guardian's grant: nothing to add
		}
		return beifen.Errorf(beifen.EFORBIDDEN, "Users under 14 cannot turn this on themselves: a guardian can, with the code texted to them.")
	}
	return s.addConsent(ctx, &beifen.Consent{UserID: u.ID, Purpose: purpose, Granted: granted, At: s.Now().UTC()})
}

// WithdrawBy withdraws the signed-in user's consent to purpose by a channel other than the app,
// such as an e-mail's unsubscribe link (beifen.ConsentByEmail): a withdrawal like any other, with
// the channel kept in the ledger. Withdrawing what is already off adds nothing.
func (s *Service) WithdrawBy(ctx context.Context, purpose beifen.Purpose, channel string) error {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	return s.addConsent(ctx, &beifen.Consent{UserID: u.ID, Purpose: purpose, Granted: false, At: s.Now().UTC(), Channel: channel})
}

// SetGuardianConsent grants or withdraws an optional purpose for the signed-in user on their
// guardian's word, confirmed by the code texted to the guardian's number (clause 7.1).
func (s *Service) SetGuardianConsent(ctx context.Context, guardian, code string, purpose beifen.Purpose, granted bool) error {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	c := &beifen.Consent{UserID: u.ID, Purpose: purpose, Granted: granted, At: s.Now().UTC(), ByGuardian: true}
	if err := c.Validate(); err != nil {
		return err
	}
	if s.CheckGuardian == nil {
		return beifen.Errorf(beifen.EFORBIDDEN, "Guardian consent is not available on this server.")
	}
	if err := s.CheckGuardian(ctx, guardian, code); err != nil {
		return err
	}
	return s.addConsent(ctx, c)
}

// addConsent appends c unless its purpose is already in that state, and, for a withdrawal,
// deletes what the purpose kept.
func (s *Service) addConsent(ctx context.Context, c *beifen.Consent) error {
	if err := c.Validate(); err != nil {
		return err
	}
	states, _, err := s.Consents(ctx)
	if err != nil {
		return err
	}
	if isGranted(states, c.Purpose) == c.Granted && !c.ByGuardian {
		return nil
	}
	if cur, _, err := s.Current(ctx, "zh-CN"); err == nil && cur != nil {
		c.PolicyVersion = cur.Version
	}
	if err := s.Store.AddConsent(ctx, c); err != nil {
		return err
	}
	if !c.Granted && s.Withdrawn != nil {
		if err := s.Withdrawn(ctx, c.Purpose); err != nil {
			return err
		}
	}
	if !c.Granted && s.Requests != nil {
		return s.Requests.Recorded(ctx, beifen.RightWithdraw, string(c.Purpose))
	}
	return nil
}

func isGranted(states []beifen.ConsentState, p beifen.Purpose) bool {
	for _, st := range states {
		if st.Purpose == p {
			return st.Granted
		}
	}
	return false
}
