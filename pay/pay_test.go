package pay_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/pay"
)

// TestVerify: only the shared secret's signature of the very body verifies.
func TestVerify(t *testing.T) {
	body := []byte(`{"order_id":"1","amount_fen":19900,"status":"paid"}`)
	good := pay.Sign("s3cret", body)
	for _, tt := range []struct {
		name, secret, sig string
		body              []byte
		want              bool
	}{
		{"OK", "s3cret", good, body, true},
		{"WrongSecret", "other", good, body, false},
		{"ChangedBody", "s3cret", good, []byte(`{"order_id":"1","amount_fen":1,"status":"paid"}`), false},
		{"NoSignature", "s3cret", "", body, false},
		{"NotHex", "s3cret", "zz" + good[2:], body, false},
		{"Truncated", "s3cret", good[:32], body, false},
		{"NoSecret", "", pay.Sign("", body), body, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := pay.Verify(tt.secret, tt.body, tt.sig); got != tt.want {
				t.Fatalf("Verify=%v, want %v", got, tt.want)
			}
		})
	}
}

// TestHTTP runs the adapter against an aggregator the test starts, and reads its callbacks.
func TestHTTP(t *testing.T) {
	var got map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		json.NewDecoder(r.Body).Decode(&got)
		w.Write([]byte(`{"pay_url":"https://pay.example/c/9","ref":"agg-9"}`))
	}))
	defer srv.Close()
	h := &pay.HTTP{URL: srv.URL, Token: "tok", Secret: "s3cret"}
	u, ref, err := h.CreateCheckout(context.Background(), &beifen.Order{ID: 7, Plan: "pro", AmountFen: 59900})
	if err != nil || u != "https://pay.example/c/9" || ref != "agg-9" {
		t.Fatalf("CreateCheckout=%q, %q, %v", u, ref, err)
	}
	if got["order_id"] != "7" || got["amount_fen"] != float64(59900) || got["plan"] != "pro" {
		t.Fatalf("aggregator got %v", got)
	}
	if _, _, err := (&pay.HTTP{URL: srv.URL, Token: "bad"}).CreateCheckout(context.Background(), &beifen.Order{ID: 7}); err == nil {
		t.Fatal("refused credentials: no error")
	}

	body := `{"order_id":"7","ref":"agg-9","amount_fen":59900,"status":"paid","card":"6222****1234"}`
	r := httptest.NewRequest("POST", "/api/v1/payments/notify", strings.NewReader(body))
	r.Header.Set(pay.SignatureHeader, pay.Sign("s3cret", []byte(body)))
	ev, err := h.VerifyNotification(r)
	if err != nil || *ev != (beifen.PaymentEvent{OrderID: 7, ProviderRef: "agg-9", AmountFen: 59900, Paid: true}) {
		t.Fatalf("VerifyNotification=%+v, %v", ev, err)
	}
	r = httptest.NewRequest("POST", "/api/v1/payments/notify", strings.NewReader(body))
	r.Header.Set(pay.SignatureHeader, pay.Sign("forged", []byte(body)))
	if _, err := h.VerifyNotification(r); beifen.ErrorCode(err) != beifen.EUNAUTHORIZED {
		t.Fatalf("a forged signature: %v, want EUNAUTHORIZED", err)
	}
}

// TestNone: without a provider nothing can be paid.
func TestNone(t *testing.T) {
	if _, _, err := (pay.None{}).CreateCheckout(context.Background(), &beifen.Order{}); beifen.ErrorCode(err) != beifen.EFORBIDDEN {
		t.Fatalf("CreateCheckout=%v, want EFORBIDDEN", err)
	}
}
