package main

import (
	"context"
	"strings"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/pay"
)

// wirePay sets up the payment of team plans (clause 3.1.2d). A configured aggregator is
// registered as a third party, every checkout is logged as a transfer of the team admin's
// account reference, and plan quotas are enforced; without one, payments are off.
func (m *Main) wirePay() {
	if m.Config.PayURL == "" {
		m.CRM.Payments, m.CRM.PayParty = pay.None{}, ""
		return
	}
	m.addThirdParty("pay", m.Config.PayProvider, "Payment provider")
	h := &pay.HTTP{URL: m.Config.PayURL, Token: m.Config.PayToken, Secret: m.Config.PaySecret}
	if m.Config.PublicURL != "" {
		h.NotifyURL = strings.TrimSuffix(m.Config.PublicURL, "/") + "/api/v1/payments/notify"
	}
	m.CRM.Payments, m.CRM.PayParty = h, "pay"
	m.CRM.LogCheckout = func(ctx context.Context, admin *beifen.User) error {
		return m.Store.Transfers.LogTransfer(ctx, &beifen.Transfer{Party: m.CRM.PayParty, PhoneHash: admin.PhoneHash})
	}
	m.Auth.PlanQuotas = true
}
