package smtp

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/beifen/beifen"
)

// Compose writes m as an RFC 5322 message from from, dated date: a single text/plain UTF-8
// part, base64-encoded so Chinese text passes any relay unchanged; the subject and the sender's
// name as RFC 2047 encoded-words; a fresh Message-ID; and for marketing mail the RFC 2369
// List-Unsubscribe link with RFC 8058's one-click header.
func Compose(m *beifen.Email, from *mail.Address, date time.Time) ([]byte, error) {
	to, err := beifen.NormalizeEmail(m.To)
	if err != nil {
		return nil, fmt.Errorf("compose: recipient: %w", err)
	}
	id, err := messageID(from.Address)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	header := func(name, value string) { b.WriteString(name + ": " + value + "\r\n") }
	header("From", encodeFrom(from))
	header("To", "<"+to+">")
	header("Subject", encodeSubject(m.Subject))
	header("Date", date.Format(time.RFC1123Z))
	header("Message-ID", id)
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=UTF-8")
	header("Content-Transfer-Encoding", "base64")
	if m.Unsubscribe != "" {
		u, err := url.Parse(m.Unsubscribe)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || strings.ContainsAny(m.Unsubscribe, "<>\r\n ") {
			return nil, fmt.Errorf("compose: unsubscribe link is not an http(s) URL")
		}
		header("List-Unsubscribe", "<"+m.Unsubscribe+">")
		header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	}
	b.WriteString("\r\n")
	writeBase64(&b, crlf(m.Body))
	return b.Bytes(), nil
}

// encodeSubject encodes a subject as UTF-8 encoded-words (RFC 2047) unless it is short plain
// ASCII, one folded line per word so no line grows past 78 characters. Line breaks become spaces:
// a subject is one line, and a break would start a header of its own.
func encodeSubject(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= 69 && isPlain(s) {
		return s
	}
	return encodeWords(s)
}

// encodeFrom writes the sender with its name encoded and the address on a line of its own.
func encodeFrom(a *mail.Address) string {
	if a.Name == "" {
		return "<" + a.Address + ">"
	}
	if isPlain(a.Name) {
		return a.String()
	}
	return encodeWords(a.Name) + "\r\n <" + a.Address + ">"
}

// encodeWords splits s into B-encoded words of at most 42 bytes of text each (68 characters
// encoded), never inside a character, joined by folding whitespace.
func encodeWords(s string) string {
	var words []string
	for s != "" {
		n := 0
		for _, r := range s {
			if n+utf8.RuneLen(r) > 42 {
				break
			}
			n += utf8.RuneLen(r)
		}
		words = append(words, "=?UTF-8?B?"+base64.StdEncoding.EncodeToString([]byte(s[:n]))+"?=")
		s = s[n:]
	}
	return strings.Join(words, "\r\n ")
}

// isPlain reports whether s is printable ASCII that needs no encoding or quoting.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e || strings.IndexByte(`"(),.:;<>@[\]=?`, s[i]) >= 0 {
			return false
		}
	}
	return true
}

// crlf makes every line end in CRLF, as SMTP wants it.
func crlf(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\n", "\r\n")
}

// writeBase64 writes s in base64 lines of 76 characters (RFC 2045).
func writeBase64(b *bytes.Buffer, s string) {
	enc := base64.StdEncoding.EncodeToString([]byte(s))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
}

// messageID returns a new globally unique Message-ID in the sender's domain.
func messageID(from string) (string, error) {
	raw := make([]byte, 16)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("message id: %w", err)
	}
	return "<" + hex.EncodeToString(raw) + "@" + from[strings.LastIndexByte(from, '@')+1:] + ">", nil
}
