package main

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// Config is the server's configuration. Precedence: flags, then environment (BEIFEN_*), then
// defaults. Secrets also come from BEIFEN_<NAME>_FILE.
type Config struct {
	DataDir       string // SQLite database, blobs and master key live here
	Addr          string
	DB            string // "" for SQLite in DataDir, or a postgres:// URL
	MasterKeyFile string
	LogLevel      string

	// NoMigrate makes serve refuse a database with pending migrations instead of applying
	// them, for deployments that run "beifen migrate" once before starting their replicas.
	NoMigrate bool

	// Operators are the phone numbers whose accounts may open the operator console (/ops):
	// statistics, complaints and rights requests near their deadline, retention runs.
	Operators []string

	// TrustProxy takes each request's client address from X-Forwarded-For (BEIFEN_TRUST_PROXY=1),
	// for a server behind a reverse proxy; the sign-in checks of clause 1.2.2c compare networks.
	TrustProxy bool

	// SMSWebhookToken is the secret the SMS gateway sends with the texts users send back
	// (BEIFEN_SMS_WEBHOOK_TOKEN or _FILE); unset, the inbound route is off.
	SMSWebhookToken string

	// The SMS gateway (BEIFEN_SMS_URL, BEIFEN_SMS_TOKEN or _FILE, BEIFEN_SMS_PROVIDER: its name in
	// the third-party registry). Unset: the console provider, which sends nothing out.
	SMSURL, SMSToken, SMSProvider string

	// The outgoing mail server (clause 1.1.3): BEIFEN_SMTP_URL (or _FILE; smtp://user:pass@host:587
	// with STARTTLS, smtps://... for implicit TLS), BEIFEN_SMTP_FROM (the sender, e.g.
	// "手机备份 <noreply@example.com>"), BEIFEN_SMTP_PROVIDER (its name in the third-party
	// registry) and BEIFEN_SMTP_CA_FILE (a PEM root to trust besides the system's, for a server
	// with a private CA). Unset: no e-mail channel, and accounts have no e-mail address.
	SMTPURL, SMTPFrom, SMTPProvider, SMTPCAFile string
	// PublicURL is the server's address as users reach it (BEIFEN_PUBLIC_URL), for links in
	// e-mail; default: the address it listens on.
	PublicURL string

	// The real-name verification service (clause 1.1.2): BEIFEN_REALNAME_URL, BEIFEN_REALNAME_TOKEN
	// or _FILE, BEIFEN_REALNAME_PROVIDER (its name in the third-party registry). Unset: nobody can
	// be verified. RealNameFor (BEIFEN_REALNAME_FOR, e.g. "share") lists the features that require
	// a verified name; empty, none does.
	RealNameURL, RealNameToken, RealNameProvider, RealNameFor string

	// Carrier one-click sign-in (clause 1.1.1f): the token exchange (BEIFEN_CARRIER_URL,
	// BEIFEN_CARRIER_TOKEN or _FILE, BEIFEN_CARRIER_PROVIDER: its name in the third-party
	// registry). Unset: off, and the texted code and the password are the ways in.
	CarrierURL, CarrierToken, CarrierProvider string

	// The push service in front of the phone makers' (clause 3.1.2e): BEIFEN_PUSH_URL,
	// BEIFEN_PUSH_TOKEN or _FILE, BEIFEN_PUSH_PROVIDER. Unset: no push, and no push token is taken.
	PushURL, PushToken, PushProvider string

	// The payment aggregator of team plans (clause 3.1.2d): BEIFEN_PAY_URL, BEIFEN_PAY_TOKEN or
	// _FILE, BEIFEN_PAY_PROVIDER, and BEIFEN_PAY_SECRET or _FILE, the shared secret of its signed
	// callbacks. Unset: payments are off, plans cannot be upgraded and no quota is enforced.
	PayURL, PayToken, PayProvider, PaySecret string

	// Where the data is kept (clause 4.1): the region of the database and of the blob store, and
	// the regions the data may be kept in. The server refuses to start when a target lies
	// outside them: moving data abroad takes a legal basis and consent, not a setting.
	DBRegion       string   // BEIFEN_DB_REGION, default BEIFEN_REGION
	BlobRegion     string   // BEIFEN_BLOB_REGION, default BEIFEN_REGION
	AllowedRegions []string // BEIFEN_ALLOWED_REGIONS, default "cn"
}

// DefaultRegion is where a deployment that says nothing keeps its data: mainland China.
const DefaultRegion = "cn"

// checkRegions refuses a database or blob target outside the allowed regions. A region is
// allowed when it is one of them or lies under one ("cn-north-1" under "cn").
func (c *Config) checkRegions() error {
	allowed := c.AllowedRegions
	if len(allowed) == 0 {
		allowed = []string{DefaultRegion}
	}
	for _, t := range []struct{ what, region string }{{"database", c.DBRegion}, {"blob store", c.BlobRegion}} {
		region := t.region
		if region == "" {
			region = DefaultRegion
		}
		ok := false
		for _, a := range allowed {
			if region == a || strings.HasPrefix(region, a+"-") {
				ok = true
			}
		}
		if !ok {
			return fmt.Errorf("the %s is in region %q, outside the allowed regions %s: personal data stays in them (clause 4.1)",
				t.what, region, strings.Join(allowed, ", "))
		}
	}
	return nil
}

// DefaultConfig returns the defaults: everything embedded, in ./beifen-data.
func DefaultConfig() Config {
	return Config{DataDir: "beifen-data", Addr: "127.0.0.1:8080", LogLevel: "info"}
}

// fromEnv fills what the environment sets.
func (c *Config) fromEnv(getenv Env) {
	set := func(dst *string, name string) {
		if v := secret(getenv, name); v != "" {
			*dst = v
		}
	}
	set(&c.DataDir, "BEIFEN_DATA")
	set(&c.Addr, "BEIFEN_ADDR")
	set(&c.DB, "BEIFEN_DB")
	set(&c.MasterKeyFile, "BEIFEN_MASTER_KEY_FILE")
	set(&c.LogLevel, "BEIFEN_LOG_LEVEL")
	set(&c.SMSWebhookToken, "BEIFEN_SMS_WEBHOOK_TOKEN")
	set(&c.SMSURL, "BEIFEN_SMS_URL")
	set(&c.SMSToken, "BEIFEN_SMS_TOKEN")
	set(&c.SMSProvider, "BEIFEN_SMS_PROVIDER")
	set(&c.SMTPURL, "BEIFEN_SMTP_URL")
	set(&c.SMTPFrom, "BEIFEN_SMTP_FROM")
	set(&c.SMTPProvider, "BEIFEN_SMTP_PROVIDER")
	set(&c.SMTPCAFile, "BEIFEN_SMTP_CA_FILE")
	set(&c.PublicURL, "BEIFEN_PUBLIC_URL")
	set(&c.RealNameURL, "BEIFEN_REALNAME_URL")
	set(&c.RealNameToken, "BEIFEN_REALNAME_TOKEN")
	set(&c.RealNameProvider, "BEIFEN_REALNAME_PROVIDER")
	set(&c.RealNameFor, "BEIFEN_REALNAME_FOR")
	set(&c.CarrierURL, "BEIFEN_CARRIER_URL")
	set(&c.CarrierToken, "BEIFEN_CARRIER_TOKEN")
	set(&c.CarrierProvider, "BEIFEN_CARRIER_PROVIDER")
	set(&c.PushURL, "BEIFEN_PUSH_URL")
	set(&c.PushToken, "BEIFEN_PUSH_TOKEN")
	set(&c.PushProvider, "BEIFEN_PUSH_PROVIDER")
	set(&c.PayURL, "BEIFEN_PAY_URL")
	set(&c.PayToken, "BEIFEN_PAY_TOKEN")
	set(&c.PayProvider, "BEIFEN_PAY_PROVIDER")
	set(&c.PaySecret, "BEIFEN_PAY_SECRET")
	if v := getenv("BEIFEN_OPERATORS"); v != "" {
		c.Operators = splitList(v)
	}
	region := getenv("BEIFEN_REGION")
	c.DBRegion, c.BlobRegion = region, region
	set(&c.DBRegion, "BEIFEN_DB_REGION")
	set(&c.BlobRegion, "BEIFEN_BLOB_REGION")
	if v := getenv("BEIFEN_ALLOWED_REGIONS"); v != "" {
		c.AllowedRegions = splitList(v)
	}
	switch getenv("BEIFEN_TRUST_PROXY") {
	case "1", "true", "yes":
		c.TrustProxy = true
	}
	switch getenv("BEIFEN_NO_MIGRATE") {
	case "1", "true", "yes":
		c.NoMigrate = true
	}
}

// secret reads name from the environment, or from the file named by name_FILE.
func secret(getenv Env, name string) string {
	if v := getenv(name); v != "" {
		return v
	}
	if path := getenv(name + "_FILE"); path != "" && name != "BEIFEN_MASTER_KEY_FILE" {
		b, err := os.ReadFile(path)
		if err == nil {
			return strings.TrimSpace(string(b))
		}
	}
	return ""
}

// masterKeyPath is the master key file: BEIFEN_MASTER_KEY_FILE or DATA/master.key.
func (c *Config) masterKeyPath() string {
	if c.MasterKeyFile != "" {
		return c.MasterKeyFile
	}
	return filepath.Join(c.DataDir, "master.key")
}

// isPostgres reports whether DB names a PostgreSQL server.
func (c *Config) isPostgres() bool {
	return strings.HasPrefix(c.DB, "postgres://") || strings.HasPrefix(c.DB, "postgresql://")
}

// splitList splits a comma- or space-separated list.
func splitList(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' })
}

// checkProviderURLs refuses a third party reached in clear text: the SMS gateway, the real-name
// service, the carrier and the push service are handed numbers, names and ID numbers, so they
// take https, except on this machine (a local relay, or a test).
func (c *Config) checkProviderURLs() error {
	for _, p := range []struct{ env, url string }{
		{"BEIFEN_SMS_URL", c.SMSURL}, {"BEIFEN_REALNAME_URL", c.RealNameURL},
		{"BEIFEN_CARRIER_URL", c.CarrierURL}, {"BEIFEN_PUSH_URL", c.PushURL},
		{"BEIFEN_PAY_URL", c.PayURL},
	} {
		if p.url == "" {
			continue
		}
		u, err := url.Parse(p.url)
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			return fmt.Errorf("%s: %q is not an http(s) URL", p.env, p.url)
		}
		if u.Scheme == "http" && !isLoopback(u.Hostname()) {
			return fmt.Errorf("%s: personal data would go in clear text to %s: use https", p.env, u.Host)
		}
	}
	if c.PayURL != "" && c.PaySecret == "" {
		return fmt.Errorf("BEIFEN_PAY_URL needs BEIFEN_PAY_SECRET: the payment callbacks must be signed")
	}
	return nil
}

// isLoopback reports whether host names this machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
