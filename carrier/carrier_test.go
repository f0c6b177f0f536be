package carrier_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/carrier"
)

// fakeCarrier is a one-click token exchange the test runs: "good" is the SIM of 13800138000,
// "spent" a refused token, "down" a failing service, "odd" an answer that is no number.
func fakeCarrier(t *testing.T, got *[]string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "POST" || r.Header.Get("Authorization") != "Bearer svc" || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		var req map[string]string
		json.NewDecoder(r.Body).Decode(&req)
		*got = append(*got, req["token"])
		switch req["token"] {
		case "good":
			w.Write([]byte(`{"phone":"13800138000"}`))
		case "spent":
			http.Error(w, `{"error":"token expired"}`, http.StatusUnprocessableEntity)
		case "down":
			http.Error(w, "down", http.StatusBadGateway)
		default:
			w.Write([]byte(`{"phone":"not a number"}`))
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestHTTP runs the adapter against a token exchange the test starts: the request carries the
// token and the service's credentials; the number comes back in E.164; a refused token is the
// user's error, a failing or refusing service an internal one.
func TestHTTP(t *testing.T) {
	var got []string
	srv := fakeCarrier(t, &got)
	h := &carrier.HTTP{URL: srv.URL, Token: "svc"}
	ctx := context.Background()
	for _, tt := range []struct {
		token, want, code, msg string
	}{
		{"good", "+8613800138000", "", ""},
		{"spent", "", beifen.EUNAUTHORIZED, "Your carrier did not confirm this phone's number: sign in with a texted code instead."},
		{"down", "", beifen.EINTERNAL, "Internal error."},
		{"odd", "", beifen.EINTERNAL, "Internal error."},
	} {
		t.Run(tt.token, func(t *testing.T) {
			e164, err := h.VerifyToken(ctx, tt.token)
			if e164 != tt.want || beifen.ErrorCode(err) != tt.code || beifen.ErrorMessage(err) != tt.msg {
				t.Fatalf("VerifyToken=%q, %v, want %q, %s %q", e164, err, tt.want, tt.code, tt.msg)
			}
			if got[len(got)-1] != tt.token {
				t.Fatalf("service got %v, want the token %q", got, tt.token)
			}
		})
	}
	bad := &carrier.HTTP{URL: srv.URL, Token: "wrong"}
	if _, err := bad.VerifyToken(ctx, "good"); beifen.ErrorCode(err) != beifen.EINTERNAL {
		t.Fatalf("the server's credentials refused: %v, want an internal error", err)
	}
}

// TestNone: without a service nothing is verified and the user is told to use another way.
func TestNone(t *testing.T) {
	_, err := carrier.None{}.VerifyToken(context.Background(), "good")
	if beifen.ErrorCode(err) != beifen.EFORBIDDEN {
		t.Fatalf("VerifyToken=%v, want EFORBIDDEN", err)
	}
}

// TestLogged: every exchange is logged, a refused one without a number.
func TestLogged(t *testing.T) {
	var got []string
	srv := fakeCarrier(t, &got)
	var logged []string
	l := &carrier.Logged{CarrierVerifier: &carrier.HTTP{URL: srv.URL, Token: "svc"},
		Log: func(ctx context.Context, phone string) error { logged = append(logged, phone); return nil }}
	l.VerifyToken(context.Background(), "good")
	l.VerifyToken(context.Background(), "spent")
	if len(logged) != 2 || logged[0] != "+8613800138000" || logged[1] != "" {
		t.Fatalf("logged=%q, want the number, then nobody", logged)
	}
}
