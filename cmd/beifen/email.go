package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"sort"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/auth"
	"github.com/beifen/beifen/smtp"
)

// wireEmail sets up the e-mail channel (clause 1.1.3) when a mail server is configured: the
// sender, registered as a third party with every message it is handed logged as a transfer of
// the recipient's address as a keyed hash (clause 3.1.1), the account addresses that use it, and
// the unsubscribe links of marketing mail. Without one there is no e-mail channel. Unsubscribe
// links work either way: mail sent before it was turned off still carries them.
func (m *Main) wireEmail() error {
	m.Support.BaseURL = m.publicURL
	m.Support.Withdraw = m.Privacy.WithdrawBy
	if m.Config.SMTPURL == "" {
		return nil
	}
	from := m.Config.SMTPFrom
	if from == "" {
		return fmt.Errorf("BEIFEN_SMTP_FROM is required with BEIFEN_SMTP_URL")
	}
	sender, err := smtp.NewSender(m.Config.SMTPURL, from)
	if err != nil {
		return err
	}
	if m.Config.SMTPCAFile != "" {
		pem, err := os.ReadFile(m.Config.SMTPCAFile)
		if err != nil {
			return fmt.Errorf("mail server CA: %w", err)
		}
		pool, _ := x509.SystemCertPool()
		if pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return fmt.Errorf("mail server CA %s: no PEM certificate", m.Config.SMTPCAFile)
		}
		sender.TLSConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	m.addThirdParty("email", m.Config.SMTPProvider, "E-mail server")
	mail := &smtp.Logged{EmailSender: sender, Log: m.logTransferTo("email", (*auth.Service).EmailHash)}
	m.Auth.Mail, m.Support.Mail = mail, mail
	return nil
}

// publicURL is where users reach the server, for links in e-mail.
func (m *Main) publicURL() string {
	if m.Config.PublicURL != "" || m.HTTPServer == nil {
		return m.Config.PublicURL
	}
	return m.HTTPServer.URL()
}

// MyTransfers returns the signed-in user's transfers to third parties, newest first: those of
// their number and of their e-mail addresses.
func (m *Main) MyTransfers(ctx context.Context) ([]*beifen.Transfer, error) {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return nil, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	hashes := [][]byte{m.Auth.PhoneHash(u.Phone)}
	for _, addr := range []string{u.Email, u.EmailPending} {
		if addr != "" {
			hashes = append(hashes, m.Auth.EmailHash(addr))
		}
	}
	var all []*beifen.Transfer
	for _, h := range hashes {
		list, err := m.Store.Transfers.FindTransfers(ctx, h, 50)
		if err != nil {
			return nil, err
		}
		all = append(all, list...)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].At.After(all[j].At) })
	return all[:min(len(all), 50)], nil
}
