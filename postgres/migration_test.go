package postgres_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/beifen/beifen/postgres"
	"github.com/beifen/beifen/storetest"
)

// TestMigrateSpansToRuns: a schema with one span per record (before migration 0026) keeps
// every snapshot's content when its spans become runs: consecutive records of one kind present
// in the same snapshots join, anything else stays apart. Its records then become packs (0028)
// and read back the same.
func TestMigrateSpansToRuns(t *testing.T) {
	dsn := MustCreateSchema(t)
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	names, _ := filepath.Glob("migration/*.sql")
	slices.Sort(names)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := raw.Exec(q, args...); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	exec(`CREATE TABLE migrations (name TEXT PRIMARY KEY)`)
	for _, name := range names {
		if filepath.Base(name) >= "0026" {
			break
		}
		buf, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		exec(string(buf))
		exec(`INSERT INTO migrations (name) VALUES ($1)`, "migration/"+filepath.Base(name))
	}
	exec(`INSERT INTO users (id, phone_hash, sealed, created_at, updated_at) OVERRIDING SYSTEM VALUE
		VALUES (1, '\x01', '', now(), now()), (2, '\x02', '', now(), now())`)
	exec(`INSERT INTO snapshots (id, user_id, created_at, contacts, messages, calls, files, bytes, new_blobs, new_bytes, skipped)
		OVERRIDING SYSTEM VALUE VALUES (1, 1, now(), 0, 6, 1, 0, 0, 0, 0, 0), (2, 1, now(), 0, 5, 1, 0, 0, 0, 0, 0), (3, 2, now(), 0, 1, 0, 0, 0, 0, 0, 0)`)
	fx := storetest.SpansBeforeRuns
	for id := 1; id < len(fx.Kinds); id++ {
		exec(`INSERT INTO records (id, user_id, kind, ident, version, payload, created_at) OVERRIDING SYSTEM VALUE
			VALUES ($1, $2, $3, $4, $4, '', now())`, id, fx.Owner[id], fx.Kinds[id], []byte{byte(id)})
	}
	for _, sp := range fx.Spans {
		exec(`INSERT INTO spans (user_id, record_id, kind, from_snapshot, to_snapshot) VALUES ($1, $2, $3, $4, $5)`,
			sp[0], sp[1], fx.Kinds[sp[1].(int)], sp[2], sp[3])
	}

	// As if records up to 20 had existed: their IDs are not given again.
	exec(`SELECT setval(pg_get_serial_sequence('records', 'id'), 20)`)

	db := MustOpenDB(t, dsn) // migrates
	storetest.CheckPackedRecords(t, postgres.NewRecordService(db), 21)
	rows, err := raw.Query(`SELECT user_id, kind, first_id, last_id, from_snapshot, COALESCE(to_snapshot, 0) FROM spans
		ORDER BY user_id, first_id, from_snapshot`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got [][6]any
	for rows.Next() {
		var uid, first, last, from, to int64
		var kind string
		if err := rows.Scan(&uid, &kind, &first, &last, &from, &to); err != nil {
			t.Fatal(err)
		}
		got = append(got, [6]any{uid, kind, first, last, from, to})
	}
	if want := fx.Runs; !slices.Equal(got, want) {
		t.Fatalf("runs after migration:\n got %v\nwant %v", got, want)
	}
}
