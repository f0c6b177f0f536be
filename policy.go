package beifen

import (
	"context"
	"time"
)

// PolicyDocument is one language of one version of the privacy policy.
type PolicyDocument struct {
	Version     string    `json:"version"`
	Lang        string    `json:"lang"` // zh-CN or en
	Title       string    `json:"title"`
	Body        string    `json:"body"` // Markdown
	EffectiveAt time.Time `json:"effective_at"`
	// Material changes block use until the user accepts them (clause 8a); others take effect
	// after the notice period on their own.
	Material    bool      `json:"material"`
	PublishedAt time.Time `json:"published_at"`
}

// Validate returns EINVALID for a document that cannot be published.
func (d *PolicyDocument) Validate() error {
	switch {
	case d.Version == "" || d.Title == "" || d.Body == "":
		return Errorf(EINVALID, "A policy needs a version, a title and a text.")
	case d.Lang != "zh-CN" && d.Lang != "en":
		return Errorf(EINVALID, "Policy language must be zh-CN or en.")
	case d.EffectiveAt.IsZero():
		return Errorf(EINVALID, "A policy needs the date it takes effect.")
	}
	return nil
}

// PolicyService stores policy versions and who accepted which.
type PolicyService interface {
	// PublishPolicy stores a document. Returns ECONFLICT if that version and language exist.
	PublishPolicy(ctx context.Context, d *PolicyDocument) error

	// FindPolicies returns every document, oldest effective date first.
	FindPolicies(ctx context.Context) ([]*PolicyDocument, error)

	// AcceptPolicy records that a user accepted a version. Accepting again changes nothing.
	AcceptPolicy(ctx context.Context, userID int64, version string, at time.Time) error

	// AcceptedPolicies returns the versions a user accepted.
	AcceptedPolicies(ctx context.Context, userID int64) ([]string, error)

	// AddConsent appends an entry to the user's consent ledger. Returns EINVALID for an entry
	// of no registered, optional purpose.
	AddConsent(ctx context.Context, c *Consent) error

	// FindConsents returns the user's consent ledger, oldest first.
	FindConsents(ctx context.Context, userID int64) ([]*Consent, error)
}
