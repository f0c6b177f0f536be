package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beifen/beifen"
	main "github.com/beifen/beifen/cmd/beifen"
	beifenhttp "github.com/beifen/beifen/http"
)

// idNumber returns a GB 11643 ID number of region 110105 born on birth (YYYYMMDD), with its
// check character.
func idNumber(birth string) string {
	body := "110105" + birth + "002"
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	return body + string("10X98765432"[sum%11])
}

// verifier is a real-name verification service the test runs: it matches 张三 with any valid
// number, and remembers what it was sent.
type verifier struct {
	mu  sync.Mutex
	got []map[string]string
}

func (v *verifier) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer rn-token" {
		http.Error(w, "no", http.StatusUnauthorized)
		return
	}
	var m map[string]string
	json.NewDecoder(r.Body).Decode(&m)
	v.mu.Lock()
	v.got = append(v.got, m)
	v.mu.Unlock()
	json.NewEncoder(w).Encode(map[string]bool{"match": m["name"] == "张三"})
}

func (v *verifier) calls() []map[string]string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]map[string]string(nil), v.got...)
}

// mustRunRealName starts a server with the verification service v, requiring a real name for
// share links.
func mustRunRealName(t *testing.T, v *verifier) *Server {
	svc := httptest.NewServer(v)
	t.Cleanup(svc.Close)
	return MustRunMainConfig(t, "", func(c *main.Config) {
		c.RealNameURL, c.RealNameToken, c.RealNameProvider, c.RealNameFor = svc.URL, "rn-token", "某某实名核验", "share"
	})
}

func jsonBody(v any) *bytes.Reader {
	b, _ := json.Marshal(v)
	return bytes.NewReader(b)
}

// TestPolicy_1_1_2_RealNameOnlyWhereNeeded: real-name verification is asked for only by the
// feature the operator requires it for (share links), and everything else works without it. An
// ID number is checked (GB 11643) before anything leaves; verifying needs its own consent; the
// provider is a registered third party and each check is logged as a transfer; the name and
// number are kept sealed, never in the database or the log in the clear; withdrawing the
// verification, or the consent, deletes it and gates the feature again.
func TestPolicy_1_1_2_RealNameOnlyWhereNeeded(t *testing.T) {
	v := &verifier{}
	s := mustRunRealName(t, v)
	u := s.mustUIUser(t, "13800138201")
	adult := idNumber("19491231") // 11010519491231002X
	api := func(method, path string, body any) (string, int) {
		t.Helper()
		var b []byte
		var st int
		if body == nil {
			b, st = apiDo(t, method, s.URL+path, u.token, nil, nil)
		} else {
			b, st = apiDo(t, method, s.URL+path, u.token, jsonBody(body), nil)
		}
		return string(b), st
	}
	wantError := func(got string, st, wantStatus int, wantMsg string) {
		t.Helper()
		var e struct{ Error, Code string }
		json.Unmarshal([]byte(got), &e)
		if st != wantStatus || e.Error != wantMsg {
			t.Fatalf("got %d %s, want %d %q", st, got, wantStatus, wantMsg)
		}
	}

	// The provider is in the published registry, with what it receives.
	if page := body((&uiClient{tb: t, base: s.URL, lang: "zh-CN"}).get("/privacy/third-parties")); !strings.Contains(page, "某某实名核验") || !strings.Contains(page, "身份证号") {
		t.Fatal("the registry lacks the verification service")
	}
	if got, st := api("GET", "/api/v1/me/realname", nil); st != 200 || !strings.Contains(got, `"verified":false`) || !strings.Contains(got, `"required":["share"]`) {
		t.Fatalf("status before: %d %s", st, got)
	}

	// Unverified, the user backs up and browses as ever; only sharing is refused, saying why.
	if resp := u.upload(map[string]string{"contacts.vcf": "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:王小明\r\nTEL:+8613912345678\r\nEND:VCARD\r\n"}); resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload unverified: %d", resp.StatusCode)
	}
	for _, path := range []string{"/api/v1/snapshots", "/api/v1/me", "/api/v1/me/consents"} {
		if st := get(t, s.URL+path, u.token); st != 200 {
			t.Fatalf("GET %s unverified: %d", path, st)
		}
	}
	if st := get(t, s.URL+"/app/s/1/contacts", u.token); st != 200 {
		t.Fatalf("contacts page unverified: %d", st)
	}
	share := func() *http.Response { return u.post("/app/s/1/contacts/share", url.Values{"pos": {"0"}}) }
	if resp := share(); resp.StatusCode != http.StatusForbidden || !strings.Contains(body(resp), "此功能需要实名认证") {
		t.Fatalf("share unverified: %d, want 403 asking to verify", resp.StatusCode)
	}

	// A wrong check character is refused precisely, before any consent or provider is asked.
	bad := adult[:17] + "1"
	got, st := api("POST", "/api/v1/me/realname", map[string]string{"name": "张三", "id_number": bad})
	wantError(got, st, 400, "The ID number's check character is wrong.")
	// Without the separate consent, nothing is sent.
	got, st = api("POST", "/api/v1/me/realname", map[string]string{"name": "张三", "id_number": adult})
	wantError(got, st, 403, "Consent to real-name verification first, in the privacy centre.")
	if n := len(v.calls()); n != 0 {
		t.Fatalf("the provider was asked %d times before consent", n)
	}

	if _, st := api("PUT", "/api/v1/me/consents/realname", map[string]bool{"granted": true}); st != 200 {
		t.Fatalf("consent: %d", st)
	}
	got, st = api("POST", "/api/v1/me/realname", map[string]string{"name": "李四", "id_number": adult})
	wantError(got, st, 400, "The name, ID number and phone number do not match the operator's records.")
	got, st = api("POST", "/api/v1/me/realname", map[string]string{"name": "张三", "id_number": strings.ToLower(adult)})
	if st != 201 || !strings.Contains(got, `"verified":true`) || !strings.Contains(got, `"name":"张*"`) || !strings.Contains(got, `"id_number":"110105**********2X"`) {
		t.Fatalf("verify: %d %s", st, got)
	}
	calls := v.calls()
	if len(calls) != 2 || calls[1]["id_number"] != adult || calls[1]["phone"] != "+8613800138201" {
		t.Fatalf("the provider got %v", calls)
	}
	// Each check went out logged against the registered provider.
	counts, err := s.Store.Transfers.CountTransfers(context.Background(), time.Time{})
	if err != nil || counts["realname"] != 2 {
		t.Fatalf("transfers %v, %v; want 2 to realname", counts, err)
	}
	page := body(u.get("/privacy"))
	if i := strings.Index(page, `id="transfers"`); i < 0 || !strings.Contains(page[i:i+600], "某某实名核验") {
		t.Fatal("the user does not see the transfer to the verification service")
	}
	if !strings.Contains(page, `id="realname-verified"`) || !strings.Contains(page, "张*") || strings.Contains(page, adult) {
		t.Fatal("the privacy centre does not show the masked verification")
	}

	// Verified, sharing works.
	if resp := share(); resp.StatusCode != http.StatusCreated {
		t.Fatalf("share verified: %d", resp.StatusCode)
	}

	// Withdrawing deletes it and gates sharing again; withdrawing the consent does the same.
	if _, st := api("DELETE", "/api/v1/me/realname", nil); st != 204 {
		t.Fatalf("withdraw: %d", st)
	}
	if resp := share(); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("share after withdrawal: %d", resp.StatusCode)
	}
	got, st = api("DELETE", "/api/v1/me/realname", nil)
	wantError(got, st, 404, "Real name not verified.")
	api("POST", "/api/v1/me/realname", map[string]string{"name": "张三", "id_number": adult})
	if _, st := api("PUT", "/api/v1/me/consents/realname", map[string]bool{"granted": false}); st != 200 {
		t.Fatalf("withdraw consent: %d", st)
	}
	if got, _ := api("GET", "/api/v1/me/realname", nil); !strings.Contains(got, `"verified":false`) {
		t.Fatalf("verification kept after the consent ended: %s", got)
	}

	// Nothing readable in the log or the database.
	for _, secret := range []string{"张三", adult, bad} {
		if strings.Contains(s.Log.String(), secret) {
			t.Fatalf("the log holds %q", secret)
		}
	}
	api("PUT", "/api/v1/me/consents/realname", map[string]bool{"granted": true})
	api("POST", "/api/v1/me/realname", map[string]string{"name": "张三", "id_number": adult})
	s.Close()
	for _, secret := range []string{"张三", adult, "19491231"} {
		mustNotStorePlain(t, s, secret)
	}
}

// TestPolicy_1_1_2_RealNameNotConfigured: a server without a verification service requires it for
// nothing, shares as ever, and says clearly that verification is not available.
func TestPolicy_1_1_2_RealNameNotConfigured(t *testing.T) {
	s := MustRunMain(t, "")
	u := s.mustUIUser(t, "13800138202")
	u.upload(map[string]string{"contacts.vcf": "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:王小明\r\nTEL:+8613912345678\r\nEND:VCARD\r\n"})
	if resp := u.post("/app/s/1/contacts/share", url.Values{"pos": {"0"}}); resp.StatusCode != http.StatusCreated {
		t.Fatalf("share without a requirement: %d", resp.StatusCode)
	}
	apiDo(t, "PUT", s.URL+"/api/v1/me/consents/realname", u.token, jsonBody(map[string]bool{"granted": true}), nil)
	b, st := apiDo(t, "POST", s.URL+"/api/v1/me/realname", u.token, jsonBody(map[string]string{"name": "张三", "id_number": idNumber("19491231")}), nil)
	if st != 403 || !strings.Contains(string(b), "Real-name verification is not configured on this server.") {
		t.Fatalf("verify without a provider: %d %s", st, b)
	}
	// An unknown feature is a configuration mistake: the server does not start.
	m := main.NewMain()
	m.Config.DataDir, m.Config.Addr, m.Config.RealNameFor = t.TempDir(), "127.0.0.1:0", "share,dating"
	err := m.Run(context.Background())
	m.Close()
	if beifen.ErrorMessage(err) != `Unknown real-name feature "dating".` {
		t.Fatalf("start with an unknown feature: %v", err)
	}
}

// TestPolicy_7_1_ChildrenUnder14NeedGuardianForOptionalPurposes: the age of a verified ID number
// overrides a self-entered birthday; a child under 14 cannot turn optional purposes on (nor
// consent to verification) alone, only a guardian confirmed by the code texted to them can; the
// child may always withdraw.
func TestPolicy_7_1_ChildrenUnder14NeedGuardianForOptionalPurposes(t *testing.T) {
	v := &verifier{}
	s := mustRunRealName(t, v)
	tok := s.MustCreateUser(t, "13800138203", "")
	api := func(method, path string, body any) (string, int) {
		t.Helper()
		b, st := apiDo(t, method, s.URL+path, tok, jsonBody(body), nil)
		return string(b), st
	}
	if _, st := api("POST", "/api/v1/me/policy", map[string]string{"version": "1"}); st/100 != 2 {
		t.Fatalf("accept policy: %d", st)
	}
	// An adult by the birthday they typed: they consent themselves.
	api("PUT", "/api/v1/me/profile", map[string]string{"birthday": "1990-01-01"})
	if _, st := api("PUT", "/api/v1/me/consents/realname", map[string]bool{"granted": true}); st != 200 {
		t.Fatalf("adult consent: %d", st)
	}
	// The ID number says ten: their own consent does not count.
	child := idNumber(time.Now().AddDate(-10, 0, 0).Format("20060102"))
	got, st := api("POST", "/api/v1/me/realname", map[string]string{"name": "张三", "id_number": child})
	if st != 403 || !strings.Contains(got, "Children under 14 need a guardian's consent to real-name verification.") {
		t.Fatalf("a child verifying on their own consent: %d %s", st, got)
	}
	// A code a minute: each guardian decision comes later than the last.
	var later time.Duration
	guardian := func(purpose string, granted bool, code string) (string, int) {
		t.Helper()
		if code == "" {
			later += 2 * time.Minute
			s.Auth.Now = func() time.Time { return time.Now().Add(later) }
			if _, st := api("POST", "/api/v1/me/guardian", map[string]string{"phone": "13900139203"}); st != 204 {
				t.Fatalf("guardian code: %d", st)
			}
			code = lastCode(t, s)
		}
		return api("PUT", "/api/v1/me/consents/"+purpose+"/guardian", map[string]any{"phone": "13900139203", "code": code, "granted": granted})
	}
	if got, st := guardian("realname", true, ""); st != 200 {
		t.Fatalf("guardian consent: %d %s", st, got)
	}
	if got, st := api("POST", "/api/v1/me/realname", map[string]string{"name": "张三", "id_number": child}); st != 201 {
		t.Fatalf("verify with the guardian's consent: %d %s", st, got)
	}
	// Now ten by the ID number, not 36 by the typed birthday: a minor without a guardian's
	// consent to keep data, and a child for consents.
	phone := mustGenerate(t, 13)
	if _, err := runCLI(t, clientEnv(s, tok), "backup", phone); err == nil {
		t.Fatal("a minor by ID number backed up without a guardian's consent")
	}
	got, st = api("PUT", "/api/v1/me/consents/marketing", map[string]bool{"granted": true})
	if st != 403 || !strings.Contains(got, "Users under 14 cannot turn this on themselves") {
		t.Fatalf("a child granting marketing: %d %s", st, got)
	}
	if got, st := guardian("marketing", true, "000000"); st != 401 {
		t.Fatalf("a wrong guardian code: %d %s", st, got)
	}
	got, st = guardian("marketing", true, "")
	if st != 200 || !strings.Contains(got, `{"purpose":"marketing","required":false,"basis":"consent","granted":true}`) || !strings.Contains(got, `"by_guardian":true`) {
		t.Fatalf("guardian grants marketing: %d %s", st, got)
	}
	got, st = api("PUT", "/api/v1/me/consents/marketing", map[string]bool{"granted": false})
	if st != 200 || !strings.Contains(got, `{"purpose":"marketing","required":false,"basis":"consent","granted":false}`) {
		t.Fatalf("the child withdraws: %d %s", st, got)
	}
	// The withdrawn verification gives the typed birthday back.
	api("DELETE", "/api/v1/me/realname", nil)
	if _, st := api("PUT", "/api/v1/me/consents/location", map[string]bool{"granted": true}); st != 200 {
		t.Fatalf("an adult again by the typed birthday: %d", st)
	}
	// Typing a child's birthday withdraws what they turned on alone, for every reader of the ledger.
	api("PUT", "/api/v1/me/profile", map[string]string{"birthday": time.Now().AddDate(-12, 0, 0).Format("2006-01-02")})
	got, _ = api("GET", "/api/v1/me/consents", nil)
	var consents beifenhttp.ConsentsResponse
	json.Unmarshal([]byte(got), &consents)
	last := consents.Ledger[len(consents.Ledger)-1]
	if last.Purpose != beifen.PurposeLocation || last.Granted || last.ByGuardian || strings.Contains(got, `"purpose":"location","required":false,"basis":"consent","granted":true`) {
		t.Fatalf("a child's own grant stayed: %s", got)
	}
	// Nor can a child sign up for a partner's activity, which gives the partner their number.
	a := &beifen.Activity{Title: "双十二", Description: "报名送空间", Partner: "某某电商", EndsAt: time.Now().Add(24 * time.Hour)}
	if err := s.CreateActivity(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	kid := &uiClient{tb: t, base: s.URL, token: tok, lang: "en"}
	if resp := kid.post("/activities/"+strconv.FormatInt(a.ID, 10), url.Values{"consent": {"1"}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a child signed up for an activity: %d", resp.StatusCode)
	}
}
