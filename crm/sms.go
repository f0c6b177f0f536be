package crm

import (
	"context"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/phonenumber"
)

// PutTemplate sets the team's after-call text for an outcome.
func (s *Service) PutTemplate(ctx context.Context, t *beifen.SMSTemplate) error {
	if _, err := s.teamOf(ctx, beifen.RoleAdmin, beifen.RoleManager); err != nil {
		return err
	}
	return s.Store.Templates.PutSMSTemplate(ctx, t)
}

// afterCallText is the team's text for the outcome of a call to the lead, or nil when the team
// has none or the number has opted out.
func (s *Service) afterCallText(ctx context.Context, t *team, leadID int64, outcome beifen.Outcome) (*outgoingText, error) {
	tpl, err := s.Store.Templates.FindSMSTemplate(ctx, outcome)
	if beifen.ErrorCode(err) == beifen.ENOTFOUND || beifen.ErrorCode(err) == beifen.EINVALID {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	leads, _, err := s.Store.Leads.FindLeads(ctx, beifen.LeadFilter{ID: &leadID})
	if err != nil || len(leads) == 0 {
		return nil, err
	}
	l := leads[0]
	if dnc, err := s.Store.DNC.FindDNC(ctx, [][]byte{l.PhoneHash}); err != nil || len(dnc) > 0 {
		return nil, err // opted out: no more texts
	}
	if err := t.openLead(l); err != nil {
		return nil, err
	}
	return &outgoingText{to: l.Phone, body: tpl.Render(l.Name, beifen.UserFromContext(ctx).Name)}, nil
}

type outgoingText struct{ to, body string }

// HandleReply takes a text a customer sent back (through the gateway's webhook, or entered by
// staff). An opt-out (TD, T, N, 退订) puts the number on the team's do-not-call list at once: no
// more texts, no more dialing. It reports whether the reply was an opt-out.
func (s *Service) HandleReply(ctx context.Context, from, body string) (bool, error) {
	t, err := s.teamOf(ctx)
	if err != nil {
		return false, err
	}
	e164, err := phonenumber.Normalize(from)
	if err != nil {
		return false, err
	}
	if !beifen.IsOptOut(body) {
		return false, nil
	}
	if err := s.Store.DNC.AddDNC(ctx, [][]byte{t.phoneHash(e164)}); err != nil {
		return false, err
	}
	s.Logger.InfoContext(ctx, "opt-out recorded", "team_id", t.id)
	return true, nil
}
