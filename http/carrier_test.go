package http_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/beifen/beifen"
	beifenhttp "github.com/beifen/beifen/http"
)

// carrierStub is a CarrierSignIn that records what it was given.
type carrierStub struct {
	token, kind string
	consent     bool
}

func (c *carrierStub) SignInWithCarrier(ctx context.Context, token string, consent bool, kind string) (*beifen.User, string, error) {
	c.token, c.consent, c.kind = token, consent, kind
	if !consent {
		return nil, "", beifen.Errorf(beifen.EINVALID, "Consent required.")
	}
	return Alice, "tok-new", nil
}

// TestAuthCarrier: the consent is passed on as sent (missing is false), a session sets the
// cookie, and a server without one-click sign-in says so.
func TestAuthCarrier(t *testing.T) {
	s := MustOpenServer(t)
	resp, body := s.Do(t, Request{Method: "POST", Path: "/api/v1/auth/carrier", Body: strings.NewReader(`{"token":"t1","consent":true}`)})
	AssertError(t, resp, body, http.StatusForbidden, beifen.EFORBIDDEN, "One-click sign-in is not available on this server: sign in with a texted code or your password.")

	stub := &carrierStub{}
	s.Carrier = stub
	resp, body = s.Do(t, Request{Method: "POST", Path: "/api/v1/auth/carrier", Body: strings.NewReader(`{"token":"t1"}`)})
	AssertError(t, resp, body, http.StatusBadRequest, beifen.EINVALID, "Consent required.")
	if stub.token != "t1" || stub.consent {
		t.Fatalf("service got %+v, want token t1 without consent", stub)
	}
	resp, body = s.Do(t, Request{Method: "POST", Path: "/api/v1/auth/carrier", Body: strings.NewReader(`{"token":"t1","consent":true,"kind":"session"}`)})
	if resp.StatusCode != 200 || !stub.consent || stub.kind != "session" || findCookie(resp, beifenhttp.SessionCookie) == nil {
		t.Fatalf("one-click: %d %s, service got %+v, want a session cookie", resp.StatusCode, body, stub)
	}
}

// pushStub is a PushRegistry that records the session a token was registered for.
type pushStub struct{ session, maker, token string }

func (p *pushStub) RegisterPush(ctx context.Context, session, maker, token string) (*beifen.PushDevice, error) {
	p.session, p.maker, p.token = session, maker, token
	return &beifen.PushDevice{ID: 7, Maker: maker, Token: token, Sealed: []byte("sealed")}, nil
}

func (p *pushStub) PushDevices(ctx context.Context) ([]*beifen.PushDevice, error) {
	return []*beifen.PushDevice{{ID: 7, Maker: "vivo", Token: "secret-token"}}, nil
}

// TestPushRegister: the token is tied to the request's own credentials and never sent back.
func TestPushRegister(t *testing.T) {
	s := MustOpenServer(t)
	stub := &pushStub{}
	s.Pushes = stub
	resp, body := s.Do(t, Request{Method: "PUT", Path: "/api/v1/me/devices/push", Token: Token, Body: strings.NewReader(`{"maker":"vivo","token":"secret-token"}`)})
	if resp.StatusCode != 200 || stub.session != Token || stub.maker != "vivo" || stub.token != "secret-token" {
		t.Fatalf("register: %d %s, service got %+v", resp.StatusCode, body, stub)
	}
	_, list := s.Do(t, Request{Method: "GET", Path: "/api/v1/me/devices/push", Token: Token})
	for _, b := range [][]byte{body, list} {
		if strings.Contains(string(b), "secret-token") || strings.Contains(string(b), "sealed") {
			t.Fatalf("response %s holds the push token", b)
		}
	}
}
