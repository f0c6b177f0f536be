package push_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/push"
)

// TestHTTP runs the adapter against a push service the test starts: the request carries the
// maker, the device token, the title and the text, with the service's credentials; a failing
// service is an error.
func TestHTTP(t *testing.T) {
	var got map[string]string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "POST" || r.Header.Get("Authorization") != "Bearer svc" || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		json.NewDecoder(r.Body).Decode(&got)
		if got["token"] == "gone" {
			http.Error(w, "unregistered", http.StatusGone)
		}
	}))
	defer srv.Close()
	h := &push.HTTP{URL: srv.URL, Token: "svc"}
	ctx := context.Background()
	if err := h.SendPush(ctx, "xiaomi", "dev-1", "系统维护", "今晚维护"); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"maker": "xiaomi", "token": "dev-1", "title": "系统维护", "body": "今晚维护"}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("service got %v, want %v", got, want)
		}
	}
	if err := h.SendPush(ctx, "xiaomi", "gone", "t", "b"); err == nil {
		t.Fatal("an unregistered token: no error")
	}
	bad := &push.HTTP{URL: srv.URL, Token: "wrong"}
	if err := bad.SendPush(ctx, "xiaomi", "dev-1", "t", "b"); beifen.ErrorCode(err) != beifen.EINTERNAL {
		t.Fatalf("refused credentials: %v, want an internal error", err)
	}
}

// TestNone: without a service nothing is sent.
func TestNone(t *testing.T) {
	if err := (push.None{}).SendPush(context.Background(), "huawei", "t", "a", "b"); beifen.ErrorCode(err) != beifen.EFORBIDDEN {
		t.Fatalf("SendPush=%v, want EFORBIDDEN", err)
	}
}
