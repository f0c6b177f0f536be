// Package postgres keeps beifen's data in PostgreSQL (pgx driver through database/sql): the
// choice for several replicas of `beifen serve` sharing one database.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/internal/pack"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

//go:embed migration/*.sql
var migrationFS embed.FS

// Pool settings: enough connections for a busy replica, without starving a server that several
// replicas share (PostgreSQL's default max_connections is 100).
const (
	maxOpenConns    = 16
	maxIdleConns    = 4
	connMaxIdleTime = 5 * time.Minute

	// idConns are the connections of the pool that takes record IDs (see storeFresh). Every
	// replica takes them in turn anyway, under the one record_ids row's lock.
	idConns = 2
)

// migrationLock is the pg_advisory_xact_lock key that serialises migrations ("beifen" in ASCII).
const migrationLock = 0x62656966656e

// uniqueViolation is the SQLSTATE of a unique or primary-key violation.
const uniqueViolation = "23505"

// DB is a PostgreSQL database behind a connection pool, and a small one for record IDs.
type DB struct {
	pool   *sql.DB
	ids    *sql.DB // record IDs, taken outside the transactions on pool, see storeFresh
	ctx    context.Context
	cancel func()

	versions *pack.Versions // the users' version maps, see RecordService.PutRecords

	// DSN is a libpq connection string or URL; it may set search_path to use another schema.
	DSN string

	// Now returns the current time; tests may replace it.
	Now func() time.Time

	// AutoMigrate applies pending migrations at Open (default true); when false, Open
	// refuses an out-of-date schema.
	AutoMigrate bool
}

// NewDB returns a DB for the database at dsn.
func NewDB(dsn string) *DB {
	db := &DB{DSN: dsn, Now: time.Now, AutoMigrate: true, versions: pack.NewVersions(pack.DefaultLimit)}
	db.ctx, db.cancel = context.WithCancel(context.Background())
	return db
}

// Open opens the pool, checks that the server answers and migrates.
func (db *DB) Open() (err error) {
	if db.DSN == "" {
		return fmt.Errorf("dsn required")
	}
	if db.pool, err = sql.Open("pgx", db.DSN); err != nil {
		return err
	}
	db.pool.SetMaxOpenConns(maxOpenConns)
	db.pool.SetMaxIdleConns(maxIdleConns)
	db.pool.SetConnMaxIdleTime(connMaxIdleTime)
	if err := db.pool.PingContext(db.ctx); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	if db.ids, err = sql.Open("pgx", db.DSN); err != nil {
		return err
	}
	db.ids.SetMaxOpenConns(idConns)
	db.ids.SetConnMaxIdleTime(connMaxIdleTime)
	if err := db.migrate(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Close closes the pools.
func (db *DB) Close() error {
	db.cancel()
	if db.ids != nil {
		db.ids.Close()
	}
	if db.pool != nil {
		return db.pool.Close()
	}
	return nil
}

// Tx wraps a transaction and carries the time it began.
type Tx struct {
	*sql.Tx
	db  *DB
	now time.Time
}

// BeginTx starts a transaction.
func (db *DB) BeginTx(ctx context.Context, opts *sql.TxOptions) (*Tx, error) {
	tx, err := db.pool.BeginTx(ctx, opts)
	if err != nil {
		return nil, FormatError(err)
	}
	return &Tx{Tx: tx, db: db, now: db.now()}, nil
}

// readOnly begins a read transaction that sees one snapshot of the database throughout.
var readOnly = &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}

// now is db.Now in UTC, truncated to what TIMESTAMPTZ keeps.
func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Microsecond) }

// Pending returns the names of migrations not yet applied.
func (db *DB) Pending() ([]string, error) {
	names, err := fs.Glob(migrationFS, "migration/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	tx, err := db.lockMigrations()
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var pending []string
	for _, name := range names {
		if done, err := applied(tx, name); err != nil {
			return nil, err
		} else if !done {
			pending = append(pending, name)
		}
	}
	return pending, tx.Commit()
}

// lockMigrations begins a transaction that holds the migration lock until it ends, so that two
// processes starting at once neither create the migrations table twice nor apply a file twice.
func (db *DB) lockMigrations() (*sql.Tx, error) {
	tx, err := db.pool.BeginTx(db.ctx, nil)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(db.ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLock)); err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("lock: %w", err)
	}
	if _, err := tx.ExecContext(db.ctx, `CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY)`); err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("create migrations table: %w", err)
	}
	return tx, nil
}

func applied(tx *sql.Tx, name string) (bool, error) {
	var n int
	err := tx.QueryRow(`SELECT COUNT(*) FROM migrations WHERE name = $1`, name).Scan(&n)
	return n > 0, err
}

func (db *DB) migrate() error {
	pending, err := db.Pending()
	if err != nil {
		return err
	}
	if len(pending) > 0 && !db.AutoMigrate {
		return fmt.Errorf("schema out of date: %d migrations pending (run beifen migrate)", len(pending))
	}
	for _, name := range pending {
		if err := db.migrateFile(name); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

func (db *DB) migrateFile(name string) error {
	tx, err := db.lockMigrations()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Another process may have applied it since Pending looked.
	if done, err := applied(tx, name); err != nil || done {
		return err
	}
	buf, err := fs.ReadFile(migrationFS, name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(db.ctx, string(buf)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(db.ctx, `INSERT INTO migrations (name) VALUES ($1)`, name); err != nil {
		return err
	}
	return tx.Commit()
}

// Schema returns every table's column names in the current schema, sorted, for the check that
// both dialects agree.
func (db *DB) Schema(ctx context.Context) (map[string][]string, error) {
	rows, err := db.pool.QueryContext(ctx, `
		SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema()`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	schema := map[string][]string{}
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			return nil, err
		}
		schema[table] = append(schema[table], col)
	}
	// Sorted in Go rather than in SQL, so that the order does not depend on the collation.
	for _, cols := range schema {
		sort.Strings(cols)
	}
	return schema, rows.Err()
}

// FormatError turns driver errors into application errors: a unique violation is ECONFLICT.
func FormatError(err error) error {
	var pe *pgconn.PgError
	if err == nil {
		return nil
	} else if errors.Is(err, sql.ErrNoRows) {
		return beifen.Errorf(beifen.ENOTFOUND, "Not found.")
	} else if errors.As(err, &pe) && pe.Code == uniqueViolation {
		return beifen.Errorf(beifen.ECONFLICT, "Already exists.")
	}
	return err
}

// userID returns the signed-in user of ctx, or EUNAUTHORIZED.
func userID(ctx context.Context) (int64, error) {
	if id := beifen.UserIDFromContext(ctx); id != 0 {
		return id, nil
	}
	return 0, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
}

// nullID stores a zero ID as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// teamID returns the signed-in user's team, or EFORBIDDEN for a user in none.
func teamID(ctx context.Context) (int64, error) {
	if beifen.UserFromContext(ctx) == nil {
		return 0, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	if id := beifen.TeamIDFromContext(ctx); id != 0 {
		return id, nil
	}
	return 0, beifen.Errorf(beifen.EFORBIDDEN, "You are not a member of a team.")
}

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// parseTime reads a stored time in UTC; NULL is the zero time.
func parseTime(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}
