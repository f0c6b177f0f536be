package main

import (
	"context"
	"strconv"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/auth"
	"github.com/beifen/beifen/crm"
)

// RetentionRules lists every category of personal data beifen keeps, how long, and what happens
// after (clause 4.2), as the hourly job applies them. It is published without sign-in at
// GET /api/v1/retention and on /privacy/retention.
func RetentionRules() []beifen.RetentionRule {
	recordings := beifen.NewRetentionRule("recordings", 0, "delete")
	recordings.PerTeam = true
	return []beifen.RetentionRule{
		// Network logs: at least six months by law (Cybersecurity Law art. 21); a year here.
		beifen.NewRetentionRule("signins", beifen.SignInRetention, "delete"),
		recordings,
		beifen.NewRetentionRule("rejected_rows", crm.RejectedRowsKeep, "delete"),
		// A requested account deletion waits out its cooling-off, then everything goes.
		beifen.NewRetentionRule("deleted_accounts", auth.CoolingOff, "erase"),
		// A minor's data without a guardian's consent.
		beifen.NewRetentionRule("minors_without_consent", beifen.MinorGrace, "erase"),
		// Backups, contacts, messages, calls and files: until the user deletes them (items,
		// or the whole account).
		beifen.NewRetentionRule("backups", 0, "keep"),
		// The audit log holds pseudonymous IDs only and is kept for the life of the platform,
		// so that what happened to personal data can always be proved.
		beifen.NewRetentionRule("audit", 0, "keep"),
	}
}

// recordRetention writes what a retention run removed of a category to the platform's audit
// log: counts only.
func (m *Main) recordRetention(ctx context.Context, category string, n int) {
	if n == 0 {
		return
	}
	if err := m.Audit.AuditPlatform(ctx, "retention."+category, "count:"+strconv.Itoa(n)); err != nil {
		m.Logger.ErrorContext(ctx, "retention not recorded", "category", category, "count", n, "err", err)
	}
}
