package main_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beifen/beifen"
	main "github.com/beifen/beifen/cmd/beifen"
	beifenhttp "github.com/beifen/beifen/http"
)

// TestPolicy_6_4_ErasedAccountLeavesNothingTiedToIt: an account with everything in it (a backup
// with messages, contacts and photos, a profile, a complaint, consents, a rights request, a
// share link, sign-ins) and a team member who made calls are erased after their cooling-off.
// Then no file of the data folder (database, write-ahead log, blobs, checkpoint) and no line of
// the server's log holds their numbers, names, texts, file names or the keyed hash of their
// numbers, while the team's report still adds up.
func TestPolicy_6_4_ErasedAccountLeavesNothingTiedToIt(t *testing.T) {
	s := MustRunMain(t, "")
	testErasedAccountLeavesNothing(t, s, func() [][]byte {
		return dumpFiles(t, s.Config.DataDir, nil)
	})
}

// TestPolicy_6_4_ErasedAccountLeavesNothing_Postgres is the same on PostgreSQL: every row of
// every table, read as text, and the data folder.
func TestPolicy_6_4_ErasedAccountLeavesNothing_Postgres(t *testing.T) {
	dsn := os.Getenv("BEIFEN_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("BEIFEN_TEST_POSTGRES_DSN not set")
	}
	schemaDSN := withSchema(t, dsn)
	s := MustRunMainConfig(t, "", func(c *main.Config) { c.DB = schemaDSN })
	db, err := sql.Open("pgx", schemaDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	testErasedAccountLeavesNothing(t, s, func() [][]byte {
		var out [][]byte
		rows, err := db.Query(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`)
		if err != nil {
			t.Fatal(err)
		}
		var tables []string
		for rows.Next() {
			var name string
			rows.Scan(&name)
			tables = append(tables, name)
		}
		rows.Close()
		for _, table := range tables {
			r, err := db.Query(`SELECT t::text FROM ` + table + ` t`)
			if err != nil {
				t.Fatal(err)
			}
			for r.Next() {
				var row string
				r.Scan(&row)
				out = append(out, []byte(table+": "+row))
			}
			r.Close()
		}
		return dumpFiles(t, s.Config.DataDir, out)
	})
}

func testErasedAccountLeavesNothing(t *testing.T, s *Server, dump func() [][]byte) {
	ctx := context.Background()
	texts := &smsRecorder{}
	s.Auth.SMS, s.Support.SMS, s.CRM.SMS = texts, texts, texts
	const (
		phone   = "13800138066"
		name    = "韩梅梅"
		nick    = "梅子同学"
		msgBody = "只属于韩梅梅的一条短信"
		card    = "韩梅梅的闺蜜"
		photo   = "韩梅梅的照片.jpg"
		gripe   = "韩梅梅的投诉内容"
		asked   = "韩梅梅想知道的事"
		sPhone  = "13700009999"
		sName   = "李雷老师"
	)
	// A personal account with everything in it.
	u := &uiClient{tb: t, base: s.URL, token: s.MustCreateUser(t, phone, name), lang: "zh-CN"}
	u.post("/welcome", url.Values{"version": {"1"}, "purpose": {"marketing", "statistics", "camera"}})
	sms := `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><smses count="1"><sms protocol="0" address="13912345678" date="1700000000000" type="1" body="` + msgBody + `" read="1" status="-1" locked="0" /></smses>`
	vcf := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:" + card + "\r\nTEL:13911112222\r\nEND:VCARD\r\n"
	if resp := u.upload(map[string]string{"sms.xml": sms, "contacts.vcf": vcf, "DCIM/" + photo: string(cameraJPEG(t, 64, 48))}); resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %d %s", resp.StatusCode, body(resp))
	}
	u.post("/privacy/profile", url.Values{"nickname": {nick}, "gender": {"female"}, "birthday": {"1990-02-03"}})
	fileComplaint(t, s, u.token, jpegPhoto)
	apiDo(t, "POST", s.URL+"/api/v1/complaints", u.token, strings.NewReader(`{"body":"`+gripe+`"}`), nil)
	apiDo(t, "POST", s.URL+"/api/v1/me/requests", u.token, strings.NewReader(`{"kind":"access","detail":"`+asked+`"}`), nil)
	u.post("/app/s/1/contacts/share", url.Values{"pos": {"0"}})
	if got := u.get("/privacy/export.zip"); got.StatusCode != 200 {
		t.Fatalf("export: %d", got.StatusCode)
	}

	// A team member who made calls.
	team, admin := mustTeam(t, s, beifen.RoleAdmin, "13911110066")
	mustImport(t, admin, mustLeadFile(t, 3))
	_, stok, err := s.Auth.CreateMember(ctx, sPhone, sName, team, beifen.RoleStaff)
	if err != nil {
		t.Fatal(err)
	}
	staff := beifenhttp.NewClient(s.URL, stok)
	task := lastInt(t, mustCLI(t, admin, "task", "create", "--name", "回访", "--window", "00:00-24:00"))
	for i := 0; i < 2; i++ {
		d, err := staff.NextLead(ctx, task)
		if err != nil || d == nil {
			t.Fatalf("next lead: %v %v", d, err)
		}
		if _, err := staff.LogOutcome(ctx, task, d.LeadID, &beifen.CallLog{Outcome: beifen.OutcomeConnected, TalkSeconds: 30}); err != nil {
			t.Fatal(err)
		}
	}
	boss := beifenhttp.NewClient(s.URL, admin["BEIFEN_TOKEN"])
	before, err := boss.ReportRows(ctx, task)
	if err != nil {
		t.Fatal(err)
	}

	// Both ask to be deleted; the cooling-off ends.
	for _, who := range []struct{ phone, tok string }{{phone, u.token}, {sPhone, stok}} {
		post(t, s.URL+"/api/v1/auth/code", map[string]string{"phone": who.phone})
		sent := texts.texts()
		last := sent[len(sent)-1]
		code := textCode(t, last)
		if b, st := apiDo(t, "POST", s.URL+"/api/v1/me/deletion", who.tok, strings.NewReader(`{"code":"`+code+`"}`), nil); st != 202 {
			t.Fatalf("deletion request: %d %s", st, b)
		}
	}
	hashes := [][]byte{s.Auth.PhoneHash("+86" + phone), s.Auth.PhoneHash("+86" + sPhone)}
	// The search below sees the accounts before they go (their number hashes are index keys).
	seen := false
	for _, blob := range dump() {
		seen = seen || bytes.Contains(blob, hashes[0]) || bytes.Contains(blob, []byte(hex.EncodeToString(hashes[0])))
	}
	if !seen {
		t.Fatal("the dump does not show the account's number hash even before the erasure")
	}
	receipts, err := s.EraseDue(ctx, time.Now().Add(16*24*time.Hour))
	if err != nil || len(receipts) != 2 {
		t.Fatalf("erase: %+v %v", receipts, err)
	}

	// The team's report still adds up, without the person.
	after, err := boss.ReportRows(ctx, task)
	if err != nil {
		t.Fatal(err)
	}
	if tb, ta := before[len(before)-1], after[len(after)-1]; ta.Dials != tb.Dials || ta.Dials != 2 || ta.TalkSeconds != tb.TalkSeconds {
		t.Fatalf("report total before %+v, after %+v", tb, ta)
	}
	for _, r := range after {
		if strings.Contains(r.Staff, sName) {
			t.Fatalf("the report still names the erased member: %+v", r)
		}
	}

	needles := map[string][]byte{}
	for _, n := range []string{phone, "+86" + phone, name, nick, msgBody, card, photo, gripe, asked, sPhone, "+86" + sPhone, sName} {
		needles[n] = []byte(n)
	}
	for i, h := range hashes {
		needles[fmt.Sprintf("number hash %d", i)] = h
		needles[fmt.Sprintf("number hash %d (hex)", i)] = []byte(hex.EncodeToString(h))
	}
	for _, blob := range dump() {
		where, _, _ := bytes.Cut(blob, []byte("\n"))
		for what, n := range needles {
			if bytes.Contains(blob, n) {
				t.Errorf("%s is still in %s", what, firstRunes(string(where), 200))
			}
		}
	}
	for what, n := range needles {
		if strings.Contains(s.Log.String(), string(n)) {
			t.Errorf("%s is in the server's log", what)
		}
	}
}

// dataFiles reads every file under dir, by path.
func dataFiles(tb testing.TB, dir string) map[string][]byte {
	tb.Helper()
	out := map[string][]byte{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, err := os.ReadFile(p); err == nil {
				out[p] = b
			}
		}
		return nil
	})
	return out
}

// dumpFiles appends every file under dir to out, each as its path, a newline and its bytes.
func dumpFiles(tb testing.TB, dir string, out [][]byte) [][]byte {
	tb.Helper()
	for p, b := range dataFiles(tb, dir) {
		out = append(out, append([]byte(p+"\n"), b...))
	}
	return out
}
