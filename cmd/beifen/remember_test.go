package main_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// complaintForm posts the complaint form as the browser does; draft saves instead of sending.
func (c *uiClient) complaintForm(text string, draft bool) *http.Response {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("text", text)
	if draft {
		mw.WriteField("draft", "1")
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+"/privacy/complaints", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// TestPolicy_2_2_RecentSearchesAndDrafts: the last ten searches and an unsent complaint are kept
// for their user alone, sealed (not readable in the database), offered back in the page, and
// cleared with one button; a sent complaint's draft goes by itself.
func TestPolicy_2_2_RecentSearchesAndDrafts(t *testing.T) {
	s := MustRunMain(t, "")
	u, other := s.mustUIUser(t, "13800138151"), s.mustUIUser(t, "13800138152")
	if resp := u.upload(map[string]string{"contacts.vcf": "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:王小明\r\nTEL:+8613912345678\r\nEND:VCARD\r\n"}); resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %d", resp.StatusCode)
	}
	for i := 0; i < 11; i++ {
		u.get(fmt.Sprintf("/app/s/1/contacts?q=%s", "独特查询"+fmt.Sprint(i)))
	}
	page := body(u.get("/app/s/1/contacts"))
	if !strings.Contains(page, `<option value="独特查询10">`) || strings.Contains(page, `"独特查询0"`) || strings.Count(page, "<option value=") != 10 {
		t.Fatalf("recent searches: %s", page[strings.Index(page, "<datalist"):][:400])
	}
	if strings.Index(page, "独特查询10") > strings.Index(page, "独特查询9") {
		t.Fatal("the newest search is not first")
	}
	if resp := other.upload(map[string]string{"contacts.vcf": "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:李雷\r\nEND:VCARD\r\n"}); resp.StatusCode != http.StatusCreated {
		t.Fatal("other upload")
	}
	if strings.Contains(body(other.get("/app/s/2/contacts")), "独特查询") {
		t.Fatal("another user sees the searches")
	}
	if resp := u.complaintForm("照片顺序乱了，草稿先存着", true); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save draft: %d", resp.StatusCode)
	}
	if !strings.Contains(body(u.get("/privacy/complaints")), ">照片顺序乱了，草稿先存着</textarea>") {
		t.Fatal("the draft is not offered back")
	}
	s.Close()
	for _, name := range []string{"beifen.db", "beifen.db-wal"} {
		b, _ := os.ReadFile(filepath.Join(s.Config.DataDir, name))
		if bytes.Contains(b, []byte("独特查询")) || bytes.Contains(b, []byte("草稿先存着")) {
			t.Fatalf("%s holds a search or a draft in the clear", name)
		}
	}
	s = MustRunMain(t, s.Config.DataDir)
	u.base = s.URL
	if resp := u.post("/privacy/remembered/clear", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("clear: %d", resp.StatusCode)
	}
	if strings.Contains(body(u.get("/app/s/1/contacts")), "独特查询") || strings.Contains(body(u.get("/privacy/complaints")), "草稿先存着") {
		t.Fatal("cleared searches or drafts are still offered")
	}
	u.complaintForm("又一份草稿", true)
	if resp := u.complaintForm("又一份草稿，现在发送", false); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("send: %d", resp.StatusCode)
	}
	if strings.Contains(body(u.get("/privacy/complaints")), ">又一份草稿</textarea>") {
		t.Fatal("a sent complaint's draft stayed")
	}
}
