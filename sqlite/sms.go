package sqlite

import (
	"context"
	"database/sql"

	"github.com/beifen/beifen"
)

// SMSTemplateService stores after-call texts in SQLite.
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
	t.TeamID, t.UpdatedAt = tid, s.db.Now().UTC()
	_, err = s.db.write.ExecContext(ctx, `
		INSERT INTO sms_templates (
			team_id,
			outcome,
			body,
			updated_at
		) VALUES (?, ?, ?, ?)
		ON CONFLICT (team_id, outcome) DO UPDATE SET
			body = excluded.body,
			updated_at = excluded.updated_at`,
		tid, string(t.Outcome), t.Body, formatTime(t.UpdatedAt))
	return FormatError(err)
}

// FindSMSTemplate returns ENOTFOUND if the team has no text for the outcome.
func (s *SMSTemplateService) FindSMSTemplate(ctx context.Context, outcome beifen.Outcome) (*beifen.SMSTemplate, error) {
	tid, err := teamID(ctx)
	if err != nil {
		return nil, err
	}
	t := beifen.SMSTemplate{TeamID: tid, Outcome: outcome}
	var updated sql.NullString
	err = s.db.read.QueryRowContext(ctx, `SELECT body, updated_at FROM sms_templates
		WHERE team_id = ? AND outcome = ?`, tid, string(outcome)).Scan(&t.Body, &updated)
	if err == sql.ErrNoRows {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "No after-call text for this outcome.")
	} else if err != nil {
		return nil, FormatError(err)
	}
	t.UpdatedAt = parseTime(updated)
	return &t, nil
}
