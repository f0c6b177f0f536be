// Package pay holds the payment providers (clause 3.1.2d): None, the default, which takes no
// payment, and HTTP, the adapter for a payment aggregator (a third-party payment institution).
// The payer enters card or bank details on the aggregator's page only; beifen sends the order's
// ID, plan and amount, and keeps the aggregator's reference.
package pay

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/internal/provider"
)

// None is the provider of a server without payments: it refuses.
type None struct{}

var _ beifen.PaymentProvider = None{}

// CreateCheckout returns EFORBIDDEN.
func (None) CreateCheckout(ctx context.Context, o *beifen.Order) (string, string, error) {
	return "", "", errOff
}

// VerifyNotification returns EFORBIDDEN.
func (None) VerifyNotification(r *http.Request) (*beifen.PaymentEvent, error) { return nil, errOff }

var errOff = beifen.Errorf(beifen.EFORBIDDEN, "Payments are not configured on this server; plans cannot be upgraded.")

// SignatureHeader carries the hex HMAC-SHA256 of a notification's body under the shared secret.
const SignatureHeader = "X-Beifen-Signature"

// HTTP opens checkouts at an aggregator: a POST of {"order_id", "plan", "amount_fen",
// "notify_url"} as JSON with the aggregator's token as a bearer token, answered by
// {"pay_url", "ref"}. The aggregator's notifications are signed with Secret.
type HTTP struct {
	URL       string
	Token     string
	Secret    string
	NotifyURL string       // where the aggregator posts the outcome; "" leaves it to its settings
	Client    *http.Client // default: 10 s timeout
}

var _ beifen.PaymentProvider = (*HTTP)(nil)

// CreateCheckout opens the payment of o and returns the aggregator's page and reference.
func (h *HTTP) CreateCheckout(ctx context.Context, o *beifen.Order) (string, string, error) {
	resp, err := provider.Post(ctx, h.Client, h.URL, h.Token, "payment provider", map[string]any{
		"order_id": strconv.FormatInt(o.ID, 10), "plan": o.Plan, "amount_fen": o.AmountFen, "notify_url": h.NotifyURL})
	if err != nil {
		return "", "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return "", "", fmt.Errorf("payment provider: HTTP %d", resp.StatusCode)
	}
	var ans struct {
		PayURL string `json:"pay_url"`
		Ref    string `json:"ref"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, provider.MaxAnswer)).Decode(&ans); err != nil {
		return "", "", fmt.Errorf("payment provider: %w", err)
	}
	if ans.PayURL == "" || ans.Ref == "" {
		return "", "", fmt.Errorf("payment provider: no pay URL or reference")
	}
	return ans.PayURL, ans.Ref, nil
}

// Notification is the body of the aggregator's callback. Other fields it may send (a masked
// card number, the payer's bank) are not read.
type Notification struct {
	OrderID   string `json:"order_id"`
	Ref       string `json:"ref"`
	AmountFen int64  `json:"amount_fen"`
	Status    string `json:"status"` // "paid" when the payment succeeded
}

// VerifyNotification checks the callback's signature in constant time before reading it.
func (h *HTTP) VerifyNotification(r *http.Request) (*beifen.PaymentEvent, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		return nil, beifen.Errorf(beifen.EINVALID, "Unreadable notification.")
	}
	if !Verify(h.Secret, body, r.Header.Get(SignatureHeader)) {
		return nil, beifen.Errorf(beifen.EUNAUTHORIZED, "Invalid signature.")
	}
	var n Notification
	if err := json.Unmarshal(body, &n); err != nil {
		return nil, beifen.Errorf(beifen.EINVALID, "Unreadable notification.")
	}
	id, err := strconv.ParseInt(n.OrderID, 10, 64)
	if err != nil {
		return nil, beifen.Errorf(beifen.EINVALID, "Unreadable notification.")
	}
	return &beifen.PaymentEvent{OrderID: id, ProviderRef: n.Ref, AmountFen: n.AmountFen, Paid: n.Status == "paid"}, nil
}

// Sign returns the hex HMAC-SHA256 of body under secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// Verify reports, in constant time, whether sig is body's signature under secret. An empty
// secret verifies nothing.
func Verify(secret string, body []byte, sig string) bool {
	want, err := hex.DecodeString(sig)
	if secret == "" || err != nil {
		return false
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hmac.Equal(m.Sum(nil), want)
}
