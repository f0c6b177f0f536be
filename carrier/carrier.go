// Package carrier holds the carrier one-click sign-in verifiers (clause 1.1.1f): None, the
// default, which verifies nothing, and HTTP, the adapter for a carrier's or an aggregator's token
// exchange API. Logged records every exchange as an outbound transfer of personal data.
package carrier

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/internal/provider"
	"github.com/beifen/beifen/phonenumber"
)

// None is the verifier of a server without one-click sign-in: it refuses, and sends nothing.
type None struct{}

var _ beifen.CarrierVerifier = None{}

// VerifyToken returns EFORBIDDEN.
func (None) VerifyToken(ctx context.Context, token string) (string, error) {
	return "", beifen.Errorf(beifen.EFORBIDDEN, "One-click sign-in is not available on this server: sign in with a texted code or your password.")
}

// HTTP exchanges a token over HTTP: a POST of {"token": ...} as JSON with the service's token as
// a bearer token, answered with {"phone": number}. Another 4xx than 401 or 403 (which refuse the
// server's own credentials) means the carrier refused the user's token. This is the shape of the one-click login gateways in front of the three carriers' APIs.
type HTTP struct {
	URL    string
	Token  string
	Client *http.Client // default: 10 s timeout
}

var _ beifen.CarrierVerifier = (*HTTP)(nil)

// VerifyToken posts the token to the service and returns the number it answers, in E.164 form.
func (h *HTTP) VerifyToken(ctx context.Context, token string) (string, error) {
	resp, err := provider.Post(ctx, h.Client, h.URL, h.Token, "carrier service", map[string]string{"token": token})
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	return readAnswer(resp)
}

func readAnswer(resp *http.Response) (string, error) {
	body := io.LimitReader(resp.Body, 4096)
	switch {
	case resp.StatusCode/100 == 4 && resp.StatusCode != 401 && resp.StatusCode != 403:
		io.Copy(io.Discard, body)
		return "", beifen.Errorf(beifen.EUNAUTHORIZED, "Your carrier did not confirm this phone's number: sign in with a texted code instead.")
	case resp.StatusCode/100 != 2:
		io.Copy(io.Discard, body)
		return "", fmt.Errorf("carrier service: HTTP %d", resp.StatusCode)
	}
	var answer struct {
		Phone string `json:"phone"`
	}
	if err := json.NewDecoder(body).Decode(&answer); err != nil || answer.Phone == "" {
		return "", fmt.Errorf("carrier service: unreadable answer")
	}
	e164, err := phonenumber.Normalize(answer.Phone)
	if err != nil {
		return "", fmt.Errorf("carrier service: answer is not a phone number")
	}
	return e164, nil
}

// Logged records every exchange it hands to a third party as a transfer: the token, which
// stands for the number, goes out and the number comes back. Log gets that number, or "" when
// the carrier named none.
type Logged struct {
	beifen.CarrierVerifier
	Log func(ctx context.Context, phone string) error
}

// VerifyToken asks, then logs the transfer whatever the answer.
func (l *Logged) VerifyToken(ctx context.Context, token string) (string, error) {
	e164, err := l.CarrierVerifier.VerifyToken(ctx, token)
	if lerr := l.Log(ctx, e164); lerr != nil {
		return "", lerr
	}
	return e164, err
}
