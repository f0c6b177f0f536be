package main_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/beifen/beifen"
	beifenhttp "github.com/beifen/beifen/http"
)

// myRequests returns a user's rights requests over the API.
func (c *uiClient) myRequests() []*beifen.RightsRequest {
	c.tb.Helper()
	b, st := apiDo(c.tb, "GET", c.base+"/api/v1/me/requests", c.token, nil, nil)
	var rr beifenhttp.RequestsResponse
	if err := json.Unmarshal(b, &rr); err != nil || st != 200 {
		c.tb.Fatalf("requests %d %s", st, b)
	}
	return rr.Requests
}

// TestPolicy_6_3_RightsRequestsTrackedWithDeadline: every request a user makes over their data
// is kept with a status and a deadline of 15 working days. Self-service ones (export,
// correction, withdrawal) are recorded done at once; one the operator must answer stays open,
// the operators are reminded before its deadline, it shows on the console and on the overdue
// report once late, and the answer reaches the user, who alone sees their requests.
func TestPolicy_6_3_RightsRequestsTrackedWithDeadline(t *testing.T) {
	s := MustRunMain(t, "")
	s.Config.Operators = []string{"13600136000"}
	texts := &smsRecorder{}
	s.Auth.SMS, s.Support.SMS = texts, texts
	ctx := context.Background()
	alice, bob := s.mustUIUser(t, "13800138071"), s.mustUIUser(t, "13800138072")
	op := s.mustUIUser(t, "13600136000")

	// Self-service: export, correction, withdrawal.
	if resp := alice.get("/privacy/export.zip"); resp.StatusCode != 200 {
		t.Fatalf("export: %d", resp.StatusCode)
	}
	if _, st := apiDo(t, "PUT", s.URL+"/api/v1/me/profile", alice.token, strings.NewReader(`{"nickname":"小艾"}`), nil); st != 200 {
		t.Fatalf("profile: %d", st)
	}
	alice.setConsent("marketing", true)
	alice.setConsent("marketing", false)
	// One for the operator; a kind that does not exist is refused with a clear message.
	b, st := apiDo(t, "POST", s.URL+"/api/v1/me/requests", alice.token, strings.NewReader(`{"kind":"sell","detail":"x"}`), nil)
	if st != http.StatusBadRequest || !strings.Contains(string(b), `Unknown kind of request \"sell\".`) {
		t.Fatalf("unknown kind: %d %s", st, b)
	}
	const ask = "请说明我的通话录音被哪些员工听过，保存多久。"
	b, st = apiDo(t, "POST", s.URL+"/api/v1/me/requests", alice.token, strings.NewReader(`{"kind":"explain","detail":"`+ask+`"}`), nil)
	var asked beifen.RightsRequest
	if json.Unmarshal(b, &asked); st != http.StatusCreated || asked.Status != beifen.RequestOpen {
		t.Fatalf("ask: %d %s", st, b)
	}
	if want := beifen.WorkingDaysAfter(asked.CreatedAt, 15, beifen.China); !asked.DueAt.Equal(want) {
		t.Fatalf("due %v, want 15 working days later: %v", asked.DueAt, want)
	}
	got := map[beifen.RightsKind]string{}
	for _, r := range alice.myRequests() {
		got[r.Kind] = r.Status
		if r.Status == beifen.RequestDone && r.ClosedAt.IsZero() {
			t.Errorf("request %d done without a time", r.ID)
		}
	}
	want := map[beifen.RightsKind]string{beifen.RightExport: "done", beifen.RightCorrect: "done", beifen.RightWithdraw: "done", beifen.RightExplain: "open"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("alice's requests %v, want %v", got, want)
	}
	if len(bob.myRequests()) != 0 {
		t.Fatal("bob sees requests that are not his")
	}
	page := body(alice.get("/privacy"))
	if !strings.Contains(page, `id="requests"`) || !strings.Contains(page, ask) || !strings.Contains(page, asked.DueAt.In(beifen.China).Format("2006-01-02")) {
		t.Fatal("the privacy centre does not list the request with its deadline")
	}
	// The text of the request is sealed: not in the database.
	for p, b := range dataFiles(t, s.Config.DataDir) {
		if strings.Contains(string(b), "请说明我的通话录音") {
			t.Fatalf("the request's text is readable in %s", p)
		}
	}

	// Three working days before the deadline the operators are reminded, once, by count only.
	sentBefore := len(texts.texts())
	if n, err := s.Support.RemindRequests(ctx, time.Now(), s.Config.Operators); err != nil || n != 0 {
		t.Fatalf("reminded %d on day one: %v", n, err)
	}
	nearly := beifen.WorkingDaysAfter(asked.CreatedAt, 12, beifen.China).Add(-time.Hour)
	if n, err := s.Support.RemindRequests(ctx, nearly, s.Config.Operators); err != nil || n != 1 {
		t.Fatalf("reminded %d three working days ahead: %v", n, err)
	}
	sent := texts.texts()[sentBefore:]
	if len(sent) != 1 || !strings.Contains(sent[0], "1 项个人信息权利请求、0 件投诉") || strings.Contains(sent[0], ask) {
		t.Fatalf("reminder texts %q", sent)
	}
	if n, _ := s.Support.RemindRequests(ctx, nearly.Add(time.Hour), s.Config.Operators); n != 0 {
		t.Fatal("reminded twice")
	}
	// Late: on the overdue report; the console lists it either way.
	if out := mustCLI(t, nil, "request", "overdue", "--data", s.Config.DataDir); !strings.Contains(out, "0 overdue") {
		t.Fatalf("overdue now: %q", out)
	}
	late, err := s.Support.OverdueRequests(ctx, asked.DueAt.Add(time.Minute))
	if err != nil || len(late) != 1 || late[0].ID != asked.ID || late[0].Detail != ask {
		t.Fatalf("overdue after the deadline: %+v %v", late, err)
	}
	if out := mustCLI(t, nil, "request", "open", "--data", s.Config.DataDir); !strings.Contains(out, fmt.Sprintf("%d\texplain", asked.ID)) {
		t.Fatalf("open requests: %q", out)
	}
	if ops := body(op.get("/ops")); !strings.Contains(ops, fmt.Sprintf("/ops/requests/%d/answer", asked.ID)) {
		t.Fatal("the console does not list the request")
	}

	// The operator answers from the console; the user is told and reads the answer.
	resp := op.post(fmt.Sprintf("/ops/requests/%d/answer", asked.ID), url.Values{"reply": {"仅质检员王某听过，录音保存 90 天。"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("answer: %d %s", resp.StatusCode, body(resp))
	}
	for _, r := range alice.myRequests() {
		if r.ID == asked.ID && (r.Status != beifen.RequestDone || r.Answer != "仅质检员王某听过，录音保存 90 天。" || r.ClosedAt.IsZero()) {
			t.Fatalf("answered request %+v", r)
		}
	}
	if b, _ := apiDo(t, "GET", s.URL+"/api/v1/me/notices", alice.token, nil, nil); !strings.Contains(string(b), "您的请求已答复") {
		t.Fatalf("no notice of the answer: %s", b)
	}
	if _, err := runCLI(t, nil, "request", "answer", "--data", s.Config.DataDir, "--id", fmt.Sprint(asked.ID), "--reply", "again"); err == nil ||
		!strings.Contains(beifen.ErrorMessage(err), "not found") {
		t.Fatalf("answering twice: %v", err)
	}
	// The requests are part of "download my data".
	zipped := []byte(body(alice.get("/privacy/export.zip")))
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range zr.File {
		if f.Name == "requests.json" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			found = strings.Contains(string(b), ask) && strings.Contains(string(b), "仅质检员王某听过")
		}
	}
	if !found {
		t.Fatal("requests.json in the data download lacks the request and its answer")
	}
}

var itemID = regexp.MustCompile(`name="id" value="(\d+)"`)

// TestPolicy_6_3_DeleteSpecificItemsFromHistory: a user deletes one message, one contact and
// one photo from their backups: each is gone from every snapshot, its restore and its counts; a
// photo's content goes with the last name that holds it; the store still checks whole; nobody
// else can delete them; and the deletion is recorded as a rights request done.
func TestPolicy_6_3_DeleteSpecificItemsFromHistory(t *testing.T) {
	s := MustRunMain(t, "")
	alice, bob := s.mustUIUser(t, "13800138073"), s.mustUIUser(t, "13800138074")
	sms := `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><smses count="2">` +
		`<sms protocol="0" address="10086" date="1700000000000" type="1" body="第一条：保留" read="1" status="-1" locked="0" />` +
		`<sms protocol="0" address="10086" date="1700000100000" type="1" body="第二条：删除我" read="1" status="-1" locked="0" /></smses>`
	vcf := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:张三\r\nTEL:13900001111\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:李四\r\nTEL:13900002222\r\nEND:VCARD\r\n"
	photo := string(cameraJPEG(t, 64, 48))
	files := map[string]string{"sms.xml": sms, "contacts.vcf": vcf, "DCIM/a.jpg": photo, "DCIM/copy-of-a.jpg": photo}
	for i := 0; i < 2; i++ { // two snapshots holding the same items
		if resp := alice.upload(files); resp.StatusCode != http.StatusCreated {
			t.Fatalf("upload: %d %s", resp.StatusCode, body(resp))
		}
	}
	blobsBefore := len(dataFiles(t, filepath.Join(s.Config.DataDir, "blobs")))

	thread := body(alice.get("/app/s/1/messages/10086"))
	ids := itemID.FindAllStringSubmatch(thread, -1)
	if len(ids) != 2 || !strings.Contains(thread, "第二条：删除我") {
		t.Fatalf("thread items %v", ids)
	}
	second := ids[1][1] // oldest first: the second message
	// Bob cannot delete Alice's message: not found, and nothing goes.
	if _, st := apiDo(t, "POST", s.URL+"/api/v1/me/items/delete", bob.token, strings.NewReader(`{"ids":[`+second+`]}`), nil); st != http.StatusNotFound {
		t.Fatalf("bob deleting alice's item: %d", st)
	}
	resp := alice.post("/app/items/delete", url.Values{"id": {second}, "back": {"/app/s/1/messages/10086"}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/app/s/1/messages/10086") {
		t.Fatalf("delete: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	for _, snap := range []string{"1", "2"} {
		if page := body(alice.get("/app/s/" + snap + "/messages/10086")); strings.Contains(page, "第二条：删除我") || !strings.Contains(page, "第一条：保留") {
			t.Fatalf("snapshot %s still shows the deleted message, or lost the other", snap)
		}
		xml, _ := apiDo(t, "GET", s.URL+"/api/v1/snapshots/"+snap+"/sms.xml", alice.token, nil, nil)
		if strings.Contains(string(xml), "删除我") || !strings.Contains(string(xml), "第一条：保留") {
			t.Fatalf("snapshot %s restore: %s", snap, xml)
		}
		if page := body(alice.get("/app/s/" + snap + "/messages")); strings.Contains(page, "删除我") {
			t.Fatalf("snapshot %s conversation list still shows the deleted message's text", snap)
		}
	}
	// A contact, over the API: gone from both snapshots' cards, the other stays.
	contacts := body(alice.get("/app/s/2/contacts"))
	cids := itemID.FindAllStringSubmatch(contacts, -1)
	if len(cids) != 2 {
		t.Fatalf("contact items %v", cids)
	}
	// It was shared by link first: the link stops working with the deletion.
	shared := alice.post("/app/s/2/contacts/share", url.Values{"pos": {"0"}})
	m := shareURLRE.FindStringSubmatch(body(shared))
	if shared.StatusCode != http.StatusCreated || m == nil {
		t.Fatalf("share: %d", shared.StatusCode)
	}
	anon := &uiClient{tb: t, base: s.URL, lang: "zh-CN"}
	if resp := anon.get("/s/" + m[2]); resp.StatusCode != 200 {
		t.Fatalf("the link before the deletion: %d", resp.StatusCode)
	}
	var rc beifen.DeleteReceipt
	b, st := apiDo(t, "POST", s.URL+"/api/v1/me/items/delete", alice.token, strings.NewReader(`{"ids":[`+cids[0][1]+`]}`), nil)
	if json.Unmarshal(b, &rc); st != 200 || rc.Items != 1 || rc.Snapshots != 2 {
		t.Fatalf("delete contact: %d %s", st, b)
	}
	if resp := anon.get("/s/" + m[2]); resp.StatusCode != http.StatusGone {
		t.Fatalf("the link to the deleted contact still answers: %d", resp.StatusCode)
	}
	for _, snap := range []string{"1", "2"} {
		vc, _ := apiDo(t, "GET", s.URL+"/api/v1/snapshots/"+snap+"/contacts.vcf", alice.token, nil, nil)
		if strings.Count(string(vc), "BEGIN:VCARD") != 1 {
			t.Fatalf("snapshot %s contacts after deleting one: %s", snap, vc)
		}
	}
	// The photo under two names: deleting one name keeps the content for the other; deleting
	// the other removes it.
	var list struct {
		Files []*beifen.File `json:"files"`
	}
	fb, _ := apiDo(t, "GET", s.URL+"/api/v1/snapshots/2/files", alice.token, nil, nil)
	json.Unmarshal(fb, &list)
	var photoIDs []int64
	for _, f := range list.Files {
		if strings.HasSuffix(f.Path, ".jpg") {
			photoIDs = append(photoIDs, f.RecordID)
		}
	}
	if len(photoIDs) != 2 {
		t.Fatalf("photo records %v from %s", photoIDs, fb)
	}
	b, _ = apiDo(t, "POST", s.URL+"/api/v1/me/items/delete", alice.token, strings.NewReader(fmt.Sprintf(`{"ids":[%d]}`, photoIDs[0])), nil)
	if json.Unmarshal(b, &rc); rc.Blobs != 0 {
		t.Fatalf("deleting one of two names removed the content: %s", b)
	}
	b, _ = apiDo(t, "POST", s.URL+"/api/v1/me/items/delete", alice.token, strings.NewReader(fmt.Sprintf(`{"ids":[%d]}`, photoIDs[1])), nil)
	if json.Unmarshal(b, &rc); rc.Blobs != 1 {
		t.Fatalf("deleting the last name kept the content: %s", b)
	}
	if after := len(dataFiles(t, filepath.Join(s.Config.DataDir, "blobs"))); after >= blobsBefore {
		t.Fatalf("blob files %d before, %d after", blobsBefore, after)
	}
	var snap beifen.Snapshot
	sb, _ := apiDo(t, "GET", s.URL+"/api/v1/snapshots/1", alice.token, nil, nil)
	json.Unmarshal(sb, &snap)
	if snap.Messages != 1 || snap.Contacts != 1 || snap.Files != 0 {
		t.Fatalf("snapshot 1 counts after the deletions: %+v (%s)", snap, sb)
	}
	// The store is whole (no record names a blob that is gone), and the deletions are on
	// record as rights requests done.
	if out := mustCLI(t, nil, "check", "--data", s.Config.DataDir); strings.Contains(out, "damage") {
		t.Fatalf("check after deleting: %q", out)
	}
	n := 0
	for _, r := range alice.myRequests() {
		if r.Kind == beifen.RightDelete && r.Status == beifen.RequestDone {
			n++
		}
	}
	if n != 4 {
		t.Fatalf("%d deletions recorded, want 4", n)
	}
}

// TestDeleteItems_OnlyThatItem: deleting a photo deletes that photo in every snapshot, not
// another photo that once had the same name; and nothing is deleted from an account under a
// legal hold.
func TestDeleteItems_OnlyThatItem(t *testing.T) {
	s := MustRunMain(t, "")
	u := s.mustUIUser(t, "13800138075")
	first, second := string(cameraJPEG(t, 64, 48)), string(cameraJPEG(t, 80, 60))
	for _, photo := range []string{first, second} { // a new phone, the same file name
		if resp := u.upload(map[string]string{"DCIM/IMG_0001.jpg": photo}); resp.StatusCode != http.StatusCreated {
			t.Fatalf("upload: %d %s", resp.StatusCode, body(resp))
		}
	}
	files := func(snap string) []*beifen.File {
		var list struct {
			Files []*beifen.File `json:"files"`
		}
		b, _ := apiDo(t, "GET", s.URL+"/api/v1/snapshots/"+snap+"/files", u.token, nil, nil)
		json.Unmarshal(b, &list)
		return list.Files
	}
	old := files("1")
	if len(old) != 1 {
		t.Fatalf("snapshot 1 files %v", old)
	}
	var me beifen.User
	b, _ := apiDo(t, "GET", s.URL+"/api/v1/me", u.token, nil, nil)
	json.Unmarshal(b, &me)
	ctx := context.Background()
	if _, err := s.PlaceHold(ctx, me.ID, "（2026）京01民初123号"); err != nil {
		t.Fatal(err)
	}
	del := fmt.Sprintf(`{"ids":[%d]}`, old[0].RecordID)
	if b, st := apiDo(t, "POST", s.URL+"/api/v1/me/items/delete", u.token, strings.NewReader(del), nil); st != http.StatusForbidden || !strings.Contains(string(b), "legal hold") {
		t.Fatalf("deleting under a legal hold: %d %s", st, b)
	}
	if err := s.LiftHold(ctx, me.ID); err != nil {
		t.Fatal(err)
	}
	if b, st := apiDo(t, "POST", s.URL+"/api/v1/me/items/delete", u.token, strings.NewReader(del), nil); st != 200 {
		t.Fatalf("delete: %d %s", st, b)
	}
	if f := files("1"); len(f) != 0 {
		t.Fatalf("snapshot 1 still holds the deleted photo: %v", f)
	}
	if f := files("2"); len(f) != 1 || f[0].Hash == old[0].Hash {
		t.Fatalf("the other photo of the same name went too: %v", f)
	}
	got, _ := apiDo(t, "GET", s.URL+"/api/v1/files/"+string(files("2")[0].Hash), u.token, nil, nil)
	if string(got) != second {
		t.Fatal("the other photo's content is gone")
	}
}

// TestDeleteItems_EditedContactVersionsGoToo: a card without a UID is stored again whenever it
// is edited; deleting the person deletes every version (same name, a number in common) from
// every snapshot, and nobody else.
func TestDeleteItems_EditedContactVersionsGoToo(t *testing.T) {
	s := MustRunMain(t, "")
	u := s.mustUIUser(t, "13800138076")
	other := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:李四\r\nTEL:13900002222\r\nEND:VCARD\r\n"
	for _, note := range []string{"TEL:13900001111\r\nNOTE:旧地址", "TEL:+86 139 0000 1111\r\nNOTE:新地址"} {
		vcf := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:张三\r\n" + note + "\r\nEND:VCARD\r\n" + other
		if resp := u.upload(map[string]string{"contacts.vcf": vcf}); resp.StatusCode != http.StatusCreated {
			t.Fatalf("upload: %d %s", resp.StatusCode, body(resp))
		}
	}
	page := body(u.get("/app/s/2/contacts"))
	ids := itemID.FindAllStringSubmatch(page, -1)
	if len(ids) != 2 || !strings.Contains(page, "新地址") && !strings.Contains(page, "张三") {
		t.Fatalf("contacts %v", ids)
	}
	// In code-point order 张 (U+5F20) comes before 李 (U+674E).
	if b, st := apiDo(t, "POST", s.URL+"/api/v1/me/items/delete", u.token, strings.NewReader(`{"ids":[`+ids[0][1]+`]}`), nil); st != 200 {
		t.Fatalf("delete: %d %s", st, b)
	}
	for _, snap := range []string{"1", "2"} {
		vc, _ := apiDo(t, "GET", s.URL+"/api/v1/snapshots/"+snap+"/contacts.vcf", u.token, nil, nil)
		if strings.Contains(string(vc), "张三") || !strings.Contains(string(vc), "李四") {
			t.Fatalf("snapshot %s after deleting 张三: %s", snap, vc)
		}
	}
}
