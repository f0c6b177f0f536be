package main

import (
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
	if v := getenv("BEIFEN_OPERATORS"); v != "" {
		c.Operators = splitList(v)
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
