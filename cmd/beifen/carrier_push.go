package main

import (
	"context"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/carrier"
	beifenhttp "github.com/beifen/beifen/http"
	"github.com/beifen/beifen/push"
)

// wireCarrier sets up carrier one-click sign-in (clause 1.1.1f). A configured token exchange is
// registered as a third party, and every exchange is logged as a transfer of the number it
// yields (a refused token yields none; it is logged under the hash of no number).
func (m *Main) wireCarrier() {
	if m.Config.CarrierURL == "" {
		m.Auth.Carrier = carrier.None{}
		return
	}
	name := m.Config.CarrierProvider
	if name == "" {
		name = "Carrier one-click sign-in"
	}
	m.thirdParties = append(m.thirdParties, beifenhttp.ThirdParty{ID: "carrier", Name: name,
		PurposeKey: "tp.carrier.purpose", DataKey: "tp.carrier.data"})
	m.Auth.Carrier = &carrier.Logged{
		CarrierVerifier: &carrier.HTTP{URL: m.Config.CarrierURL, Token: m.Config.CarrierToken},
		Log: func(ctx context.Context, phone string) error {
			return m.Store.Transfers.LogTransfer(ctx, &beifen.Transfer{Party: "carrier", PhoneHash: m.Auth.PhoneHash(phone)})
		},
	}
}

// wirePush sets up push through the phone makers' services (clause 3.1.2e). A configured service
// is registered as a third party; auth.Service.PushTo logs every push as a transfer.
func (m *Main) wirePush() {
	if m.Config.PushURL == "" {
		m.Auth.Push, m.Auth.PushParty = push.None{}, ""
		return
	}
	name := m.Config.PushProvider
	if name == "" {
		name = "Push service"
	}
	m.thirdParties = append(m.thirdParties, beifenhttp.ThirdParty{ID: "push", Name: name,
		PurposeKey: "tp.push.purpose", DataKey: "tp.push.data"})
	m.Auth.Push = &push.HTTP{URL: m.Config.PushURL, Token: m.Config.PushToken}
	m.Auth.PushParty = "push"
}
