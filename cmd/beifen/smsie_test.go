package main_test

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beifen/beifen"
)

// TestBackup_SMSImportExport: an SMS Import/Export folder (messages zip with an MMS picture,
// calls and contacts JSON) backs up and restores as SMS Backup & Restore XML and vCard, with the
// picture byte for byte and the unreadable line reported.
func TestBackup_SMSImportExport(t *testing.T) {
	t.Run("Small", func(t *testing.T) { testSMSImportExport(t, 70_000) })
	// An archive over one upload part is read across its staged parts.
	t.Run("InParts", func(t *testing.T) { testSMSImportExport(t, beifen.UploadPartSize+5_000_000) })
}

func testSMSImportExport(t *testing.T, pictureSize int) {
	s := MustRunMain(t, "")
	env := clientEnv(s, s.MustCreateUser(t, "13800138000", ""))
	phone := t.TempDir()
	ndjson, err := os.ReadFile("../../smsie/testdata/messages.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	picture := make([]byte, pictureSize)
	rand.Read(picture)
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	for name, data := range map[string][]byte{"messages.ndjson": ndjson, "data/PART_1712345678901": picture} {
		w, _ := zw.Create(name)
		w.Write(data)
	}
	zw.Close()
	os.WriteFile(filepath.Join(phone, "messages-2024-04-05.zip"), zb.Bytes(), 0o600)
	for _, name := range []string{"calls-2024-04-05.json", "contacts-2024-04-05.json"} {
		b, err := os.ReadFile(filepath.Join("../../smsie/testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(phone, name), b, 0o600)
	}
	sum := mustBackup(t, env, phone)
	if sum.Messages == 0 || sum.Calls == 0 || sum.Contacts == 0 || sum.Files != 0 {
		t.Fatalf("backup %+v, want messages, calls and contacts read and no plain files", sum)
	}
	got := mustRestore(t, env, "latest")
	if len(got.Messages) != sum.Messages || len(got.Calls) != sum.Calls || len(got.Contacts) != sum.Contacts {
		t.Fatalf("restored %d messages, %d calls, %d contacts; backup said %+v", len(got.Messages), len(got.Calls), len(got.Contacts), sum)
	}
	found := false
	for _, b := range got.Blobs {
		found = found || bytes.Equal(b, picture)
	}
	if !found {
		t.Fatal("the MMS picture did not come back byte for byte")
	}
	if !strings.Contains(strings.Join(got.Messages, "\n"), "晚上七点见 😀👍") {
		t.Fatal("an SMS body with emoji did not come back")
	}
	var mms beifen.Message
	for _, m := range got.Messages {
		if strings.Contains(m, "mavodi-1-89-2a-4f-1c-e1") {
			mustUnmarshal(t, m, &mms)
		}
	}
	if mms.Kind != beifen.MessageMMS || mms.Attrs.Value("date") != "1712345678000" || len(mms.Addrs) == 0 {
		t.Fatalf("the MMS came back as %+v, want an MMS dated in ms with its addresses", mms)
	}
}

// TestBackup_XMLEntityTricks: a document type with nested entities (a "billion laughs") is never
// expanded; the messages still back up, with the reference kept as text.
func TestBackup_XMLEntityTricks(t *testing.T) {
	s := MustRunMain(t, "")
	env := clientEnv(s, s.MustCreateUser(t, "13800138000", ""))
	phone := t.TempDir()
	var b strings.Builder
	b.WriteString("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<!DOCTYPE smses [\n<!ENTITY lol \"lol\">\n")
	for i := 1; i <= 9; i++ {
		b.WriteString("<!ENTITY lol" + string(rune('0'+i)) + " \"" + strings.Repeat("&lol"+string(rune('0'+i-1))+";", 10) + "\">\n")
	}
	b.WriteString("]>\n<smses count=\"2\">\n<sms address=\"10086\" date=\"1700000000000\" type=\"1\" body=\"&lol9;\" />\n" +
		"<sms address=\"10086\" date=\"1700000000001\" type=\"1\" body=\"ok\" />\n</smses>\n")
	os.WriteFile(filepath.Join(phone, "sms-lol.xml"), []byte(b.String()), 0o600)
	if sum := mustBackup(t, env, phone); sum.Messages != 2 {
		t.Fatalf("backup %+v, want both messages", sum)
	}
	got := mustRestore(t, env, "latest")
	if !strings.Contains(strings.Join(got.Messages, "\n"), `\u0026lol9;`) { // JSON escapes &
		t.Fatalf("the entity reference was not kept as text: %v", got.Messages)
	}
}
