// Package smtptest runs a real SMTP server in the test process, go-smtp's, so tests of
// beifen's mail see what a mail server receives: the envelope and the message as sent, after
// STARTTLS or implicit TLS and AUTH PLAIN. Only tests import it.
package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Server is a running SMTP server on 127.0.0.1 that accepts mail for anyone from a client that
// signed in with Username and Password over TLS, and keeps it.
type Server struct {
	Addr     string // 127.0.0.1:port
	Implicit bool   // TLS from the first byte (smtps) rather than STARTTLS
	Username string
	Password string
	// CertPEM is the server's self-signed certificate, for 127.0.0.1: the root a client trusts.
	CertPEM []byte

	mu       sync.Mutex
	messages []*Message
}

// Message is one message the server received.
type Message struct {
	From string   // the envelope sender
	To   []string // the envelope recipients
	Data []byte   // as sent, headers and body
	TLS  bool     // whether the session was encrypted
}

// Parse reads the message's headers and body.
func (m *Message) Parse(tb testing.TB) *mail.Message {
	tb.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		tb.Fatalf("received message does not parse: %v\n%s", err, m.Data)
	}
	return msg
}

// NewServer starts a server for the test's duration; implicit chooses smtps over STARTTLS.
func NewServer(tb testing.TB, implicit bool) *Server {
	tb.Helper()
	cert, certPEM := selfSigned(tb)
	s := &Server{Implicit: implicit, Username: "beifen", Password: "mail-secret", CertPEM: certPEM}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{server: s, conn: c}, nil
	}))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.MaxMessageBytes = 1 << 20
	srv.ErrorLog = log.New(io.Discard, "", 0) // clients the tests refuse hang up mid-session
	tlsConf := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	if implicit {
		ln = tls.NewListener(ln, tlsConf)
	} else {
		srv.TLSConfig = tlsConf // offers STARTTLS
	}
	s.Addr = ln.Addr().String()
	go srv.Serve(ln)
	tb.Cleanup(func() { srv.Close() })
	return s
}

// URL returns the server's URL with its credentials, as BEIFEN_SMTP_URL takes it.
func (s *Server) URL() string {
	scheme := "smtp"
	if s.Implicit {
		scheme = "smtps"
	}
	return scheme + "://" + s.Username + ":" + s.Password + "@" + s.Addr
}

// RootCAs returns a pool that trusts the server's certificate.
func (s *Server) RootCAs() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(s.CertPEM)
	return pool
}

// Messages returns what the server received so far, oldest first.
func (s *Server) Messages() []*Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Message(nil), s.messages...)
}

// session is one client's SMTP session.
type session struct {
	server *Server
	conn   *smtp.Conn
	authed bool
	msg    *Message
}

func (se *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (se *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != se.server.Username || password != se.server.Password {
			return errors.New("wrong user name or password")
		}
		se.authed = true
		return nil
	}), nil
}

func (se *session) Mail(from string, opts *smtp.MailOptions) error {
	if !se.authed {
		return smtp.ErrAuthRequired
	}
	_, tls := se.conn.TLSConnectionState()
	se.msg = &Message{From: from, TLS: tls}
	return nil
}

// Rcpt takes any recipient but those whose address starts with "unknown", refused in the
// words of real servers, which quote the address.
func (se *session) Rcpt(to string, opts *smtp.RcptOptions) error {
	if strings.HasPrefix(to, "unknown") {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "<" + to + ">: Recipient address rejected: User unknown"}
	}
	se.msg.To = append(se.msg.To, to)
	return nil
}

func (se *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	se.msg.Data = b
	se.server.mu.Lock()
	se.server.messages = append(se.server.messages, se.msg)
	se.server.mu.Unlock()
	return nil
}

func (se *session) Reset()        { se.msg = nil }
func (se *session) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and localhost, valid for a day.
func selfSigned(tb testing.TB) (tls.Certificate, []byte) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "smtptest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, certPEM
}
