package main_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// BenchmarkUI_Conversation100k serves the first page of a conversation of 100,000 messages (in
// a backup of 102,000 across 201 correspondents) through the web UI, from a cold start (the
// server has not indexed the snapshot yet: what a user opening it for the first time waits for)
// and warm, against the peer a UI without an index would be: reading the whole snapshot's
// messages, here as the SMS Backup & Restore download. Target: cold first page under 200 ms.
//
//	go test -run '^$' -bench BenchmarkUI_Conversation100k -benchtime 20x ./cmd/beifen
func BenchmarkUI_Conversation100k(b *testing.B) {
	s := MustRunMain(b, "")
	c := s.mustUIUser(b, "13800138020")
	var x strings.Builder
	x.WriteString(`<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>` + "\n<smses count=\"102000\">\n")
	for i := 0; i < 102000; i++ {
		addr := "+86 139 0000 0001"
		if i%51 == 50 {
			addr = fmt.Sprintf("1380000%04d", i%200)
		}
		fmt.Fprintf(&x, `<sms protocol="0" address="%s" date="%d" type="%d" subject="null" body="第%d条消息，明天下午三点在公司楼下见面，带上合同 &#55357;&#56832;" toa="null" sc_toa="null" service_center="null" read="1" status="-1" locked="0" date_sent="0" readable_date="" contact_name="(Unknown)" />`+"\n",
			addr, 1600000000000+int64(i)*60000, 1+i%2, i)
	}
	x.WriteString("</smses>\n")
	resp := c.upload(map[string]string{"sms.xml": x.String()})
	if resp.StatusCode != http.StatusCreated {
		b.Fatalf("upload: %d %s", resp.StatusCode, body(resp))
	}
	s.Backup.WaitIndexing() // built in the background after the commit
	get := func(b *testing.B, path string, want string) {
		req, _ := http.NewRequest("GET", s.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+c.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(page), want) {
			b.Fatalf("GET %s: %d %.300s", path, resp.StatusCode, page)
		}
	}
	thread := "/app/s/1/messages/%2B8613900000001"
	b.Run("first-page-cold", func(b *testing.B) {
		for b.Loop() {
			s.Backup.DropBrowseCache()
			get(b, thread, "第101998条")
		}
	})
	b.Run("first-page-warm", func(b *testing.B) {
		for b.Loop() {
			get(b, thread, "第101998条")
		}
	})
	b.Run("page-1000-warm", func(b *testing.B) {
		for b.Loop() {
			get(b, thread+"?offset=50000", "条消息")
		}
	})
	b.Run("conversations-cold", func(b *testing.B) {
		for b.Loop() {
			s.Backup.DropBrowseCache()
			get(b, "/app/s/1/messages", "13800000199")
		}
	})
	b.Run("peer-read-all-messages", func(b *testing.B) {
		for b.Loop() {
			get(b, "/api/v1/snapshots/1/sms.xml", "</smses>")
		}
	})
}
