package beifen

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"time"
)

// ErrorReport is a crash, script error or slow operation reported by a client (the web pages,
// the command line), kept de-identified and aggregated (clause 1.2.2b): no account, no address,
// digits and e-mail addresses blanked from the message, the same report counted, not repeated.
type ErrorReport struct {
	Signature string    `json:"signature"` // hash of kind, app, where and the cleaned message
	Kind      string    `json:"kind"`      // "crash", "error" or "slow"
	App       string    `json:"app"`       // "web", "cli 1.4.2"
	Where     string    `json:"where"`     // page or command, without IDs
	Message   string    `json:"message"`
	Count     int       `json:"count"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
}

var (
	reportDigits = regexp.MustCompile(`\d{3,}`)
	reportEmail  = regexp.MustCompile(`[^\s@]+@[^\s@]+`)
	reportIDPath = regexp.MustCompile(`/\d+`)
)

// Clean de-identifies a report and sets its signature: runs of three or more digits (numbers,
// IDs, times) become "#", e-mail addresses "@", IDs in the location "/:id"; everything is cut to
// a bounded length. Returns EINVALID for an unknown kind or an empty message.
func (r *ErrorReport) Clean() error {
	if r.Kind != "crash" && r.Kind != "error" && r.Kind != "slow" {
		return Errorf(EINVALID, "A report is a crash, an error or a slow operation.")
	}
	clip := func(s string, n int) string {
		s = strings.ToValidUTF8(strings.TrimSpace(s), "")
		if r := []rune(s); len(r) > n {
			return string(r[:n])
		}
		return s
	}
	r.Message = clip(reportDigits.ReplaceAllString(reportEmail.ReplaceAllString(r.Message, "@"), "#"), 300)
	if r.Message == "" {
		return Errorf(EINVALID, "A report needs a message.")
	}
	if i := strings.IndexAny(r.Where, "?#"); i >= 0 {
		r.Where = r.Where[:i]
	}
	r.Where = clip(reportDigits.ReplaceAllString(reportIDPath.ReplaceAllString(r.Where, "/:id"), "#"), 100)
	r.App = clip(r.App, 40)
	sum := sha256.Sum256([]byte(r.Kind + "\x00" + r.App + "\x00" + r.Where + "\x00" + r.Message))
	r.Signature = hex.EncodeToString(sum[:12])
	return nil
}

// ErrorReportService keeps the aggregated reports.
type ErrorReportService interface {
	// AddErrorReport counts a cleaned report in at at.
	AddErrorReport(ctx context.Context, r *ErrorReport, at time.Time) error

	// FindErrorReports returns the reports seen since, the most frequent first (at most limit).
	FindErrorReports(ctx context.Context, since time.Time, limit int) ([]*ErrorReport, error)
}
