package postgres

import (
	"context"
	"database/sql"
	"time"

	"github.com/beifen/beifen"
)

// ErrorReportService keeps aggregated client reports in PostgreSQL.
type ErrorReportService struct{ db *DB }

var _ beifen.ErrorReportService = (*ErrorReportService)(nil)

// NewErrorReportService returns an ErrorReportService on db.
func NewErrorReportService(db *DB) *ErrorReportService { return &ErrorReportService{db: db} }

// AddErrorReport counts a cleaned report in at at.
func (s *ErrorReportService) AddErrorReport(ctx context.Context, r *beifen.ErrorReport, at time.Time) error {
	_, err := s.db.pool.ExecContext(ctx, `INSERT INTO error_reports (signature, kind, app, location, message, count, first_seen, last_seen)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (signature) DO UPDATE SET count = error_reports.count + 1, last_seen = excluded.last_seen`,
		r.Signature, r.Kind, r.App, r.Where, r.Message, 1, at.UTC(), at.UTC())
	return FormatError(err)
}

// FindErrorReports returns the reports seen since, the most frequent first.
func (s *ErrorReportService) FindErrorReports(ctx context.Context, since time.Time, limit int) ([]*beifen.ErrorReport, error) {
	rows, err := s.db.pool.QueryContext(ctx, `SELECT signature, kind, app, location, message, count, first_seen, last_seen
		FROM error_reports WHERE last_seen >= $1 ORDER BY count DESC, last_seen DESC LIMIT $2`, since.UTC(), limit)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	out := []*beifen.ErrorReport{}
	for rows.Next() {
		r := &beifen.ErrorReport{}
		var first, last sql.NullTime
		if err := rows.Scan(&r.Signature, &r.Kind, &r.App, &r.Where, &r.Message, &r.Count, &first, &last); err != nil {
			return nil, err
		}
		r.FirstSeen, r.LastSeen = parseTime(first), parseTime(last)
		out = append(out, r)
	}
	return out, rows.Err()
}
