package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/beifen/beifen"
)

// IncidentService stores security incidents in PostgreSQL.
type IncidentService struct{ db *DB }

var _ beifen.IncidentService = (*IncidentService)(nil)

// NewIncidentService returns an IncidentService on db.
func NewIncidentService(db *DB) *IncidentService { return &IncidentService{db: db} }

// CreateIncident records an incident and sets its ID.
func (s *IncidentService) CreateIncident(ctx context.Context, i *beifen.Incident) error {
	if err := i.Validate(); err != nil {
		return err
	}
	i.CreatedAt = s.db.now()
	err := s.db.pool.QueryRowContext(ctx, `
		INSERT INTO incidents (title, body, scope, severity, detected_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		i.Title, i.Body, i.Scope, i.Severity, i.DetectedAt.UTC(), i.CreatedAt).Scan(&i.ID)
	return FormatError(err)
}

// FindIncidents returns every incident, newest first.
func (s *IncidentService) FindIncidents(ctx context.Context) ([]*beifen.Incident, error) {
	rows, err := s.db.pool.QueryContext(ctx, `
		SELECT id, title, body, scope, severity, detected_at, created_at, notified_at, notified, reported_at
		FROM incidents ORDER BY id DESC`)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	out := []*beifen.Incident{}
	for rows.Next() {
		i := &beifen.Incident{}
		var detected, created, notified, reported sql.NullTime
		if err := rows.Scan(&i.ID, &i.Title, &i.Body, &i.Scope, &i.Severity, &detected, &created, &notified, &i.Notified, &reported); err != nil {
			return nil, err
		}
		i.DetectedAt, i.CreatedAt, i.NotifiedAt, i.ReportedAt = parseTime(detected), parseTime(created), parseTime(notified), parseTime(reported)
		out = append(out, i)
	}
	return out, rows.Err()
}

// UpdateIncident records a notice or report.
func (s *IncidentService) UpdateIncident(ctx context.Context, id int64, upd beifen.IncidentUpdate) error {
	var set []string
	var args []any
	add := func(col string, v any) {
		args = append(args, v)
		set = append(set, col+" = "+fmt.Sprintf("$%d", len(args)))
	}
	if upd.NotifiedAt != nil {
		add("notified_at", nullTime(*upd.NotifiedAt))
	}
	if upd.Notified != nil {
		add("notified", *upd.Notified)
	}
	if upd.ReportedAt != nil {
		add("reported_at", nullTime(*upd.ReportedAt))
	}
	if len(set) == 0 {
		return nil
	}
	args = append(args, id)
	res, err := s.db.pool.ExecContext(ctx, `UPDATE incidents SET `+strings.Join(set, ", ")+` WHERE id = `+fmt.Sprintf("$%d", len(args)), args...)
	if err != nil {
		return FormatError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return beifen.Errorf(beifen.ENOTFOUND, "Incident not found.")
	}
	return nil
}
