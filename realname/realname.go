// Package realname holds the real-name verification providers (clause 1.1.2): None, the default,
// which verifies nobody, and HTTP, the adapter for a licensed operator's verification service.
// Logged records every call as an outbound transfer of personal data before it goes.
package realname

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/internal/provider"
)

// None is the provider of a server with no verification service configured: it refuses.
type None struct{}

var _ beifen.RealNameVerifier = None{}

// VerifyRealName returns EFORBIDDEN: nothing is sent anywhere.
func (None) VerifyRealName(ctx context.Context, name, idNumber, phone string) error {
	return beifen.Errorf(beifen.EFORBIDDEN, "Real-name verification is not configured on this server.")
}

// HTTP asks a verification service over HTTP: a POST of {"name", "id_number", "phone"} as JSON
// with the service's token as a bearer token, answered with {"match": true|false}. This is the
// shape of the three-element (三要素) checks licensed operators and their resellers offer.
type HTTP struct {
	URL    string
	Token  string
	Client *http.Client // default: 10 s timeout
}

var _ beifen.RealNameVerifier = (*HTTP)(nil)

// VerifyRealName posts one check to the service.
func (h *HTTP) VerifyRealName(ctx context.Context, name, idNumber, phone string) error {
	resp, err := provider.Post(ctx, h.Client, h.URL, h.Token, "realname service",
		map[string]string{"name": name, "id_number": idNumber, "phone": phone})
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		return fmt.Errorf("realname service: HTTP %d", resp.StatusCode)
	}
	var answer struct {
		Match *bool `json:"match"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 4096)).Decode(&answer); err != nil || answer.Match == nil {
		return fmt.Errorf("realname service: unreadable answer")
	}
	if !*answer.Match {
		return beifen.Errorf(beifen.EINVALID, "The name, ID number and phone number do not match the operator's records.")
	}
	return nil
}

// Logged records every check it hands to a third party, before it goes.
type Logged struct {
	beifen.RealNameVerifier
	Log func(ctx context.Context, phone string) error
}

// VerifyRealName logs the transfer, then asks.
func (l *Logged) VerifyRealName(ctx context.Context, name, idNumber, phone string) error {
	if err := l.Log(ctx, phone); err != nil {
		return err
	}
	return l.RealNameVerifier.VerifyRealName(ctx, name, idNumber, phone)
}
