package crm

import (
	"context"
	"net/http"

	"github.com/beifen/beifen"
)

// Team plans and their payment (clause 3.1.2d). Only a team's admins see or change its plan; the
// payment itself happens at the provider, which beifen tells only the order.

// errPaymentsOff refuses an upgrade on a server without a payment provider.
var errPaymentsOff = beifen.Errorf(beifen.EFORBIDDEN, "Payments are not configured on this server; plans cannot be upgraded.")

// TeamPlan returns the admin's team's plan and what it uses. Returns EFORBIDDEN for others.
func (s *Service) TeamPlan(ctx context.Context) (*beifen.TeamPlan, error) {
	t, err := s.teamOf(ctx, beifen.RoleAdmin)
	if err != nil {
		return nil, err
	}
	return s.Store.Plans.FindTeamPlan(ctx, t.id)
}

// Upgrade stores a pending order for planID and opens its checkout at the payment provider,
// returning the order and the provider's page to send the admin to. Only the admin's account
// reference goes to the provider's transfer log; card data never passes through beifen.
// Returns EFORBIDDEN when payments are off, EINVALID for an unknown or free plan.
func (s *Service) Upgrade(ctx context.Context, planID string) (*beifen.Order, string, error) {
	t, err := s.teamOf(ctx, beifen.RoleAdmin)
	if err != nil {
		return nil, "", err
	}
	p, err := beifen.FindPlan(planID)
	if err != nil {
		return nil, "", err
	}
	if p.PriceFen == 0 {
		return nil, "", beifen.Errorf(beifen.EINVALID, "The free plan needs no payment.")
	}
	if s.PayParty == "" {
		return nil, "", errPaymentsOff
	}
	u := beifen.UserFromContext(ctx)
	o := &beifen.Order{TeamID: t.id, UserID: u.ID, Plan: p.ID, AmountFen: p.PriceFen}
	if err := s.Store.Plans.CreateOrder(ctx, o); err != nil {
		return nil, "", err
	}
	if s.LogCheckout != nil {
		if err := s.LogCheckout(ctx, u); err != nil {
			return nil, "", err
		}
	}
	payURL, ref, err := s.Payments.CreateCheckout(ctx, o)
	if err != nil {
		return nil, "", err
	}
	if err := s.Store.Plans.SetOrderRef(ctx, o.ID, ref); err != nil {
		return nil, "", err
	}
	o.ProviderRef = ref
	s.Logger.InfoContext(ctx, "checkout created", "team_id", t.id, "order_id", o.ID)
	return o, payURL, nil
}

// Orders returns the admin's team's orders, newest first.
func (s *Service) Orders(ctx context.Context) ([]*beifen.Order, error) {
	t, err := s.teamOf(ctx, beifen.RoleAdmin)
	if err != nil {
		return nil, err
	}
	return s.Store.Plans.FindOrders(ctx, t.id)
}

// Order returns one of the admin's team's orders; another team's is ENOTFOUND.
func (s *Service) Order(ctx context.Context, id int64) (*beifen.Order, error) {
	t, err := s.teamOf(ctx, beifen.RoleAdmin)
	if err != nil {
		return nil, err
	}
	return s.Store.Plans.FindOrderByID(ctx, t.id, id)
}

// PaymentNotified applies the provider's signed callback: a paid order moves its team to the
// order's plan, once (a replay changes nothing), and only for the order's own amount.
func (s *Service) PaymentNotified(r *http.Request) error {
	if s.PayParty == "" {
		return errPaymentsOff
	}
	ev, err := s.Payments.VerifyNotification(r)
	if err != nil {
		return err
	}
	if !ev.Paid {
		s.Logger.InfoContext(r.Context(), "payment not completed", "order_id", ev.OrderID)
		return nil
	}
	o, changed, err := s.Store.Plans.PayOrder(r.Context(), ev.OrderID, ev.AmountFen)
	if err != nil {
		return err
	}
	s.Logger.InfoContext(r.Context(), "order paid", "order_id", o.ID, "team_id", o.TeamID, "changed", changed)
	return nil
}

// customerRoom returns how many more customers the team's plan lets it hold (-1: no limit), or
// EFORBIDDEN if it is full. A server that sells no plans (no payment provider) has no quotas.
func (s *Service) customerRoom(ctx context.Context, teamID int64) (int, error) {
	if s.PayParty == "" {
		return -1, nil
	}
	tp, err := s.Store.Plans.FindTeamPlan(ctx, teamID)
	if err != nil {
		return 0, err
	}
	if err := tp.CheckCustomers(s.now(), 1); err != nil {
		return 0, err
	}
	if p := tp.Current(s.now()); p.Customers > 0 {
		return p.Customers - tp.Customers, nil
	}
	return -1, nil
}

// checkRecordingRoom returns EFORBIDDEN if a recording of size bytes would exceed the team's
// plan, when plans are sold.
func (s *Service) checkRecordingRoom(ctx context.Context, teamID, size int64) error {
	if s.PayParty == "" {
		return nil
	}
	tp, err := s.Store.Plans.FindTeamPlan(ctx, teamID)
	if err != nil {
		return err
	}
	return tp.CheckRecording(s.now(), size)
}
