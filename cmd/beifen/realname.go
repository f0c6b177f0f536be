package main

import (
	"context"

	"github.com/beifen/beifen"
	beifenhttp "github.com/beifen/beifen/http"
	"github.com/beifen/beifen/realname"
)

// wireRealName sets up real-name verification (clause 1.1.2): the features the operator requires
// it for, and the provider. A configured service is registered as a third party, and every check
// it is handed is logged first as a transfer of the user's number, name and ID number.
func (m *Main) wireRealName() error {
	features, err := beifen.ParseRealNameFeatures(m.Config.RealNameFor)
	if err != nil {
		return err
	}
	m.Auth.RealNameFor = features
	if m.Config.RealNameURL == "" {
		m.Auth.RealName = realname.None{}
		return nil
	}
	name := m.Config.RealNameProvider
	if name == "" {
		name = "Real-name verification service"
	}
	m.thirdParties = append(m.thirdParties, beifenhttp.ThirdParty{ID: "realname", Name: name,
		PurposeKey: "tp.realname.purpose", DataKey: "tp.realname.data"})
	m.Auth.RealNameProvider = name
	m.Auth.RealName = &realname.Logged{
		RealNameVerifier: &realname.HTTP{URL: m.Config.RealNameURL, Token: m.Config.RealNameToken},
		Log: func(ctx context.Context, phone string) error {
			return m.Store.Transfers.LogTransfer(ctx, &beifen.Transfer{Party: "realname", PhoneHash: m.Auth.PhoneHash(phone)})
		},
	}
	return nil
}
