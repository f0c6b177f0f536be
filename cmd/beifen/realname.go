package main

import (
	"github.com/beifen/beifen"
	"github.com/beifen/beifen/auth"
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
	m.Auth.RealNameProvider = m.addThirdParty("realname", m.Config.RealNameProvider, "Real-name verification service")
	m.Auth.RealName = &realname.Logged{
		RealNameVerifier: &realname.HTTP{URL: m.Config.RealNameURL, Token: m.Config.RealNameToken},
		Log:              m.logTransferTo("realname", (*auth.Service).PhoneHash),
	}
	return nil
}
