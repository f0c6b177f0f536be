// Package sqlite keeps beifen's data in an embedded SQLite database (pure-Go driver, no cgo): the
// zero-setup default of `beifen serve`.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/internal/pack"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migration/*.sql
var migrationFS embed.FS

// TimeLayout is how times are stored: UTC, sortable as text.
const TimeLayout = "2006-01-02T15:04:05.000000000Z"

// DB is a SQLite database with a single-connection writer pool beside a reader pool, so that
// writers queue in the process instead of failing with SQLITE_BUSY.
type DB struct {
	write *sql.DB
	read  *sql.DB
	hot   map[string]*sql.Stmt // prepared once on the writer, see prepareHot

	versions *pack.Versions // the users' version maps, see RecordService.PutRecords

	checkpoints sync.WaitGroup // the background checkpoint
	ctx         context.Context
	cancel      func()

	// DSN is the path of the database file.
	DSN string

	// Now returns the current time; tests may replace it.
	Now func() time.Time

	// AutoMigrate applies pending migrations at Open (default true); when false, Open
	// refuses an out-of-date schema.
	AutoMigrate bool
}

// NewDB returns a DB for the database file at dsn.
func NewDB(dsn string) *DB {
	db := &DB{DSN: dsn, Now: time.Now, AutoMigrate: true, versions: pack.NewVersions(pack.DefaultLimit)}
	db.ctx, db.cancel = context.WithCancel(context.Background())
	return db
}

// Open opens both pools, sets the pragmas and migrates.
func (db *DB) Open() (err error) {
	if db.DSN == "" {
		return fmt.Errorf("dsn required")
	}
	// busy_timeout comes first so that the other pragmas wait for a busy file instead of
	// failing; WAL lets readers go on while the writer writes.
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	base := "file:" + db.DSN + "?" + q.Encode()
	// The writer gets a larger page cache, so the bulk inserts of a first backup (thousands of
	// record packs, sources and blob rows) do not reread the same pages over and over.
	// Readers keep the default cache: it is per connection. The WAL is copied back into the
	// database by a reader connection in the background (checkpoints); the writer's own
	// autocheckpoint, which would stop it in the middle of a backup, is only a backstop.
	// secure_delete zeroes what is deleted, so an erased account's rows do not linger in the
	// file's free space (see UserService.EraseUser).
	writer := base + "&_txlock=immediate&_pragma=cache_size(-32768)&_pragma=wal_autocheckpoint(65536)&_pragma=temp_store(MEMORY)&_pragma=secure_delete(ON)"
	if db.write, err = sql.Open("sqlite", writer); err != nil {
		return err
	}
	db.write.SetMaxOpenConns(1)
	if db.read, err = sql.Open("sqlite", base); err != nil {
		return err
	}
	db.read.SetMaxOpenConns(8)
	if err := db.migrate(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := db.prepareHot(); err != nil {
		return err
	}
	db.checkpoints.Add(1)
	go db.checkpoint()
	return nil
}

// checkpointEvery is how often the background checkpoint runs.
const checkpointEvery = 500 * time.Millisecond

// checkpoint copies the WAL into the database file until the DB closes. A passive checkpoint
// neither waits for nor blocks the writer; a failed one is tried again at the next tick.
func (db *DB) checkpoint() {
	defer db.checkpoints.Done()
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-db.ctx.Done():
			return
		case <-t.C:
			db.read.ExecContext(db.ctx, `PRAGMA wal_checkpoint(PASSIVE)`)
		}
	}
}

// prepareHot prepares the statements a backup repeats thousands of times, once for the writer
// connection instead of once per transaction: parsing a long multi-row INSERT costs about as
// much as running it.
func (db *DB) prepareHot() error {
	db.hot = map[string]*sql.Stmt{}
	for _, q := range []string{insertPacksQuery(packBatch), putSourcesQuery(sourcesPerInsert)} {
		st, err := db.write.Prepare(q)
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		db.hot[q] = st
	}
	return nil
}

// Close closes both pools.
func (db *DB) Close() error {
	db.cancel()
	db.checkpoints.Wait()
	var errs []error
	for _, st := range db.hot {
		errs = append(errs, st.Close())
	}
	for _, p := range []*sql.DB{db.write, db.read} {
		if p != nil {
			errs = append(errs, p.Close())
		}
	}
	return errors.Join(errs...)
}

// Tx wraps a transaction and carries the time it began.
type Tx struct {
	*sql.Tx
	db    *DB
	now   time.Time
	stmts map[string]*sql.Stmt
}

// prepared returns query prepared once for this transaction: batched statements repeat the same
// long text thousands of times in a first backup.
func (tx *Tx) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := tx.stmts[query]; ok {
		return st, nil
	}
	st := tx.db.hot[query]
	if st != nil {
		st = tx.StmtContext(ctx, st)
	} else if p, err := tx.PrepareContext(ctx, query); err != nil {
		return nil, FormatError(err)
	} else {
		st = p
	}
	if tx.stmts == nil {
		tx.stmts = map[string]*sql.Stmt{}
	}
	tx.stmts[query] = st
	return st, nil
}

// BeginTx starts a transaction on the writer pool, or on the reader pool when opts is read-only.
func (db *DB) BeginTx(ctx context.Context, opts *sql.TxOptions) (*Tx, error) {
	pool := db.write
	if opts != nil && opts.ReadOnly {
		pool = db.read
	}
	tx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return nil, FormatError(err)
	}
	return &Tx{Tx: tx, db: db, now: db.Now().UTC().Truncate(time.Microsecond)}, nil
}

var readOnly = &sql.TxOptions{ReadOnly: true}

// Pending returns the names of migrations not yet applied.
func (db *DB) Pending() ([]string, error) {
	if _, err := db.write.Exec(`CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY);`); err != nil {
		return nil, fmt.Errorf("create migrations table: %w", err)
	}
	names, err := fs.Glob(migrationFS, "migration/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var pending []string
	for _, name := range names {
		var n int
		if err := db.write.QueryRow(`SELECT COUNT(*) FROM migrations WHERE name = ?`, name).Scan(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			pending = append(pending, name)
		}
	}
	return pending, nil
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
	tx, err := db.write.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Another process may have applied it since Pending looked.
	var n int
	if err := tx.QueryRow(`SELECT COUNT(*) FROM migrations WHERE name = ?`, name).Scan(&n); err != nil || n > 0 {
		return err
	}
	buf, err := fs.ReadFile(migrationFS, name)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(string(buf)); err != nil {
		return err
	}
	if _, err := tx.Exec(`INSERT INTO migrations (name) VALUES (?)`, name); err != nil {
		return err
	}
	return tx.Commit()
}

// Schema returns every table's column names, sorted, for the check that both dialects agree.
func (db *DB) Schema(ctx context.Context) (map[string][]string, error) {
	rows, err := db.read.QueryContext(ctx, `
		SELECT m.name, p.name FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`)
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
	for _, cols := range schema {
		sort.Strings(cols)
	}
	return schema, rows.Err()
}

// FormatError turns driver errors into application errors: a unique violation is ECONFLICT.
func FormatError(err error) error {
	var se *sqlite.Error
	if err == nil {
		return nil
	} else if errors.Is(err, sql.ErrNoRows) {
		return beifen.Errorf(beifen.ENOTFOUND, "Not found.")
	} else if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return beifen.Errorf(beifen.ECONFLICT, "Already exists.")
		}
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

func formatTime(t time.Time) string { return t.UTC().Format(TimeLayout) }

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}

// parseTime reads a stored time; NULL and "" are the zero time.
func parseTime(s sql.NullString) time.Time {
	if !s.Valid || s.String == "" {
		return time.Time{}
	}
	t, _ := time.Parse(TimeLayout, s.String)
	return t
}

// placeholders returns "?, ?, ..." for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
