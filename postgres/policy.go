package postgres

import (
	"context"
	"database/sql"
	"time"

	"github.com/beifen/beifen"
)

// PolicyService stores policy versions and acceptances in PostgreSQL.
type PolicyService struct{ db *DB }

var _ beifen.PolicyService = (*PolicyService)(nil)

// NewPolicyService returns a PolicyService on db.
func NewPolicyService(db *DB) *PolicyService { return &PolicyService{db: db} }

// PublishPolicy stores a document. Returns ECONFLICT if that version and language exist.
func (s *PolicyService) PublishPolicy(ctx context.Context, d *beifen.PolicyDocument) error {
	if err := d.Validate(); err != nil {
		return err
	}
	d.PublishedAt = s.db.now()
	_, err := s.db.pool.ExecContext(ctx, `
		INSERT INTO policies (
			version,
			lang,
			title,
			body,
			effective_at,
			material,
			published_at
		) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		d.Version, d.Lang, d.Title, d.Body, d.EffectiveAt.UTC(), d.Material, d.PublishedAt)
	if beifen.ErrorCode(FormatError(err)) == beifen.ECONFLICT {
		return beifen.Errorf(beifen.ECONFLICT, "This policy version is already published.")
	}
	return FormatError(err)
}

// FindPolicies returns every document, oldest effective date first.
func (s *PolicyService) FindPolicies(ctx context.Context) ([]*beifen.PolicyDocument, error) {
	rows, err := s.db.pool.QueryContext(ctx, `SELECT version, lang, title, body, effective_at, material, published_at
		FROM policies ORDER BY effective_at, version, lang`)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	var out []*beifen.PolicyDocument
	for rows.Next() {
		var d beifen.PolicyDocument
		var eff, pub sql.NullTime
		if err := rows.Scan(&d.Version, &d.Lang, &d.Title, &d.Body, &eff, &d.Material, &pub); err != nil {
			return nil, err
		}
		d.EffectiveAt, d.PublishedAt = parseTime(eff), parseTime(pub)
		out = append(out, &d)
	}
	return out, rows.Err()
}

// AcceptPolicy records that a user accepted a version.
func (s *PolicyService) AcceptPolicy(ctx context.Context, userID int64, version string, at time.Time) error {
	_, err := s.db.pool.ExecContext(ctx, `INSERT INTO policy_acceptances (user_id, version, accepted_at)
		VALUES ($1, $2, $3) ON CONFLICT (user_id, version) DO NOTHING`, userID, version, at.UTC())
	return FormatError(err)
}

// AcceptedPolicies returns the versions a user accepted.
func (s *PolicyService) AcceptedPolicies(ctx context.Context, userID int64) ([]string, error) {
	rows, err := s.db.pool.QueryContext(ctx, `SELECT version FROM policy_acceptances WHERE user_id = $1 ORDER BY accepted_at`, userID)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// AddConsent appends an entry to the user's consent ledger.
func (s *PolicyService) AddConsent(ctx context.Context, c *beifen.Consent) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if c.At.IsZero() {
		c.At = s.db.now()
	}
	_, err := s.db.pool.ExecContext(ctx, `INSERT INTO consents (user_id, purpose, granted, policy_version, at, by_guardian, channel)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, c.UserID, string(c.Purpose), c.Granted, c.PolicyVersion, c.At.UTC(), c.ByGuardian, c.Channel)
	return FormatError(err)
}

// FindConsents returns the user's consent ledger, oldest first.
func (s *PolicyService) FindConsents(ctx context.Context, userID int64) ([]*beifen.Consent, error) {
	rows, err := s.db.pool.QueryContext(ctx, `SELECT purpose, granted, policy_version, at, by_guardian, channel
		FROM consents WHERE user_id = $1 ORDER BY id`, userID)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	out := []*beifen.Consent{}
	for rows.Next() {
		c := &beifen.Consent{UserID: userID}
		var at sql.NullTime
		if err := rows.Scan(&c.Purpose, &c.Granted, &c.PolicyVersion, &at, &c.ByGuardian, &c.Channel); err != nil {
			return nil, err
		}
		c.At = parseTime(at)
		out = append(out, c)
	}
	return out, rows.Err()
}
