package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/audit"
	"github.com/beifen/beifen/auth"
	"github.com/beifen/beifen/backup"
	"github.com/beifen/beifen/crm"
	"github.com/beifen/beifen/disk"
	"github.com/beifen/beifen/feed"
	beifenhttp "github.com/beifen/beifen/http"
	"github.com/beifen/beifen/keyring"
	"github.com/beifen/beifen/postgres"
	"github.com/beifen/beifen/privacy"
	"github.com/beifen/beifen/sms"
	"github.com/beifen/beifen/sqlite"
	"github.com/beifen/beifen/support"
	"github.com/beifen/beifen/xlsx"
)

// Main is the running server: its configuration and the components wired from it.
type Main struct {
	Config Config
	Logger *slog.Logger

	closeDB    func() error
	stopJobs   func()
	Store      beifen.Store
	Blobs      beifen.BlobStore
	Master     *keyring.Master
	Auth       *auth.Service
	Backup     *backup.Service
	Audit      *audit.Service
	Privacy    *privacy.Service
	Support    *support.Service
	CRM        *crm.Service
	Feed       *feed.Service
	HTTPServer *beifenhttp.Server

	lastJobs     atomic.Pointer[beifenhttp.JobsRun]
	closing      closingCache
	thirdParties []beifenhttp.ThirdParty
	opsOnce      sync.Once
	operators    map[string]bool // E.164
}

// NewMain returns a Main with the default configuration.
func NewMain() *Main {
	return &Main{Config: DefaultConfig(), Logger: slog.New(slog.NewTextHandler(os.Stderr, nil))}
}

// Open opens the storage and the key, and wires the services; it serves nothing yet.
func (m *Main) Open() error {
	if err := m.Config.checkRegions(); err != nil {
		return err
	}
	if err := m.Config.checkProviderURLs(); err != nil {
		return err
	}
	if err := os.MkdirAll(m.Config.DataDir, 0o700); err != nil {
		return fmt.Errorf("create data folder: %w", err)
	}
	if err := m.openDB(); err != nil {
		return err
	}
	master, err := keyring.LoadOrCreateMaster(m.Config.masterKeyPath())
	if err != nil {
		return err
	}
	m.Master = master
	m.Blobs = disk.NewStore(filepath.Join(m.Config.DataDir, "blobs"))
	m.Auth = auth.NewService(m.Store, m.Master, m.smsSender(), m.Logger)
	if err := m.wireRealName(); err != nil {
		return err
	}
	m.wireCarrier()
	m.wirePush()
	m.Audit = audit.NewService(m.Store.Audit, m.Master)
	m.Audit.CheckpointFile = filepath.Join(m.Config.DataDir, "audit.checkpoint")
	m.Auth.Auditor = m.Audit
	m.Privacy = privacy.NewService(m.Store.Policies)
	m.Privacy.CheckGuardian = m.Auth.CheckGuardianCode
	m.Support = support.NewService(m.Store, m.Blobs, m.Master, m.Logger)
	m.Support.SMS, m.Support.OpenProfile, m.Support.PhoneHash = m.Auth.SMS, m.Auth.OpenProfile, m.Auth.PhoneHash
	if m.Auth.PushParty != "" {
		m.Support.Push = m.Auth.PushTo
	}
	m.Auth.Closed = m.isClosing
	m.Backup = backup.NewService(m.Store, m.Blobs, m.Master, m.Logger)
	m.Backup.Auditor = m.Audit
	m.Auth.Requests, m.Privacy.Requests, m.Backup.Requests = m.Support, m.Support, m.Support
	m.CRM = crm.NewService(m.Store, m.Blobs, m.Master, m.Logger)
	m.CRM.PhoneHash = m.Auth.PhoneHash
	m.CRM.SMS = m.Auth.SMS
	m.CRM.Profile = m.Auth.OpenProfile
	m.CRM.Auditor = m.Audit
	m.CRM.TempDir = filepath.Join(m.Config.DataDir, "tmp")
	m.wirePay()
	m.Feed = feed.NewService(m.Store, m.Logger)
	m.Feed.Profile, m.Feed.IsOperator = m.Auth.OpenProfile, m.IsOperator
	// A withdrawal erases what the purpose alone kept: a real-name verification, the feed's
	// engagement counts.
	m.Privacy.Withdrawn = func(ctx context.Context, p beifen.Purpose) error {
		if err := m.Auth.ConsentWithdrawn(ctx, p); err != nil {
			return err
		}
		return m.Feed.Withdrawn(ctx, p)
	}
	if err := m.wireEmail(); err != nil {
		return err
	}
	return m.sweepTemp()
}

// sweepTemp makes the data folder's tmp folder and removes what a crash left there.
func (m *Main) sweepTemp() error {
	removed, err := xlsx.SweepTempDir(m.CRM.TempDir, time.Now())
	if removed > 0 {
		m.Logger.Info("stale temporary files removed", "count", removed)
	}
	return err
}

func (m *Main) openDB() error {
	if m.Config.isPostgres() {
		db := postgres.NewDB(m.Config.DB)
		db.AutoMigrate = !m.Config.NoMigrate
		if err := db.Open(); err != nil {
			return fmt.Errorf("open postgres: %w", err)
		}
		m.Store, m.closeDB = postgres.NewStore(db), db.Close
		return nil
	}
	if m.Config.DB != "" {
		return beifen.Errorf(beifen.EINVALID, "--db must be a postgres:// URL (leave it out for the embedded SQLite).")
	}
	db := sqlite.NewDB(filepath.Join(m.Config.DataDir, "beifen.db"))
	db.AutoMigrate = !m.Config.NoMigrate
	if err := db.Open(); err != nil {
		return fmt.Errorf("open sqlite: %w", err)
	}
	m.Store, m.closeDB = sqlite.NewStore(db), db.Close
	return nil
}

// Run opens everything and starts serving.
func (m *Main) Run(ctx context.Context) error {
	if err := m.Open(); err != nil {
		return err
	}
	m.HTTPServer = m.newHTTPServer()
	if err := m.Privacy.EnsureDefault(ctx); err != nil {
		return err
	}
	if err := m.HTTPServer.Open(); err != nil {
		return err
	}
	jobs, cancel := context.WithCancel(ctx)
	m.stopJobs = cancel
	go m.runJobs(jobs)
	m.Logger.Info("beifen serving", "url", m.HTTPServer.URL(), "version", beifen.Version,
		"db", map[bool]string{true: "postgres", false: "sqlite"}[m.Config.isPostgres()])
	return nil
}

// newHTTPServer returns the HTTP server on the opened services, not yet listening; commands
// that write what a page would (the platform export) use it too.
func (m *Main) newHTTPServer() *beifenhttp.Server {
	h := beifenhttp.NewServer()
	h.Addr = m.Config.Addr
	h.Logger = m.Logger
	h.AuthService = m.Auth
	h.BackupService = m.Backup
	h.BrowseService = m.Backup
	h.Uploader = m.Backup
	h.Thumbnails = m.Backup
	h.Ops = m
	h.Notices = m.Support
	h.Replies = m.Support
	h.Remember = m.Backup
	h.Reports = m.Store.Reports
	h.ThirdParties = m.thirdParties
	h.Retention = RetentionRules()
	h.MyTransfers = m.MyTransfers
	h.SMSWebhookToken = m.Config.SMSWebhookToken
	h.Sharer = m.Backup
	h.Feed = m.Feed
	h.Closing = m.ClosingState
	h.TrustProxy = m.Config.TrustProxy
	h.LeadImportService = m.CRM
	h.LeadService = m.CRM
	h.TaskService = m.CRM
	h.Reporter = m.CRM
	h.CallLogger = m.CRM
	h.Recorder = m.CRM
	h.AuditReader = m.Audit
	h.AuditScope = audit.ScopeOf
	h.AccountDeleter = m.Auth
	h.Policy = m.Privacy
	h.Consents = m.Privacy
	h.Complaints = m.Support
	h.Rights = m.Support
	h.ItemDeleter = m.Backup
	h.ProfileEditor = m.Auth
	h.Sessions = m.Auth
	h.Guardians = m.Auth
	h.RealNames = m.Auth
	h.Carrier = m.Auth
	h.Pushes = m.Auth
	h.Plans = m.CRM
	h.Unsubscriber = m.Support
	if m.Auth.Mail != nil {
		h.Emails = m.Auth
	}
	h.PolicyStatus = func(ctx context.Context, lang string) (any, error) { return m.Privacy.StatusOf(ctx, lang) }
	return h
}

// jobInterval is how often the server's background jobs run.
const jobInterval = time.Hour

// runJobs runs the background jobs until ctx ends: customers idle past their team's pool days
// go back to the public pool, retention and due erasures are applied, and stale temporary
// files are removed. Every replica may run them; they are idempotent.
func (m *Main) runJobs(ctx context.Context) {
	t := time.NewTicker(jobInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			m.RunJobsOnce(ctx)
		}
	}
}

// smsSender is the configured SMS provider: the console, or the gateway, registered as a third
// party, with every message it is handed logged as a transfer of the recipient's number
// (clause 3.1.1).
func (m *Main) smsSender() beifen.SMSSender {
	if m.Config.SMSURL == "" {
		m.thirdParties = nil
		return &sms.Console{Logger: m.Logger}
	}
	m.thirdParties = nil
	m.addThirdParty("sms", m.Config.SMSProvider, "SMS gateway")
	return &sms.Logged{
		SMSSender: &sms.HTTP{URL: m.Config.SMSURL, Token: m.Config.SMSToken},
		Log:       m.logTransferTo("sms", (*auth.Service).PhoneHash),
	}
}

// addThirdParty registers a configured provider as a third party the privacy policy lists
// (tp.<id>.purpose and tp.<id>.data), named as configured or else by fallback, and returns
// the name.
func (m *Main) addThirdParty(id, configured, fallback string) string {
	name := configured
	if name == "" {
		name = fallback
	}
	m.thirdParties = append(m.thirdParties, beifenhttp.ThirdParty{ID: id, Name: name,
		PurposeKey: "tp." + id + ".purpose", DataKey: "tp." + id + ".data"})
	return name
}

// logTransferTo returns a function that logs handing a recipient (a number or an address, kept
// as its keyed hash by the auth service of the time of the call) to third party id, as the
// providers' Logged wrappers call it.
func (m *Main) logTransferTo(id string, hash func(*auth.Service, string) []byte) func(context.Context, string) error {
	return func(ctx context.Context, to string) error {
		return m.Store.Transfers.LogTransfer(ctx, &beifen.Transfer{Party: id, PhoneHash: hash(m.Auth, to)})
	}
}

// RunJobsOnce runs the hourly jobs and keeps what they did for the operator console.
func (m *Main) RunJobsOnce(ctx context.Context) *beifenhttp.JobsRun {
	run := &beifenhttp.JobsRun{At: time.Now()}
	var errs []string
	fail := func(what string, err error) {
		m.Logger.Error(what, "err", err)
		errs = append(errs, what)
	}
	var err error
	if run.Released, err = m.CRM.ReleaseIdle(ctx); err != nil {
		fail("release idle customers", err)
	}
	if run.Expired, err = m.CRM.ApplyRetention(ctx); err != nil {
		fail("retention", err)
	}
	m.recordRetention(ctx, "recordings", run.Expired)
	if n, err := m.CRM.ExpireRejectedRows(ctx, time.Now()); err != nil {
		fail("rejected rows retention", err)
	} else {
		run.Expired += n
		m.recordRetention(ctx, "rejected_rows", n)
	}
	erased, err := m.EraseDue(ctx, time.Now())
	if err != nil {
		fail("erase accounts", err)
	}
	minors, err := m.EraseUnconsentedMinors(ctx, time.Now())
	if err != nil {
		fail("erase minors' accounts", err)
	}
	run.Erased, run.Minors = len(erased), len(minors)
	m.recordRetention(ctx, "deleted_accounts", len(erased))
	m.recordRetention(ctx, "minors_without_consent", len(minors))
	if run.SignIns, err = m.Store.SignIns.DeleteSignInsBefore(ctx, time.Now().Add(-beifen.SignInRetention)); err != nil {
		fail("sign-in history retention", err)
	}
	m.recordRetention(ctx, "signins", run.SignIns)
	if n, err := m.EraseAtClosing(ctx, time.Now()); err != nil {
		fail("erase at shutdown", err)
	} else {
		run.Erased += n
	}
	if run.Reminded, err = m.Support.RemindRequests(ctx, time.Now(), m.Config.Operators); err != nil {
		fail("remind rights requests", err)
	}
	if err := m.sweepTemp(); err != nil {
		fail("sweep temporary files", err)
	}
	run.Failed = strings.Join(errs, ", ")
	m.lastJobs.Store(run)
	return run
}

// EraseDue erases every account whose requested deletion takes effect by now, and returns the
// receipts.
func (m *Main) EraseDue(ctx context.Context, now time.Time) ([]*backup.Receipt, error) {
	users, _, err := m.Store.Users.FindUsers(ctx, beifen.UserFilter{EraseDue: &now})
	if err != nil {
		return nil, err
	}
	var receipts []*backup.Receipt
	for _, u := range users {
		r, err := m.eraseAccount(ctx, u)
		if held(err) {
			continue // kept while the hold lasts; erased at the first run after it is lifted
		} else if err != nil {
			return receipts, err
		}
		receipts = append(receipts, r)
	}
	return receipts, nil
}

// EraseUnconsentedMinors erases the accounts of users under 18 whom no guardian consented for
// within beifen.MinorGrace of signing up (clause 7.1), and returns the receipts.
func (m *Main) EraseUnconsentedMinors(ctx context.Context, now time.Time) ([]*backup.Receipt, error) {
	var receipts []*backup.Receipt
	err := beifen.EachAccount(ctx, m.Store.Users, func(u *beifen.User) error {
		if m.Auth.OpenProfile(u) != nil || !m.Auth.IsUnconsentedMinor(u) || now.Before(u.CreatedAt.Add(beifen.MinorGrace)) {
			return nil
		}
		r, err := m.eraseAccount(ctx, u)
		if held(err) {
			return nil
		} else if err != nil {
			return err
		}
		receipts = append(receipts, r)
		return nil
	})
	return receipts, err
}

// Close stops serving and closes the storage.
func (m *Main) Close() error {
	if m.stopJobs != nil {
		m.stopJobs()
	}
	var errs []error
	if m.HTTPServer != nil {
		errs = append(errs, m.HTTPServer.Close())
	}
	if m.Backup != nil {
		m.Backup.WaitWrites()   // records of the exports read last
		m.Backup.WaitIndexing() // indexes being built after the last commits
	}
	if m.closeDB != nil {
		errs = append(errs, m.closeDB())
	}
	return errors.Join(errs...)
}

const serveUsage = `Usage: beifen serve [--data DIR] [--addr HOST:PORT] [--db URL] [--no-migrate] [--operators PHONES]

Runs the server. With no --db it keeps everything in DIR: an SQLite database, the encrypted blobs
and the master key (DIR/master.key, mode 0600, or BEIFEN_MASTER_KEY_FILE). --db postgres://...
keeps the database in PostgreSQL instead. GET /healthz answers 200 once ready. serve applies
pending database migrations at start; with --no-migrate it refuses to start on an out-of-date
schema instead, for replicated deployments that run "beifen migrate" once before a rollout.

--operators lists the phone numbers whose accounts may open the operator console at /ops.

Environment: BEIFEN_DATA, BEIFEN_ADDR, BEIFEN_DB (or BEIFEN_DB_FILE), BEIFEN_MASTER_KEY_FILE,
BEIFEN_NO_MIGRATE=1, BEIFEN_OPERATORS, BEIFEN_REGION (or BEIFEN_DB_REGION and BEIFEN_BLOB_REGION;
default cn) and BEIFEN_ALLOWED_REGIONS (default cn): serve refuses a target outside the allowed
regions. BEIFEN_TRUST_PROXY=1 (behind a reverse proxy that sets
X-Forwarded-For: the client's address is taken from it).
BEIFEN_REALNAME_URL, BEIFEN_REALNAME_TOKEN (or _FILE), BEIFEN_REALNAME_PROVIDER: a real-name
verification service; BEIFEN_REALNAME_FOR=share makes share links require a verified name.
BEIFEN_CARRIER_URL, BEIFEN_CARRIER_TOKEN (or _FILE), BEIFEN_CARRIER_PROVIDER: a carrier one-click
sign-in token exchange (off when unset). BEIFEN_PUSH_URL, BEIFEN_PUSH_TOKEN (or _FILE),
BEIFEN_PUSH_PROVIDER: a push service for the phone makers' push (off when unset).
BEIFEN_PAY_URL, BEIFEN_PAY_TOKEN, BEIFEN_PAY_SECRET, BEIFEN_PAY_PROVIDER: a payment aggregator
for team plans (off when unset: no upgrades, no quotas).
BEIFEN_SMTP_URL (or _FILE; smtp://user:pass@host:587 with STARTTLS, smtps://user:pass@host for
implicit TLS) and BEIFEN_SMTP_FROM ("Name <noreply@example.com>"): the outgoing mail server for
e-mail notices and address verification (BEIFEN_SMTP_PROVIDER: its name in the third-party list;
BEIFEN_SMTP_CA_FILE: a PEM root it is signed by). BEIFEN_PUBLIC_URL: the server's address as users
reach it, for unsubscribe links in e-mail.

EXIT STATUS: 0 after a clean shutdown (SIGINT/SIGTERM), 1 if the server could not start,
2 on bad flags.

Options:
`

// serverConfig parses the flags shared by serve, user, check and migrate.
func serverConfig(fs interface {
	StringVar(*string, string, string, string)
}, getenv Env) *Config {
	c := DefaultConfig()
	c.fromEnv(getenv)
	fs.StringVar(&c.DataDir, "data", c.DataDir, "data `folder`")
	fs.StringVar(&c.DB, "db", c.DB, "PostgreSQL `URL` (default: SQLite in the data folder)")
	return &c
}

func runServe(ctx context.Context, args []string, getenv Env, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", serveUsage, stderr)
	cfg := serverConfig(fs, getenv)
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen `address`")
	fs.BoolVar(&cfg.NoMigrate, "no-migrate", cfg.NoMigrate, "refuse to start on pending migrations instead of applying them")
	operators := fs.String("operators", strings.Join(cfg.Operators, ","), "phone `numbers` (comma-separated) whose accounts may open the operator console")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg.Operators = splitList(*operators)
	m := NewMain()
	m.Config = *cfg
	m.Logger = slog.New(slog.NewTextHandler(stderr, nil))
	if err := m.Run(ctx); err != nil {
		m.Close()
		return err
	}
	if addr := getenv("BEIFEN_PPROF_ADDR"); addr != "" {
		go servePprof(addr, m.Logger)
	}
	<-ctx.Done()
	m.Logger.Info("shutting down")
	return m.Close()
}

// servePprof serves Go's profiler on a separate listener (loopback only, for operators measuring
// the server; never on the public address).
func servePprof(addr string, logger *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	logger.Info("pprof listening", "addr", addr)
	if err := http.ListenAndServe(addr, mux); err != nil {
		logger.Error("pprof", "err", err)
	}
}
