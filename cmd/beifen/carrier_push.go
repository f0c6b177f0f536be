package main

import (
	"github.com/beifen/beifen/auth"
	"github.com/beifen/beifen/carrier"
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
	m.addThirdParty("carrier", m.Config.CarrierProvider, "Carrier one-click sign-in")
	m.Auth.Carrier = &carrier.Logged{
		CarrierVerifier: &carrier.HTTP{URL: m.Config.CarrierURL, Token: m.Config.CarrierToken},
		Log:             m.logTransferTo("carrier", (*auth.Service).PhoneHash),
	}
}

// wirePush sets up push through the phone makers' services (clause 3.1.2e). A configured service
// is registered as a third party; auth.Service.PushTo logs every push as a transfer.
func (m *Main) wirePush() {
	if m.Config.PushURL == "" {
		m.Auth.Push, m.Auth.PushParty = push.None{}, ""
		return
	}
	m.addThirdParty("push", m.Config.PushProvider, "Push service")
	m.Auth.Push = &push.HTTP{URL: m.Config.PushURL, Token: m.Config.PushToken}
	m.Auth.PushParty = "push"
}
