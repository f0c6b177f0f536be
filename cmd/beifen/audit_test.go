package main_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/audit"
	beifenhttp "github.com/beifen/beifen/http"
)

// TestPolicy_5a_AuditLogTamperEvident: every access to personal data (a number revealed for
// dialling, a report exported) lands in the team's audit log with who, what and when; staff may
// not read it; and an entry edited in the database is detected.
func TestPolicy_5a_AuditLogTamperEvident(t *testing.T) {
	s := MustRunMain(t, "")
	team, admin := mustTeam(t, s, beifen.RoleAdmin, "13911110000")
	mustImport(t, admin, mustLeadFile(t, 2))
	staff := mustStaff(t, s, team, 1)[0]
	task := lastInt(t, mustCLI(t, admin, "task", "create", "--name", "审计", "--window", "00:00-24:00"))
	ctx := context.Background()
	d, err := staff.NextLead(ctx, task)
	if err != nil || d == nil {
		t.Fatal(err)
	}
	mustCLI(t, admin, "report", "--task", itoa(task), "--out", filepath.Join(t.TempDir(), "r.csv"))

	b, st := apiDo(t, "GET", s.URL+"/api/v1/audit", admin["BEIFEN_TOKEN"], nil, nil)
	var log beifenhttp.AuditResponse
	json.Unmarshal(b, &log)
	if st != 200 || len(log.Events) != 3 {
		t.Fatalf("audit log %d: %+v, want the import, the dial and the export", st, log.Events)
	}
	want := []struct{ action, object string }{{"leads.import", ""}, {"lead.dial", "lead:" + itoa(d.LeadID)}, {"report.export", "task:" + itoa(task)}}
	for i, e := range log.Events {
		if e.Action != want[i].action || (want[i].object != "" && e.Object != want[i].object) || e.ActorID == 0 || e.At.IsZero() {
			t.Fatalf("event %d: %+v, want %s %s", i, e, want[i].action, want[i].object)
		}
	}
	if _, st := apiDo(t, "GET", s.URL+"/api/v1/audit", staff.Token, nil, nil); st != 403 {
		t.Fatalf("staff read the audit log: %d", st)
	}
	verify := func() beifenhttp.VerifyResponse {
		b, _ := apiDo(t, "GET", s.URL+"/api/v1/audit/verify", admin["BEIFEN_TOKEN"], nil, nil)
		var v beifenhttp.VerifyResponse
		json.Unmarshal(b, &v)
		return v
	}
	if v := verify(); !v.Whole || v.Entries != 3 {
		t.Fatalf("verify %+v, want a whole chain of 3", v)
	}
	// Each entry comes with a proof that it is in the signed log, which the reader checks
	// with the verifier key alone; a proof for a changed entry fails, and another scope's
	// entry reads as not found.
	b, st = apiDo(t, "GET", fmt.Sprintf("%s/api/v1/audit/%d/proof", s.URL, log.Events[1].ID), admin["BEIFEN_TOKEN"], nil, nil)
	var proof audit.Proof
	if err := json.Unmarshal(b, &proof); st != 200 || err != nil {
		t.Fatalf("proof: %d %s", st, b)
	}
	if err := audit.CheckProof(&proof, proof.VerifierKey); err != nil {
		t.Fatalf("the proof does not check: %v", err)
	}
	proof.Entry.Object = "lead:999"
	if err := audit.CheckProof(&proof, proof.VerifierKey); err == nil {
		t.Fatal("a proof of a changed entry checked")
	}
	other := s.MustCreateUser(t, "13800138079", "")
	if _, st := apiDo(t, "GET", fmt.Sprintf("%s/api/v1/audit/%d/proof", s.URL, log.Events[1].ID), other, nil, nil); st != 404 {
		t.Fatalf("another account's proof: %d", st)
	}
	// Someone with the database file rewrites who was dialled.
	db, err := sql.Open("sqlite", filepath.Join(s.Config.DataDir, "beifen.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE audit SET object = 'lead:999' WHERE id = ?`, log.Events[1].ID); err != nil {
		t.Fatal(err)
	}
	if v := verify(); v.Whole || v.Broken != log.Events[1].ID {
		t.Fatalf("verify after tampering %+v, want broken at %d", v, log.Events[1].ID)
	}
	// The operator's command finds it too, names the entry and exits 1.
	out, err := runCLI(t, nil, "audit", "verify", "--data", s.Config.DataDir)
	if err == nil || !strings.Contains(out, fmt.Sprintf("entry %d ", log.Events[1].ID)) {
		t.Fatalf("audit verify after tampering: %v %q", err, out)
	}
	whole := func() {
		t.Helper()
		if out := mustCLI(t, nil, "audit", "verify", "--data", s.Config.DataDir); !strings.Contains(out, " 0 problems") {
			t.Fatalf("audit verify on a whole log: %q", out)
		}
	}
	// Put the byte back: whole again. Remove the middle entry instead: broken at the next one.
	db.Exec(`UPDATE audit SET object = ? WHERE id = ?`, log.Events[1].Object, log.Events[1].ID)
	whole()
	keep := mustCLI(t, nil, "audit", "checkpoint", "--data", s.Config.DataDir)
	kept := filepath.Join(t.TempDir(), "checkpoint")
	b, _ = apiDo(t, "GET", s.URL+"/api/v1/audit/checkpoint", admin["BEIFEN_TOKEN"], nil, nil)
	var cp beifenhttp.CheckpointResponse
	if json.Unmarshal(b, &cp); cp.Checkpoint == "" || !strings.HasPrefix(keep, cp.Checkpoint) || !strings.Contains(keep, cp.VerifierKey) {
		t.Fatalf("checkpoint from the API %+v, from the CLI %q", cp, keep)
	}
	if !strings.Contains(keep, "beifen-audit\n3\n") || !strings.Contains(keep, "verifier key: beifen-audit+") {
		t.Fatalf("audit checkpoint: %q", keep)
	}
	if err := os.WriteFile(kept, []byte(keep[:strings.Index(keep, "verifier key:")-1]), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`CREATE TABLE saved AS SELECT * FROM audit WHERE id = ?`, `DELETE FROM audit WHERE id = ?`} {
		if _, err := db.Exec(q, log.Events[1].ID); err != nil {
			t.Fatal(err)
		}
	}
	out, err = runCLI(t, nil, "audit", "verify", "--data", s.Config.DataDir)
	if err == nil || !strings.Contains(out, fmt.Sprintf("entry %d does not follow", log.Events[2].ID)) ||
		!strings.Contains(out, fmt.Sprintf("removed before entry %d", log.Events[2].ID)) {
		t.Fatalf("audit verify after removing an entry: %v %q", err, out)
	}
	db.Exec(`INSERT INTO audit SELECT * FROM saved`)
	whole()

	// Remove the newest entry, as someone covering their tracks would, with its tree hashes:
	// no chain can see that, but the log no longer reaches the size the checkpoints were signed
	// for. Also deleting the database's checkpoint leaves the checkpoint file; deleting that
	// too leaves the checkpoint someone kept.
	var leaf int64
	db.QueryRow(`SELECT leaf FROM audit WHERE id = ?`, log.Events[2].ID).Scan(&leaf)
	if _, err := db.Exec(`DELETE FROM audit WHERE id = ?`, log.Events[2].ID); err != nil {
		t.Fatal(err)
	}
	db.Exec(`DELETE FROM audit_tree WHERE idx >= ?`, tlog.StoredHashIndex(0, leaf))
	for i, step := range []func(){
		func() {},
		func() { db.Exec(`DELETE FROM audit_checkpoint`) },
		func() { os.Remove(filepath.Join(s.Config.DataDir, "audit.checkpoint")) },
	} {
		step()
		args := []string{"audit", "verify", "--data", s.Config.DataDir}
		if i == 2 {
			args = append(args, "--checkpoint", kept)
		}
		out, err = runCLI(t, nil, args...)
		if err == nil || !strings.Contains(out, "signed for 3 entries but the log holds 2: entries 2 to 2 were removed from its end") {
			t.Fatalf("step %d: audit verify after removing the newest entry: %v %q", i, err, out)
		}
	}
	// The server does not sign over the shortened log: the next audited access is refused
	// rather than covering the removal with a fresh checkpoint.
	if _, err := runCLI(t, admin, "report", "--task", itoa(task), "--out", filepath.Join(t.TempDir(), "r2.csv")); err == nil {
		t.Fatal("an audited export went ahead over a shortened log")
	}
	if out, err := runCLI(t, nil, "audit", "verify", "--data", s.Config.DataDir, "--checkpoint", kept); err == nil || !strings.Contains(out, "were removed from its end") {
		t.Fatalf("the removal is no longer reported: %v %q", err, out)
	}
}
