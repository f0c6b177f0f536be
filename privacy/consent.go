package privacy

import (
	"context"

	"github.com/beifen/beifen"
)

// Consents returns the state of every registered purpose for the signed-in user, and the ledger
// behind it, oldest first. A purpose never asked about is off: nothing is pre-ticked.
func (s *Service) Consents(ctx context.Context) ([]beifen.ConsentState, []*beifen.Consent, error) {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return nil, nil, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	ledger, err := s.Store.FindConsents(ctx, u.ID)
	if err != nil {
		return nil, nil, err
	}
	inForce := beifen.ConsentsInForce(ledger)
	out := make([]beifen.ConsentState, 0, len(beifen.Purposes))
	for _, info := range beifen.Purposes {
		out = append(out, beifen.ConsentState{PurposeInfo: info, Granted: inForce[info.Purpose]})
	}
	return out, ledger, nil
}

// SetConsent grants or withdraws the signed-in user's consent to an optional purpose, under the
// policy version in effect. Setting a purpose to the state it is already in adds nothing.
func (s *Service) SetConsent(ctx context.Context, purpose beifen.Purpose, granted bool) error {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	c := &beifen.Consent{UserID: u.ID, Purpose: purpose, Granted: granted, At: s.Now().UTC()}
	if err := c.Validate(); err != nil {
		return err
	}
	states, _, err := s.Consents(ctx)
	if err != nil {
		return err
	}
	for _, st := range states {
		if st.Purpose == purpose && st.Granted == granted {
			return nil
		}
	}
	if cur, _, err := s.Current(ctx, "zh-CN"); err == nil && cur != nil {
		c.PolicyVersion = cur.Version
	}
	if err := s.Store.AddConsent(ctx, c); err != nil {
		return err
	}
	if !granted && s.Withdrawn != nil {
		return s.Withdrawn(ctx, purpose)
	}
	return nil
}
