// Package smtp sends beifen's e-mail (clause 1.1.3) through an outgoing mail server with the
// standard library's net/smtp: STARTTLS on smtp:// (port 587 by default), implicit TLS on
// smtps:// (465), AUTH PLAIN with the URL's user and password, and only over TLS unless the
// server is on this machine.
package smtp

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"strings"
	"time"

	"github.com/beifen/beifen"
)

// Sender hands each e-mail to one mail server.
type Sender struct {
	Addr     string // host:port
	Host     string
	Implicit bool // smtps://: TLS from the first byte, not STARTTLS
	Username string
	Password string
	From     *mail.Address
	// TLSConfig verifies the server; nil: the system's roots, for Host.
	TLSConfig *tls.Config
	Timeout   time.Duration // for one whole message; default 30 s
	Now       func() time.Time
}

var _ beifen.EmailSender = (*Sender)(nil)

// NewSender returns a Sender for a server URL such as smtp://user:pass@host:587 or
// smtps://user:pass@host, sending as from ("手机备份 <noreply@example.com>" or a bare address).
func NewSender(rawURL, from string) (*Sender, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Hostname() == "" || (u.Scheme != "smtp" && u.Scheme != "smtps") {
		return nil, fmt.Errorf("mail server URL must be smtp://[user:pass@]host[:port] or smtps://...")
	}
	f, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("sender address %q: %w", from, err)
	}
	s := &Sender{Host: u.Hostname(), Implicit: u.Scheme == "smtps", From: f, Timeout: 30 * time.Second, Now: time.Now}
	port := u.Port()
	if port == "" {
		port = map[bool]string{true: "465", false: "587"}[s.Implicit]
	}
	s.Addr = net.JoinHostPort(s.Host, port)
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	return s, nil
}

// SendEmail composes m and delivers it in one SMTP session.
func (s *Sender) SendEmail(ctx context.Context, m *beifen.Email) error {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	msg, err := Compose(m, s.From, now())
	if err != nil {
		return err
	}
	c, err := s.dial(ctx)
	if err != nil {
		return fmt.Errorf("smtp %s: %w", s.Addr, err)
	}
	defer c.Close()
	if err := deliver(c, s.From.Address, m.To, msg); err != nil {
		return &scrubbed{err: fmt.Errorf("smtp %s: %w", s.Addr, err), addr: m.To}
	}
	return nil
}

// scrubbed is an error whose text shows the recipient masked: servers quote the address in
// their replies ("550 <name@example.com>: unknown user"), and errors end up in the log.
type scrubbed struct {
	err  error
	addr string
}

func (e *scrubbed) Error() string {
	msg, lower, addr := e.err.Error(), strings.ToLower(e.err.Error()), strings.ToLower(e.addr)
	var b strings.Builder
	for {
		i := strings.Index(lower, addr)
		if i < 0 || addr == "" {
			return b.String() + msg
		}
		b.WriteString(msg[:i] + beifen.MaskEmail(e.addr))
		msg, lower = msg[i+len(addr):], lower[i+len(addr):]
	}
}

func (e *scrubbed) Unwrap() error { return e.err }

func deliver(c *smtp.Client, from, to string, msg []byte) error {
	if err := c.Mail(from); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// dial connects, says hello, secures the session and signs in.
func (s *Sender) dial(ctx context.Context) (*smtp.Client, error) {
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return nil, err
	}
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline) // the whole session, not only the dial
	if s.Implicit {
		tc := tls.Client(conn, s.tlsConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, err
		}
		conn = tc
	}
	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		conn.Close()
		return nil, err
	}
	if err := s.secure(c); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// secure starts TLS where it is not on yet, refusing to go on in clear text to another machine,
// then signs in.
func (s *Sender) secure(c *smtp.Client) error {
	if err := c.Hello(helloName(s.From.Address)); err != nil {
		return err
	}
	if !s.Implicit {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(s.tlsConfig()); err != nil {
				return err
			}
		} else if !isLoopback(s.Host) {
			return fmt.Errorf("server offers no STARTTLS: refusing to send personal data in clear text")
		}
	}
	if s.Username == "" {
		return nil
	}
	return c.Auth(smtp.PlainAuth("", s.Username, s.Password, s.Host))
}

func (s *Sender) tlsConfig() *tls.Config {
	if s.TLSConfig != nil {
		c := s.TLSConfig.Clone()
		if c.ServerName == "" {
			c.ServerName = s.Host
		}
		return c
	}
	return &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12}
}

// helloName is the name beifen greets the server with: its sender domain.
func helloName(from string) string {
	if at := strings.LastIndexByte(from, '@'); at >= 0 {
		return from[at+1:]
	}
	return "localhost"
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Logged records every e-mail a sender hands to the mail server, before it goes (clause 3.1.1).
type Logged struct {
	beifen.EmailSender
	Log func(ctx context.Context, to string) error
}

// SendEmail logs the transfer, then sends.
func (l *Logged) SendEmail(ctx context.Context, m *beifen.Email) error {
	if err := l.Log(ctx, m.To); err != nil {
		return err
	}
	return l.EmailSender.SendEmail(ctx, m)
}
