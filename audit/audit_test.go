package audit_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beifen/beifen/audit"
	"github.com/beifen/beifen/keyring"
	"github.com/beifen/beifen/sqlite"
)

// open returns an audit Service on a fresh SQLite database, and a second handle on the file
// for tampering with it.
// masters remembers each test service's master key, for a second process on the same files.
var masters = map[*audit.Service]*keyring.Master{}

func open(t *testing.T) (*audit.Service, *sql.DB) {
	t.Helper()
	dir := t.TempDir()
	db := sqlite.NewDB(filepath.Join(dir, "beifen.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	key := make([]byte, 32)
	rand.Read(key)
	m, err := keyring.NewMaster(key)
	if err != nil {
		t.Fatal(err)
	}
	s := audit.NewService(sqlite.NewAuditService(db), m)
	masters[s] = m
	s.CheckpointFile = filepath.Join(dir, "audit.checkpoint")
	raw, err := sql.Open("sqlite", filepath.Join(dir, "beifen.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return s, raw
}

func mustVerify(t *testing.T, s *audit.Service, extra ...audit.Source) *audit.Report {
	t.Helper()
	rep, err := s.VerifyLog(context.Background(), extra...)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestVerifyLog(t *testing.T) {
	ctx := context.Background()
	s, raw := open(t)
	var kept []byte
	for i := 0; i < 300; i++ {
		if err := s.AuditPlatform(ctx, "test.act", fmt.Sprint("object:", i%7)); err != nil {
			t.Fatal(err)
		}
		if i == 99 {
			var err error
			if kept, err = s.Checkpoint(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	old := audit.Source{Name: "the kept checkpoint", Note: kept}
	if rep := mustVerify(t, s, old); len(rep.Problems) != 0 || rep.Leaves != 300 || rep.Checkpoints != 3 {
		t.Fatalf("whole log: %+v", rep)
	}
	c, err := s.OpenCheckpoint(kept)
	if err != nil || c.Size != 100 {
		t.Fatalf("kept checkpoint: %+v, %v", c, err)
	}

	// A checkpoint signed by another server's key does not open.
	other, _ := open(t)
	other.AuditPlatform(ctx, "test.act", "object:1")
	forged, _ := other.Checkpoint(ctx)
	rep := mustVerify(t, s, audit.Source{Name: "a forged checkpoint", Note: forged})
	if len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0].What, "a forged checkpoint does not open") {
		t.Fatalf("forged checkpoint: %+v", rep.Problems)
	}

	// One changed byte in entry 50: named by its chain and by its leaf, and the kept checkpoint
	// no longer adds up.
	var id int64
	raw.QueryRow(`SELECT id FROM audit WHERE leaf = 50`).Scan(&id)
	raw.Exec(`UPDATE audit SET object = 'object:X' WHERE id = ?`, id)
	rep = mustVerify(t, s, old)
	var named int
	for _, p := range rep.Problems {
		if p.EntryID == id {
			named++
		}
	}
	if named != 2 || !strings.Contains(fmt.Sprint(rep.Problems), "the first 100 entries no longer add up to the kept checkpoint") {
		t.Fatalf("changed entry %d: %+v", id, rep.Problems)
	}
	raw.Exec(`UPDATE audit SET object = 'object:1' WHERE id = ?`, id)
	if rep := mustVerify(t, s, old); len(rep.Problems) != 0 {
		t.Fatalf("restored log: %+v", rep.Problems)
	}

	// The last three entries removed, and the database's checkpoint rolled back to the one
	// kept at 100: the checkpoint file still says 300.
	raw.Exec(`DELETE FROM audit WHERE leaf >= 297`)
	raw.Exec(`UPDATE audit_checkpoint SET size = 100, note = ?`, kept)
	rep = mustVerify(t, s)
	if !strings.Contains(fmt.Sprint(rep.Problems), "the checkpoint file was signed for 300 entries but the log holds 297: entries 297 to 299 were removed from its end") ||
		!strings.Contains(fmt.Sprint(rep.Problems), "entries 100 to 296 were added without a signed checkpoint") {
		t.Fatalf("tail removed: %+v", rep.Problems)
	}
	// And the next append does not sign over it: it refuses, and the log stays as evidence.
	if err := s.AuditPlatform(ctx, "test.act", "object:next"); err == nil || !strings.Contains(err.Error(), "signed for 300: entries were removed") {
		t.Fatalf("append over a shortened log: %v", err)
	}
	// Nor for another server process with only the files: the checkpoint file says 300.
	fresh := audit.NewService(s.Store, masters[s])
	fresh.CheckpointFile = s.CheckpointFile
	if err := fresh.AuditPlatform(ctx, "test.act", "object:next"); err == nil || !strings.Contains(err.Error(), "entries were removed") {
		t.Fatalf("a fresh process appending over a shortened log: %v", err)
	}
}
