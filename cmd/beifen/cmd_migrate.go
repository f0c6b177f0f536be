package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/beifen/beifen/postgres"
	"github.com/beifen/beifen/sqlite"
)

const migrateUsage = `Usage: beifen migrate --data DIR [--db URL] [--dry-run]

Applies pending database migrations, or with --dry-run lists them. "beifen serve" migrates by
itself at start unless given --no-migrate.

EXIT STATUS: 0 on success, 1 on failure, 2 on bad flags.

Options:
`

// migrator is what both SQL backends offer for migrations.
type migrator interface {
	Open() error
	Pending() ([]string, error)
	Close() error
}

func runMigrate(ctx context.Context, args []string, getenv Env, stdout, stderr io.Writer) error {
	fs := newFlagSet("migrate", migrateUsage, stderr)
	cfg := serverConfig(fs, getenv)
	dry := fs.Bool("dry-run", false, "list pending migrations without applying them")
	if err := parse(fs, args); err != nil {
		return err
	}
	var db migrator
	if cfg.isPostgres() {
		pg := postgres.NewDB(cfg.DB)
		pg.AutoMigrate = !*dry
		db = pg
	} else {
		lite := sqlite.NewDB(filepath.Join(cfg.DataDir, "beifen.db"))
		lite.AutoMigrate = !*dry
		db = lite
	}
	err := db.Open()
	if *dry {
		pending, perr := db.Pending()
		db.Close()
		if perr != nil {
			return perr
		}
		for _, p := range pending {
			fmt.Fprintln(stdout, "pending:", p)
		}
		fmt.Fprintf(stdout, "%d migrations pending\n", len(pending))
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "schema up to date")
	return db.Close()
}
