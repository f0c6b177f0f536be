package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/beifen/beifen/sqlite"
	"github.com/beifen/beifen/storetest"
)

// MustOpenDB opens a new database in a temporary directory and closes it after the test.
func MustOpenDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db := sqlite.NewDB(filepath.Join(tb.TempDir(), "beifen.db"))
	if err := db.Open(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) storetest.Services {
		db := MustOpenDB(tb)
		return storetest.Services{Store: sqlite.NewStore(db), Schema: db.Schema}
	})
}

func TestAutoMigrateOff(t *testing.T) {
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "beifen.db"))
	db.AutoMigrate = false
	if err := db.Open(); err == nil {
		db.Close()
		t.Fatal("Open of an empty database with AutoMigrate off succeeded, want an out-of-date schema error")
	}
	db.Close()
}
