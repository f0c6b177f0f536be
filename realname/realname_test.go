package realname_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/realname"
)

// TestHTTP runs the adapter against a verification service the test starts: the request carries
// the three elements and the token; the answer decides; a failing service is an internal error.
func TestHTTP(t *testing.T) {
	var got map[string]string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "POST" || r.Header.Get("Authorization") != "Bearer tok" || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		json.NewDecoder(r.Body).Decode(&got)
		switch got["name"] {
		case "张三":
			w.Write([]byte(`{"match":true}`))
		case "李四":
			w.Write([]byte(`{"match":false}`))
		case "坏":
			http.Error(w, "down", http.StatusBadGateway)
		default:
			w.Write([]byte(`{}`))
		}
	}))
	defer srv.Close()
	h := &realname.HTTP{URL: srv.URL, Token: "tok"}
	ctx := context.Background()
	for _, tt := range []struct {
		name, code, msg string
	}{
		{"张三", "", ""},
		{"李四", beifen.EINVALID, "The name, ID number and phone number do not match the operator's records."},
		{"坏", beifen.EINTERNAL, "Internal error."},
		{"无答复", beifen.EINTERNAL, "Internal error."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := h.VerifyRealName(ctx, tt.name, "11010519491231002X", "+8613800138000")
			if beifen.ErrorCode(err) != tt.code || beifen.ErrorMessage(err) != tt.msg {
				t.Fatalf("VerifyRealName=%v, want %s %q", err, tt.code, tt.msg)
			}
			if got["id_number"] != "11010519491231002X" || got["phone"] != "+8613800138000" {
				t.Fatalf("service got %v", got)
			}
		})
	}
	bad := &realname.HTTP{URL: srv.URL, Token: "wrong"}
	if err := bad.VerifyRealName(ctx, "张三", "x", "y"); beifen.ErrorCode(err) != beifen.EINTERNAL {
		t.Fatalf("a refused token: %v", err)
	}
}

// TestLogged: the transfer is logged before the provider is asked, and a failed log stops it.
func TestLogged(t *testing.T) {
	var order []string
	l := &realname.Logged{
		RealNameVerifier: verifierFunc(func() error { order = append(order, "verify"); return nil }),
		Log:              func(ctx context.Context, phone string) error { order = append(order, "log "+phone); return nil },
	}
	if err := l.VerifyRealName(context.Background(), "张三", "id", "+86138"); err != nil || len(order) != 2 || order[0] != "log +86138" {
		t.Fatalf("order=%v, err=%v", order, err)
	}
	err := realname.None{}.VerifyRealName(context.Background(), "张三", "id", "+86138")
	if beifen.ErrorCode(err) != beifen.EFORBIDDEN || beifen.ErrorMessage(err) != "Real-name verification is not configured on this server." {
		t.Fatalf("None=%v", err)
	}
}

type verifierFunc func() error

func (f verifierFunc) VerifyRealName(ctx context.Context, name, idNumber, phone string) error {
	return f()
}
