// Package push holds the push providers (clause 3.1.2e): None, the default, which sends nothing,
// and HTTP, the adapter for a push service in front of the phone makers' own (Huawei, Honor,
// Xiaomi, OPPO, vivo, Meizu), as the aggregators offer.
package push

import (
	"context"
	"net/http"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/internal/provider"
)

// None is the provider of a server without push: it refuses, and sends nothing.
type None struct{}

var _ beifen.PushSender = None{}

// SendPush returns EFORBIDDEN.
func (None) SendPush(ctx context.Context, maker, token, title, body string) error {
	return beifen.Errorf(beifen.EFORBIDDEN, "Push notifications are not configured on this server.")
}

// HTTP hands each notification to a push service over HTTP: a POST of {"maker", "token",
// "title", "body"} as JSON, with the service's token as a bearer token; any 2xx is success.
type HTTP struct {
	URL    string
	Token  string
	Client *http.Client // default: 10 s timeout
}

var _ beifen.PushSender = (*HTTP)(nil)

// SendPush posts one notification to the service.
func (h *HTTP) SendPush(ctx context.Context, maker, token, title, body string) error {
	return provider.Send(ctx, h.Client, h.URL, h.Token, "push service", map[string]string{"maker": maker, "token": token, "title": title, "body": body})
}
