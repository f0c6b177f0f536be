// Package beifen holds the domain of beifen (备份, "backup"): a self-hosted platform that backs up
// phones and keeps the promises of the 手机备份 privacy policy.
//
// This root package describes what beifen does: its types, the interfaces of its services and its
// error codes. It imports only the standard library. How each service is kept lives in the
// subpackages named after their dependency (sqlite, postgres, disk, http, ...), which meet only in
// cmd/beifen.
package beifen

// Version and Commit are set at build time with -ldflags.
var (
	Version = "dev"
	Commit  = ""
)
