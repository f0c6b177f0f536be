package sms

import (
	"context"
	"net/http"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/internal/provider"
)

// HTTP hands each message to an SMS gateway over HTTP: a POST of {"to": E.164, "body": text}
// as JSON, with the gateway's token as a bearer token; any 2xx is success. This is the shape of
// the self-hosted gateways and relay services teams put in front of their carrier.
type HTTP struct {
	URL    string
	Token  string
	Client *http.Client // default: 10 s timeout
}

var _ beifen.SMSSender = (*HTTP)(nil)

// SendSMS posts one message to the gateway.
func (h *HTTP) SendSMS(ctx context.Context, to, body string) error {
	return provider.Send(ctx, h.Client, h.URL, h.Token, "sms gateway", map[string]string{"to": to, "body": body})
}

// Logged records every message a sender hands to a third party, before it goes.
type Logged struct {
	beifen.SMSSender
	Log func(ctx context.Context, to string) error
}

// SendSMS logs the transfer, then sends.
func (l *Logged) SendSMS(ctx context.Context, to, body string) error {
	if err := l.Log(ctx, to); err != nil {
		return err
	}
	return l.SMSSender.SendSMS(ctx, to, body)
}
