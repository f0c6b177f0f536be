package main_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beifen/beifen"
	beifenhttp "github.com/beifen/beifen/http"
)

// TestPolicy_6_4_AccountDeletionIsIrreversible: the owner re-verifies with an SMS code, can
// cancel during the cooling-off period, and then everything of the account is erased: backups,
// blobs, tokens and the data key; the number can sign up again as a new, empty account.
func TestPolicy_6_4_AccountDeletionIsIrreversible(t *testing.T) {
	s := MustRunMain(t, "")
	clock := time.Now()
	s.Auth.Now = func() time.Time { return clock }
	phone := "13800138000"
	env := clientEnv(s, s.MustCreateUser(t, phone, "李雷"))
	tok := env["BEIFEN_TOKEN"]
	mustBackup(t, env, mustGenerate(t, 11))
	blobFiles := func() int {
		n := 0
		filepath.WalkDir(filepath.Join(s.Config.DataDir, "blobs"), func(p string, e fs.DirEntry, err error) error {
			if err == nil && !e.IsDir() {
				n++
			}
			return err
		})
		return n
	}
	if blobFiles() == 0 {
		t.Fatal("the backup stored no blobs")
	}
	if _, st := apiDo(t, "POST", s.URL+"/api/v1/me/deletion", tok, strings.NewReader(`{"code":"000000"}`), nil); st != 401 {
		t.Fatalf("deletion without a valid code: %d, want 401", st)
	}
	request := func() time.Time {
		post(t, s.URL+"/api/v1/auth/code", map[string]string{"phone": phone})
		b, st := apiDo(t, "POST", s.URL+"/api/v1/me/deletion", tok, strings.NewReader(`{"code":"`+lastCode(t, s)+`"}`), nil)
		var r beifenhttp.DeletionResponse
		json.Unmarshal(b, &r)
		if st != 202 {
			t.Fatalf("deletion request: %d %s", st, b)
		}
		return r.EraseAfter
	}
	at := request()
	if d := at.Sub(clock); d < 15*24*time.Hour-time.Minute || d > 15*24*time.Hour+time.Minute {
		t.Fatalf("deletion takes effect in %v, want the 15-day cooling-off", d)
	}
	if _, st := apiDo(t, "DELETE", s.URL+"/api/v1/me/deletion", tok, nil, nil); st != 204 {
		t.Fatalf("cancel: %d", st)
	}
	ctx := context.Background()
	if r, _ := s.EraseDue(ctx, clock.Add(30*24*time.Hour)); len(r) != 0 {
		t.Fatal("a cancelled deletion went ahead")
	}
	clock = clock.Add(2 * time.Minute)
	request()
	if r, _ := s.EraseDue(ctx, clock.Add(14*24*time.Hour)); len(r) != 0 {
		t.Fatal("the account was erased during its cooling-off period")
	}
	receipts, err := s.EraseDue(ctx, clock.Add(15*24*time.Hour+time.Hour))
	if err != nil || len(receipts) != 1 || receipts[0].Blobs == 0 || receipts[0].Records == 0 {
		t.Fatalf("erase: %+v, %v", receipts, err)
	}
	if st := get(t, s.URL+"/api/v1/snapshots", tok); st != 401 {
		t.Fatalf("the erased account's token still works: %d", st)
	}
	if n := blobFiles(); n != 0 {
		t.Fatalf("%d blob files left after erasing", n)
	}
	// The number signs up again as a new, empty account.
	fresh := clientEnv(s, s.MustCreateUser(t, phone, ""))
	snaps, _, err := beifenhttp.NewClient(s.URL, fresh["BEIFEN_TOKEN"]).FindSnapshots(ctx, beifen.SnapshotFilter{})
	if err != nil || len(snaps) != 0 {
		t.Fatalf("the new account sees %d snapshots, %v", len(snaps), err)
	}
	// An operator erases at once.
	out := mustCLI(t, nil, "user", "erase", "--data", s.Config.DataDir, "--phone", phone)
	var r struct {
		UserID int64 `json:"user_id"`
	}
	if json.Unmarshal([]byte(out), &r); r.UserID == 0 {
		t.Fatalf("user erase printed %q, want a receipt", out)
	}
	if _, err := runCLI(t, nil, "user", "erase", "--data", s.Config.DataDir, "--phone", phone); err == nil {
		t.Fatal("erasing an erased number succeeded")
	}
}
