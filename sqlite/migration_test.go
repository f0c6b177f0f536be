package sqlite_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/beifen/beifen/sqlite"
	"github.com/beifen/beifen/storetest"
)

// TestMigrateSpansToRuns: a database with one span per record (before migration 0026) keeps
// every snapshot's content when its spans become runs: consecutive records of one kind present
// in the same snapshots join, anything else stays apart. Its records then become packs (0028)
// and read back the same.
func TestMigrateSpansToRuns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "beifen.db")
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	names, _ := filepath.Glob("migration/*.sql")
	slices.Sort(names)
	if _, err := raw.Exec(`CREATE TABLE migrations (name TEXT PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if strings.Compare(filepath.Base(name), "0026") >= 0 {
			break
		}
		buf, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(string(buf)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := raw.Exec(`INSERT INTO migrations (name) VALUES (?)`, "migration/"+filepath.Base(name)); err != nil {
			t.Fatal(err)
		}
	}
	now := "2026-01-01T00:00:00Z"
	for _, q := range []string{
		`INSERT INTO users (id, phone_hash, sealed, created_at, updated_at) VALUES (1, x'01', x'', '` + now + `', '` + now + `'), (2, x'02', x'', '` + now + `', '` + now + `')`,
		`INSERT INTO snapshots (id, user_id, created_at, contacts, messages, calls, files, bytes, new_blobs, new_bytes, skipped)
			VALUES (1, 1, '` + now + `', 0, 5, 1, 0, 0, 0, 0, 0), (2, 1, '` + now + `', 0, 4, 1, 0, 0, 0, 0, 0), (3, 2, '` + now + `', 0, 1, 0, 0, 0, 0, 0, 0)`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	fx := storetest.SpansBeforeRuns
	for id := 1; id < len(fx.Kinds); id++ {
		if _, err := raw.Exec(`INSERT INTO records (id, user_id, kind, ident, version, payload, created_at) VALUES (?, ?, ?, ?, ?, x'', ?)`,
			id, fx.Owner[id], fx.Kinds[id], []byte{byte(id)}, []byte{byte(id)}, now); err != nil {
			t.Fatal(err)
		}
	}
	for _, sp := range fx.Spans {
		if _, err := raw.Exec(`INSERT INTO spans (user_id, record_id, kind, from_snapshot, to_snapshot) VALUES (?, ?, ?, ?, ?)`,
			sp[0], sp[1], fx.Kinds[sp[1].(int)], sp[2], sp[3]); err != nil {
			t.Fatal(err)
		}
	}
	// As if records up to 20 had existed: their IDs are not given again.
	if _, err := raw.Exec(`UPDATE sqlite_sequence SET seq = 20 WHERE name = 'records'`); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	db := sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	storetest.CheckPackedRecords(t, sqlite.NewRecordService(db), 21)
	db.Close()
	raw, err = sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := raw.Query(`SELECT user_id, kind, first_id, last_id, from_snapshot, COALESCE(to_snapshot, 0) FROM spans ORDER BY user_id, first_id, from_snapshot`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got [][6]any
	for rows.Next() {
		var r [6]any
		var uid, first, last, from, to int64
		var kind string
		if err := rows.Scan(&uid, &kind, &first, &last, &from, &to); err != nil {
			t.Fatal(err)
		}
		r = [6]any{uid, kind, first, last, from, to}
		got = append(got, r)
	}
	if want := fx.Runs; !slices.Equal(got, want) {
		t.Fatalf("runs after migration:\n got %v\nwant %v", got, want)
	}
}
