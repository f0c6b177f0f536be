package smtp_test

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/smtp"
)

var testFrom = &mail.Address{Name: "手机备份", Address: "noreply@beifen.example"}

// TestCompose: subjects and bodies in Chinese survive as UTF-8, every line stays short, and only
// marketing mail has the unsubscribe headers.
func TestCompose(t *testing.T) {
	date := time.Date(2026, 11, 29, 12, 0, 0, 0, time.FixedZone("CST", 8*3600))
	for _, tt := range []struct {
		name, subject, body, unsubscribe string
		wantSubject, wantBody            string
	}{
		{"ASCII", "Maintenance", "Tonight 23:00.", "", "Maintenance", "Tonight 23:00.\r\n"},
		{"Chinese", "【手机备份】维护通知", "今晚 23:00 至 23:30 维护\n请提前备份。", "",
			"【手机备份】维护通知", "今晚 23:00 至 23:30 维护\r\n请提前备份。\r\n"},
		{"long Chinese subject", strings.Repeat("会员活动", 15), "正文", "", strings.Repeat("会员活动", 15), "正文\r\n"},
		{"line break in subject", "维护\r\nBcc: x@example.com", "正文", "", "维护 Bcc: x@example.com", "正文\r\n"},
		{"marketing", "双十二", "扩容五折", "https://beifen.example/unsubscribe/tok", "双十二", "扩容五折\r\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := smtp.Compose(&beifen.Email{To: "zhang@example.com", Subject: tt.subject, Body: tt.body + "\n", Unsubscribe: tt.unsubscribe}, testFrom, date)
			if err != nil {
				t.Fatal(err)
			}
			for _, line := range strings.Split(string(raw), "\r\n") {
				if len(line) > 78 || strings.Contains(line, "\n") {
					t.Errorf("line %q is longer than 78 or has a bare LF", line)
				}
			}
			m, err := mail.ReadMessage(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
			if err != nil || subject != tt.wantSubject {
				t.Errorf("Subject=%q, %v, want %q", subject, err, tt.wantSubject)
			}
			if m.Header.Get("Bcc") != "" {
				t.Error("a line break in the subject started a header")
			}
			body, _ := io.ReadAll(base64.NewDecoder(base64.StdEncoding, m.Body))
			if string(body) != tt.wantBody {
				t.Errorf("body=%q, want %q", body, tt.wantBody)
			}
			checkHeaders(t, m.Header, date)
			lu, post := m.Header.Get("List-Unsubscribe"), m.Header.Get("List-Unsubscribe-Post")
			if tt.unsubscribe == "" && (lu != "" || post != "") {
				t.Errorf("service mail has List-Unsubscribe %q %q", lu, post)
			}
			if tt.unsubscribe != "" && (lu != "<"+tt.unsubscribe+">" || post != "List-Unsubscribe=One-Click") {
				t.Errorf("List-Unsubscribe=%q, List-Unsubscribe-Post=%q", lu, post)
			}
		})
	}
}

func checkHeaders(t *testing.T, h mail.Header, date time.Time) {
	t.Helper()
	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "手机备份" || from[0].Address != "noreply@beifen.example" {
		t.Errorf("From=%q: %v, %v", h.Get("From"), from, err)
	}
	if to, err := h.AddressList("To"); err != nil || len(to) != 1 || to[0].Address != "zhang@example.com" {
		t.Errorf("To=%q", h.Get("To"))
	}
	if d, err := h.Date(); err != nil || !d.Equal(date) {
		t.Errorf("Date=%q: %v", h.Get("Date"), err)
	}
	if id := h.Get("Message-ID"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@beifen.example>") || len(id) < 40 {
		t.Errorf("Message-ID=%q", id)
	}
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mt != "text/plain" || !strings.EqualFold(params["charset"], "utf-8") || h.Get("MIME-Version") != "1.0" ||
		h.Get("Content-Transfer-Encoding") != "base64" {
		t.Errorf("Content-Type=%q MIME-Version=%q", h.Get("Content-Type"), h.Get("MIME-Version"))
	}
}

// TestCompose_Refuses: a recipient that is not one bare address, or an unsubscribe link that is
// not a plain http(s) URL, is refused rather than written into a header.
func TestCompose_Refuses(t *testing.T) {
	for _, m := range []*beifen.Email{
		{To: "a@example.com\r\nBcc: b@example.com", Subject: "x", Body: "x"},
		{To: "a@example.com, b@example.com", Subject: "x", Body: "x"},
		{To: "a@example.com", Subject: "x", Body: "x", Unsubscribe: "javascript:alert(1)"},
		{To: "a@example.com", Subject: "x", Body: "x", Unsubscribe: "https://x.example/a>\r\nBcc: b@example.com"},
	} {
		if raw, err := smtp.Compose(m, testFrom, time.Now()); err == nil {
			t.Errorf("Compose(%+v) wrote %q", m, raw)
		}
	}
}
