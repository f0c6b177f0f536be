package sms

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/beifen/beifen"
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
	b, _ := json.Marshal(map[string]string{"to": to, "body": body})
	req, err := http.NewRequestWithContext(ctx, "POST", h.URL, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if h.Token != "" {
		req.Header.Set("Authorization", "Bearer "+h.Token)
	}
	client := h.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("sms gateway: %w", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("sms gateway: HTTP %d", resp.StatusCode)
	}
	return nil
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
