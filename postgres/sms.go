package postgres

import (
	"context"
	"database/sql"

	"github.com/beifen/beifen"
)

// SMSTemplateService stores after-call texts in PostgreSQL.
type SMSTemplateService struct{ db *DB }

var _ beifen.SMSTemplateService = (*SMSTemplateService)(nil)

// NewSMSTemplateService returns an SMSTemplateService on db.
func NewSMSTemplateService(db *DB) *SMSTemplateService { return &SMSTemplateService{db: db} }

// PutSMSTemplate creates or replaces the team's text for an outcome.
func (s *SMSTemplateService) PutSMSTemplate(ctx context.Context, t *beifen.SMSTemplate) error {
	tid, err := teamID(ctx)
	if err != nil {
		return err
	}
	if err := t.Validate(); err != nil {
		return err
	}
	t.TeamID, t.UpdatedAt = tid, s.db.now()
	_, err = s.db.pool.ExecContext(ctx, `
		INSERT INTO sms_templates (
			team_id,
			outcome,
			body,
			updated_at
		) VALUES ($1, $2, $3, $4)
		ON CONFLICT (team_id, outcome) DO UPDATE SET
			body = excluded.body,
			updated_at = excluded.updated_at`,
		tid, string(t.Outcome), t.Body, t.UpdatedAt)
	return FormatError(err)
}

// FindSMSTemplate returns ENOTFOUND if the team has no text for the outcome.
func (s *SMSTemplateService) FindSMSTemplate(ctx context.Context, outcome beifen.Outcome) (*beifen.SMSTemplate, error) {
	tid, err := teamID(ctx)
	if err != nil {
		return nil, err
	}
	t := beifen.SMSTemplate{TeamID: tid, Outcome: outcome}
	var updated sql.NullTime
	err = s.db.pool.QueryRowContext(ctx, `SELECT body, updated_at FROM sms_templates
		WHERE team_id = $1 AND outcome = $2`, tid, string(outcome)).Scan(&t.Body, &updated)
	if err == sql.ErrNoRows {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "No after-call text for this outcome.")
	} else if err != nil {
		return nil, FormatError(err)
	}
	t.UpdatedAt = parseTime(updated)
	return &t, nil
}
