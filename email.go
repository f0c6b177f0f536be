package beifen

import (
	"context"
	"net/mail"
	"strings"
)

// Email is one e-mail to a user (clause 1.1.3): plain UTF-8 text. A marketing e-mail carries
// Unsubscribe, the link that withdraws the consent it was sent under without signing in.
type Email struct {
	To          string // a verified address, or the one being verified
	Subject     string
	Body        string
	Unsubscribe string // an absolute URL; "" for service mail
}

// EmailSender hands e-mails to the outgoing mail server.
type EmailSender interface {
	// SendEmail sends one e-mail. Errors are internal: the mail server's, never the user's.
	SendEmail(ctx context.Context, m *Email) error
}

// NormalizeEmail returns an address as beifen keeps it: the bare address, its domain in lower
// case. Returns EINVALID for anything else: a display name, several addresses, or characters
// outside ASCII (the outgoing server may not take internationalised addresses).
func NormalizeEmail(addr string) (string, error) {
	addr = strings.TrimSpace(addr)
	a, err := mail.ParseAddress(addr)
	at := strings.LastIndexByte(addr, '@')
	if err != nil || a.Name != "" || a.Address != addr || at < 1 || len(addr) > 254 || !isASCII(addr) ||
		!strings.Contains(addr[at:], ".") {
		return "", Errorf(EINVALID, "Enter an e-mail address such as name@example.com.")
	}
	return addr[:at] + strings.ToLower(addr[at:]), nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// MaskEmail returns an address as logs and notices may show it: the first character of the
// local part and the domain, "z***@example.com".
func MaskEmail(addr string) string {
	at := strings.LastIndexByte(addr, '@')
	if at < 1 {
		return "***"
	}
	return addr[:1] + "***" + addr[at:]
}

// EmailStatus is the signed-in user's e-mail address: the verified one notices go to, and one
// entered and waiting for its code.
type EmailStatus struct {
	Address string `json:"address,omitempty"` // verified
	Pending string `json:"pending,omitempty"` // entered, not yet confirmed: receives nothing but its code
}
