package main_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beifen/beifen"
	main "github.com/beifen/beifen/cmd/beifen"
)

// TestPolicy_1_2_2a_DeviceAndSecurityLogs: each sign-in records the device (browser or app and
// its system, the command line with its version) and the network only as a keyed hash: the
// address is nowhere in the database. The security log is kept for a year (the law asks for six
// months) and the hourly job removes what is older.
func TestPolicy_1_2_2a_DeviceAndSecurityLogs(t *testing.T) {
	s := MustRunMainConfig(t, "", func(c *main.Config) { c.TrustProxy = true })
	texts := &smsRecorder{}
	s.Auth.SMS = texts
	var skew time.Duration
	s.Auth.Now = func() time.Time { return time.Now().Add(skew) }
	phone := "13800138131"
	signIn := func(ua, addr string) {
		t.Helper()
		skew += time.Minute + time.Second
		apiDo(t, "POST", s.URL+"/api/v1/auth/code", "", strings.NewReader(`{"phone":"`+phone+`"}`), map[string]string{"User-Agent": ua, "X-Forwarded-For": addr})
		list := texts.texts()
		code := textCode(t, list[len(list)-1])
		if _, st := apiDo(t, "POST", s.URL+"/api/v1/auth/signin", "", strings.NewReader(`{"phone":"`+phone+`","code":"`+code+`"}`),
			map[string]string{"User-Agent": ua, "X-Forwarded-For": addr}); st != 200 {
			t.Fatalf("sign in: %d", st)
		}
	}
	signIn("Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1", "192.0.2.44")
	signIn("beifen/1.4.2", "2001:db8:1234:5678::9")
	ctx := context.Background()
	u := mustUser(t, s, "+8613800138131")
	list, err := s.Store.SignIns.FindSignIns(ctx, u.ID, 10)
	if err != nil || len(list) != 2 || list[0].Device != "beifen CLI 1.4.2" || list[1].Device != "Safari on iPhone" || len(list[0].Network) != 32 {
		t.Fatalf("sign-ins %+v, %v", list, err)
	}
	s.Close() // flush the WAL into the file before reading it
	for _, name := range []string{"beifen.db", "beifen.db-wal"} {
		b, _ := os.ReadFile(filepath.Join(s.Config.DataDir, name))
		for _, addr := range []string{"192.0.2", "2001:db8", "192.0.2.44"} {
			if bytes.Contains(b, []byte(addr)) {
				t.Fatalf("%s holds the address %s", name, addr)
			}
		}
	}
	s = MustRunMain(t, s.Config.DataDir)
	old := &beifen.SignIn{UserID: u.ID, At: time.Now().Add(-400 * 24 * time.Hour), Method: "code", Device: "Chrome on Android"}
	kept := &beifen.SignIn{UserID: u.ID, At: time.Now().Add(-200 * 24 * time.Hour), Method: "code", Device: "Chrome on Android"}
	for _, in := range []*beifen.SignIn{old, kept} {
		if err := s.Store.SignIns.AddSignIn(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	if run := s.RunJobsOnce(ctx); run.SignIns != 1 || run.Failed != "" {
		t.Fatalf("jobs %+v", run)
	}
	if list, _ := s.Store.SignIns.FindSignIns(ctx, u.ID, 10); len(list) != 3 {
		t.Fatalf("after retention %d sign-ins, want the two new and the 200-day-old one", len(list))
	}
}
