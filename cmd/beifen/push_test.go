package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beifen/beifen"
	main "github.com/beifen/beifen/cmd/beifen"
)

// pushAPI is a push service the test runs, in front of the phone makers' own: it remembers each
// push as "maker|token|title|body".
type pushAPI struct {
	mu  sync.Mutex
	got []string
}

func (p *pushAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer push-secret" {
		http.Error(w, "no", http.StatusUnauthorized)
		return
	}
	var m map[string]string
	json.NewDecoder(r.Body).Decode(&m)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.got = append(p.got, m["maker"]+"|"+m["token"]+"|"+m["title"]+"|"+m["body"])
}

func (p *pushAPI) pushes() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.got...)
}

// sessionSignIn signs in with a texted code as a browser session and returns its token.
func sessionSignIn(t *testing.T, s *Server, phone string) string {
	t.Helper()
	post(t, s.URL+"/api/v1/auth/code", map[string]string{"phone": phone})
	st, out := post(t, s.URL+"/api/v1/auth/signin", map[string]string{"phone": phone, "code": lastCode(t, s), "kind": "session"})
	if st != 200 {
		t.Fatalf("sign in: %d %v", st, out)
	}
	return out["token"].(string)
}

func registerPush(t *testing.T, s *Server, tok, maker, token string) ([]byte, int) {
	t.Helper()
	return apiDo(t, "PUT", s.URL+"/api/v1/me/devices/push", tok, strings.NewReader(`{"maker":"`+maker+`","token":"`+token+`"}`), nil)
}

func pushDevices(t *testing.T, s *Server, tok string) []map[string]any {
	t.Helper()
	b, st := apiDo(t, "GET", s.URL+"/api/v1/me/devices/push", tok, nil, nil)
	var out struct{ Devices []map[string]any }
	if err := json.Unmarshal(b, &out); err != nil || st != 200 {
		t.Fatalf("list devices: %d %s", st, b)
	}
	return out.Devices
}

// TestPolicy_3_1_2e_PushTokensGoWithTheDevice: push is off by default and then takes no token;
// configured, a signed-in device registers its maker's push token, which is kept only sealed and
// tied to that session; service and incident notices, and marketing (with its opt-out line, for
// those who consented), are pushed to it through a registered third party, each push a logged
// transfer; signing the device out or revoking its session deletes the token and stops the
// pushes; erasing the account leaves none.
func TestPolicy_3_1_2e_PushTokensGoWithTheDevice(t *testing.T) {
	t.Run("OffByDefault", func(t *testing.T) {
		s := MustRunMain(t, "")
		tok := s.MustCreateUser(t, "13800138100", "")
		if b, st := registerPush(t, s, tok, "huawei", "hw-1"); st != http.StatusForbidden || !strings.Contains(string(b), "not configured") {
			t.Fatalf("register while push is off: %d %s, want 403", st, b)
		}
	})

	api := &pushAPI{}
	svc := httptest.NewServer(api)
	t.Cleanup(svc.Close)
	s := MustRunMainConfig(t, "", func(c *main.Config) {
		c.PushURL, c.PushToken, c.PushProvider = svc.URL, "push-secret", "某某推送"
		c.Operators = []string{"13600136000"}
	})
	clock := time.Now()
	s.Auth.Now = func() time.Time { return clock }
	ctx := context.Background()
	op := s.mustUIUser(t, "13600136000")
	notice := func(kind, title string) {
		t.Helper()
		resp := op.post("/ops/notices", url.Values{"kind": {kind}, "title": {title}, "body": {"今晚 23:00 维护"}})
		if page := body(resp); resp.StatusCode != 200 {
			t.Fatalf("send notice: %d %.300s", resp.StatusCode, page)
		}
	}
	phone := "13800138101"
	phoneSession := sessionSignIn(t, s, phone)
	clock = clock.Add(2 * time.Minute)
	laptop := sessionSignIn(t, s, phone)

	t.Run("Register", func(t *testing.T) {
		if b, st := registerPush(t, s, phoneSession, "nokia", "x"); st != http.StatusBadRequest || !strings.Contains(string(b), "huawei") {
			t.Fatalf("an unknown maker: %d %s, want 400", st, b)
		}
		if b, st := registerPush(t, s, phoneSession, "huawei", "hw-token-101"); st != 200 || strings.Contains(string(b), "hw-token-101") {
			t.Fatalf("register: %d %s", st, b)
		}
		list := pushDevices(t, s, laptop)
		if len(list) != 1 || list[0]["maker"] != "huawei" {
			t.Fatalf("devices %v, want the phone's", list)
		}
		other := s.MustCreateUser(t, "13800138102", "")
		if got := pushDevices(t, s, other); len(got) != 0 {
			t.Fatalf("another user sees devices %v", got)
		}
		id := int64(list[0]["id"].(float64))
		octx := beifen.NewContextWithUser(ctx, mustUser(t, s, "+8613800138102"))
		if _, err := s.Store.Pushes.FindPushDeviceByID(octx, id); err == nil || !strings.Contains(err.Error(), "not found") {
			t.Fatalf("another user's read of the device: %v, want not found", err)
		}
		mustNotStorePlain(t, s, "hw-token-101")
	})
	t.Run("ServiceNoticeIsPushed", func(t *testing.T) {
		notice("service", "维护通知")
		got := api.pushes()
		if len(got) != 1 || got[0] != "huawei|hw-token-101|维护通知|今晚 23:00 维护" {
			t.Fatalf("pushes %q, want the notice on the phone", got)
		}
		notice("marketing", "会员活动")
		if n := len(api.pushes()); n != 1 {
			t.Fatalf("%d pushes, want no marketing push without consent", n)
		}
		(&uiClient{tb: t, base: s.URL, token: laptop, lang: "zh-CN"}).setConsent("marketing", true)
		notice("marketing", "会员活动")
		if got := api.pushes(); len(got) != 2 || !strings.HasSuffix(got[1], beifen.PushOptOutLine) {
			t.Fatalf("pushes %q, want the marketing push with its opt-out line", got)
		}
		op.post("/ops/incidents", url.Values{"title": {"备份磁盘遗失"}, "body": {"磁盘上的数据已加密。"},
			"detected_at": {time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02T15:04")}, "severity": {"larger"}})
		incidents, _ := s.Support.Incidents(ctx)
		if resp := op.post("/ops/incidents/"+itoa(incidents[0].ID)+"/notify", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("notify: %d", resp.StatusCode)
		}
		if got := api.pushes(); len(got) != 3 || !strings.HasPrefix(got[2], "huawei|hw-token-101|安全事件通知|备份磁盘遗失") {
			t.Fatalf("pushes %q, want the incident notice", got)
		}
		list, _ := s.Store.Transfers.FindTransfers(ctx, s.Auth.PhoneHash("+8613800138101"), 10)
		if len(list) != 3 || list[0].Party != "push" {
			t.Fatalf("transfers %+v, want the push logged", list)
		}
		resp, _ := http.Get(s.URL + "/api/v1/third-parties")
		if b := body(resp); !strings.Contains(b, `"id":"push"`) || !strings.Contains(b, "某某推送") {
			t.Fatalf("third parties %s, want the push service", b)
		}
	})
	t.Run("SignOutDeletesTheToken", func(t *testing.T) {
		if _, st := apiDo(t, "POST", s.URL+"/api/v1/auth/signout", phoneSession, nil, nil); st != 204 {
			t.Fatalf("sign out: %d", st)
		}
		if list := pushDevices(t, s, laptop); len(list) != 0 {
			t.Fatalf("devices after sign-out %v, want none", list)
		}
		notice("service", "二次通知")
		if n := len(api.pushes()); n != 3 {
			t.Fatalf("%d pushes, want none to a signed-out device", n)
		}
	})
	t.Run("RevokeDeletesTheToken", func(t *testing.T) {
		clock = clock.Add(2 * time.Minute)
		tablet := sessionSignIn(t, s, phone)
		registerPush(t, s, tablet, "xiaomi", "mi-token-101")
		list := pushDevices(t, s, laptop)
		if len(list) != 1 {
			t.Fatalf("devices %v", list)
		}
		sid := strconv.FormatInt(int64(list[0]["session_id"].(float64)), 10)
		if _, st := apiDo(t, "DELETE", s.URL+"/api/v1/me/sessions/"+sid, laptop, nil, nil); st != 204 {
			t.Fatalf("revoke: %d", st)
		}
		if list := pushDevices(t, s, laptop); len(list) != 0 {
			t.Fatalf("devices after revoking %v, want none", list)
		}
	})
	t.Run("ErasureLeavesNone", func(t *testing.T) {
		registerPush(t, s, laptop, "oppo", "oppo-token-101")
		clock = clock.Add(2 * time.Minute)
		post(t, s.URL+"/api/v1/auth/code", map[string]string{"phone": phone})
		if b, st := apiDo(t, "POST", s.URL+"/api/v1/me/deletion", laptop, strings.NewReader(`{"code":"`+lastCode(t, s)+`"}`), nil); st != 202 {
			t.Fatalf("deletion request: %d %s", st, b)
		}
		u, err := s.Store.Users.FindUserByPhoneHash(ctx, s.Auth.PhoneHash("+8613800138101"))
		if err != nil {
			t.Fatal(err)
		}
		if r, err := s.EraseDue(ctx, clock.Add(16*24*time.Hour)); err != nil || len(r) != 1 {
			t.Fatalf("EraseDue=%v, %v", r, err)
		}
		if list, err := s.Store.Pushes.FindPushDevices(ctx, u.ID); err != nil || len(list) != 0 {
			t.Fatalf("devices after erasure %v, %v, want none", list, err)
		}
		before := len(api.pushes())
		notice("service", "三次通知")
		if n := len(api.pushes()); n != before {
			t.Fatalf("pushes after erasure: %q", api.pushes()[before:])
		}
	})
	for _, secret := range []string{"hw-token-101", "mi-token-101", "oppo-token-101", "13800138101"} {
		if strings.Contains(s.Log.String(), secret) {
			t.Errorf("the log holds %q", secret)
		}
	}
}

// mustNotStorePlain fails if any file of the data folder holds secret in the clear.
func mustNotStorePlain(t *testing.T, s *Server, secret string) {
	t.Helper()
	for p, b := range dataFiles(t, s.Config.DataDir) {
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("%s holds %q in the clear", filepath.Base(p), secret)
		}
	}
}
