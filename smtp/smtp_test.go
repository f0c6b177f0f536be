package smtp_test

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"io"
	"mime"
	"strings"
	"testing"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/smtp"
	"github.com/beifen/beifen/smtp/smtptest"
)

func mustSender(tb testing.TB, srv *smtptest.Server, url string) *smtp.Sender {
	tb.Helper()
	s, err := smtp.NewSender(url, "手机备份 <noreply@beifen.example>")
	if err != nil {
		tb.Fatal(err)
	}
	s.TLSConfig = &tls.Config{RootCAs: srv.RootCAs()}
	return s
}

// TestSender: a message reaches a real SMTP server over STARTTLS and over implicit TLS, signed
// in, with the envelope and the UTF-8 text intact.
func TestSender(t *testing.T) {
	for _, implicit := range []bool{false, true} {
		srv := smtptest.NewServer(t, implicit)
		s := mustSender(t, srv, srv.URL())
		m := &beifen.Email{To: "zhang@example.com", Subject: "【手机备份】维护通知", Body: "今晚 23:00 维护。"}
		if err := s.SendEmail(context.Background(), m); err != nil {
			t.Fatalf("implicit=%v: %v", implicit, err)
		}
		got := srv.Messages()
		if len(got) != 1 || got[0].From != "noreply@beifen.example" || len(got[0].To) != 1 || got[0].To[0] != "zhang@example.com" || !got[0].TLS {
			t.Fatalf("implicit=%v: received %+v", implicit, got)
		}
		msg := got[0].Parse(t)
		subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		body, _ := io.ReadAll(base64.NewDecoder(base64.StdEncoding, msg.Body))
		if subject != m.Subject || strings.TrimSpace(string(body)) != m.Body {
			t.Fatalf("implicit=%v: subject %q, body %q", implicit, subject, body)
		}
	}
}

// TestSender_Fails: a wrong password, an untrusted certificate and a bad URL are errors, and
// nothing is delivered.
func TestSender_Fails(t *testing.T) {
	srv := smtptest.NewServer(t, false)
	m := &beifen.Email{To: "zhang@example.com", Subject: "x", Body: "x"}
	wrong := mustSender(t, srv, strings.Replace(srv.URL(), srv.Password, "guess", 1))
	if err := wrong.SendEmail(context.Background(), m); err == nil {
		t.Error("sent with a wrong password")
	}
	untrusted := mustSender(t, srv, srv.URL())
	untrusted.TLSConfig = nil // the system's roots do not know the test certificate
	if err := untrusted.SendEmail(context.Background(), m); err == nil {
		t.Error("sent to a server whose certificate is not trusted")
	}
	// The server's refusal quotes the address; the error, which may be logged, masks it.
	err := mustSender(t, srv, srv.URL()).SendEmail(context.Background(), &beifen.Email{To: "unknown.user@Example.com", Subject: "x", Body: "x"})
	if err == nil || !strings.Contains(err.Error(), "550") || strings.Contains(strings.ToLower(err.Error()), "unknown.user") ||
		!strings.Contains(err.Error(), "u***@Example.com") {
		t.Errorf("refused recipient: %v", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages delivered", n)
	}
	for _, u := range []string{"http://example.com", "smtp://", "mail.example.com:587"} {
		if _, err := smtp.NewSender(u, "noreply@example.com"); err == nil {
			t.Errorf("NewSender(%q) accepted", u)
		}
	}
	if s, err := smtp.NewSender("smtps://u:p@mail.example.com", "noreply@example.com"); err != nil || s.Addr != "mail.example.com:465" || s.Password != "p" {
		t.Errorf("NewSender(smtps)=%+v, %v", s, err)
	}
}
