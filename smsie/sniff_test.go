package smsie_test

import (
	"testing"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/smsie"
)

func TestSniff(t *testing.T) {
	head := func(b []byte) []byte { return b[:min(len(b), 512)] }
	messages, _ := mustMessagesZip(t)
	calls := mustRead(t, "calls-2024-04-05.json")
	callsZip := mustZip(t, zipMember{"calls-2024-04-05.json", calls})
	tests := []struct {
		name string
		file string
		head []byte
		want beifen.ExportFormat
	}{
		{"MessagesZip", "messages-2024-04-05.zip", head(messages), beifen.FormatSMSIEArchive},
		{"RenamedMessagesZip", "backup.zip", head(messages), beifen.FormatSMSIEArchive},
		{"CallsZip", "x.zip", head(callsZip), beifen.FormatSMSIEArchive},
		{"OtherZip", "photos.zip", head(mustZip(t, zipMember{"IMG_0001.jpg", []byte("jpeg")})), ""},
		{"Calls", "calls-2024-04-05.json", head(calls), beifen.FormatSMSIECalls},
		{"CallsRenamed", "export.json", head(calls), beifen.FormatSMSIECalls},
		{"Contacts", "c.json", head(mustRead(t, "contacts-2024-04-05.json")), beifen.FormatSMSIEContact},
		{"ContactsByName", "contacts.json", []byte("[\n  {\n    \"_id\": \"1\",\n    \"display_na"), beifen.FormatSMSIEContact},
		{"V1Messages", "m.json", head(mustRead(t, "messages-2022-01-01.json")), beifen.FormatSMSIEArchive},
		{"NDJSON", "messages.ndjson", head(mustRead(t, "messages.ndjson")), beifen.FormatSMSIEArchive},
		{"BOM", "x.json", append([]byte("\ufeff"), head(calls)...), beifen.FormatSMSIECalls},
		{"OtherJSON", "package.json", []byte(`{"name":"x","version":"1"}`), ""},
		{"Fossify", "backup.json", []byte(`[{"backupType":"sms","subscriptionId":1}]`), ""},
		{"Text", "notes.txt", []byte("hello"), ""},
		{"Empty", "calls-2024-04-05.json", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := smsie.Sniff(tt.file, tt.head); got != tt.want {
				t.Fatalf("Sniff(%q)=%q, want %q", tt.file, got, tt.want)
			}
		})
	}
}
