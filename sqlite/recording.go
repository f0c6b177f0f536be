package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/beifen/beifen"
)

// RecordingService stores a team's call recordings, reviews and playbacks in SQLite.
type RecordingService struct{ db *DB }

var _ beifen.RecordingService = (*RecordingService)(nil)

// NewRecordingService returns a RecordingService on db.
func NewRecordingService(db *DB) *RecordingService { return &RecordingService{db: db} }

// CreateRecording stores a recording matched to the staff member's nearest call with its number.
func (s *RecordingService) CreateRecording(ctx context.Context, r *beifen.Recording, window time.Duration) error {
	tid, err := teamID(ctx)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	r.TeamID, r.CreatedAt = tid, tx.now
	var call, lead sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT id, lead_id FROM phone_calls
		WHERE team_id = ? AND staff_id = ? AND phone_hash = ? AND date BETWEEN ? AND ?
		ORDER BY abs(julianday(date) - julianday(?)) LIMIT 1`,
		tid, r.StaffID, r.PhoneHash, formatTime(r.StartedAt.Add(-window)), formatTime(r.StartedAt.Add(window)),
		formatTime(r.StartedAt)).Scan(&call, &lead)
	if err != nil && err != sql.ErrNoRows {
		return FormatError(err)
	}
	r.CallID, r.LeadID = call.Int64, lead.Int64
	if r.LeadID == 0 {
		tx.QueryRowContext(ctx, `SELECT id FROM leads WHERE team_id = ? AND phone_hash = ?`, tid, r.PhoneHash).Scan(&r.LeadID)
	}
	err = tx.QueryRowContext(ctx, `
		INSERT INTO recordings (
			team_id,
			staff_id,
			blob_name,
			size,
			phone_hash,
			sealed,
			started_at,
			call_id,
			lead_id,
			created_at
		) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		tid, r.StaffID, r.BlobName, r.Size, r.PhoneHash, r.Sealed, formatTime(r.StartedAt), nullID(r.CallID),
		nullID(r.LeadID), formatTime(r.CreatedAt)).Scan(&r.ID)
	if err != nil {
		return FormatError(err)
	}
	return tx.Commit()
}

// FindRecordings returns the team's recordings, newest first.
func (s *RecordingService) FindRecordings(ctx context.Context, f beifen.RecordingFilter) ([]*beifen.Recording, int, error) {
	tid, err := teamID(ctx)
	if err != nil {
		return nil, 0, err
	}
	where, args := "team_id = ?", []any{tid}
	if f.ID != nil {
		where, args = where+" AND id = ?", append(args, *f.ID)
	}
	if f.Unmatched {
		where += " AND call_id IS NULL"
	}
	if f.Manager != nil {
		where, args = where+` AND staff_id IN (SELECT id FROM users WHERE manager_id = ? OR manager_id IS NULL OR id = ?)`,
			append(args, *f.Manager, *f.Manager)
	}
	limit := -1
	if f.Limit > 0 {
		limit = f.Limit
	}
	rows, err := s.db.read.QueryContext(ctx, `
		SELECT
			id,
			team_id,
			staff_id,
			blob_name,
			size,
			phone_hash,
			sealed,
			started_at,
			call_id,
			lead_id,
			created_at,
			COUNT(*) OVER ()
		FROM recordings WHERE `+where+` ORDER BY id DESC LIMIT ? OFFSET ?`, append(args, limit, f.Offset)...)
	if err != nil {
		return nil, 0, FormatError(err)
	}
	defer rows.Close()
	var out []*beifen.Recording
	n := 0
	for rows.Next() {
		var r beifen.Recording
		var call, lead sql.NullInt64
		var started, created sql.NullString
		if err := rows.Scan(&r.ID, &r.TeamID, &r.StaffID, &r.BlobName, &r.Size, &r.PhoneHash, &r.Sealed,
			&started, &call, &lead, &created, &n); err != nil {
			return nil, 0, err
		}
		r.StartedAt, r.CreatedAt, r.CallID, r.LeadID = parseTime(started), parseTime(created), call.Int64, lead.Int64
		out = append(out, &r)
	}
	return out, n, rows.Err()
}

// LinkRecording matches a recording to a phone call of the team by hand.
func (s *RecordingService) LinkRecording(ctx context.Context, id, callID int64) error {
	tid, err := teamID(ctx)
	if err != nil {
		return err
	}
	res, err := s.db.write.ExecContext(ctx, `UPDATE recordings SET
			call_id = c.id, lead_id = COALESCE(c.lead_id, recordings.lead_id)
		FROM (SELECT id, lead_id FROM phone_calls WHERE id = ? AND team_id = ?) AS c
		WHERE recordings.id = ? AND recordings.team_id = ?`, callID, tid, id, tid)
	if err != nil {
		return FormatError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return beifen.Errorf(beifen.ENOTFOUND, "Recording or call not found.")
	}
	return nil
}

// LogAccess records a playback or download.
func (s *RecordingService) LogAccess(ctx context.Context, a *beifen.RecordingAccess) error {
	tid, err := teamID(ctx)
	if err != nil {
		return err
	}
	res, err := s.db.write.ExecContext(ctx, `INSERT INTO recording_access (recording_id, user_id, kind, at)
		SELECT id, ?, ?, ? FROM recordings WHERE id = ? AND team_id = ?`,
		a.UserID, a.Kind, formatTime(a.At), a.RecordingID, tid)
	if err != nil {
		return FormatError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return beifen.Errorf(beifen.ENOTFOUND, "Recording not found.")
	}
	return nil
}

// FindAccesses returns who played or downloaded a recording, oldest first.
func (s *RecordingService) FindAccesses(ctx context.Context, id int64) ([]*beifen.RecordingAccess, error) {
	tid, err := teamID(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.read.QueryContext(ctx, `SELECT a.recording_id, a.user_id, a.kind, a.at
		FROM recording_access AS a JOIN recordings AS r ON r.id = a.recording_id
		WHERE a.recording_id = ? AND r.team_id = ? ORDER BY a.at, a.rowid`, id, tid)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	var out []*beifen.RecordingAccess
	for rows.Next() {
		var a beifen.RecordingAccess
		var at sql.NullString
		if err := rows.Scan(&a.RecordingID, &a.UserID, &a.Kind, &at); err != nil {
			return nil, err
		}
		a.At = parseTime(at)
		out = append(out, &a)
	}
	return out, rows.Err()
}

// PutReview stores a review, replacing the reviewer's earlier one.
func (s *RecordingService) PutReview(ctx context.Context, r *beifen.Review, sealedComments []byte) error {
	tid, err := teamID(ctx)
	if err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return err
	}
	items, _ := json.Marshal(r.Items)
	r.CreatedAt = s.db.Now().UTC()
	res, err := s.db.write.ExecContext(ctx, `
		INSERT INTO reviews (recording_id, reviewer_id, items, comments, score, passed, created_at)
		SELECT id, ?, ?, ?, ?, ?, ? FROM recordings WHERE id = ? AND team_id = ?
		ON CONFLICT (recording_id, reviewer_id) DO UPDATE SET
			items = excluded.items, comments = excluded.comments, score = excluded.score,
			passed = excluded.passed, created_at = excluded.created_at`,
		r.ReviewerID, string(items), sealedComments, r.Score, r.Passed, formatTime(r.CreatedAt), r.RecordingID, tid)
	if err != nil {
		return FormatError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return beifen.Errorf(beifen.ENOTFOUND, "Recording not found.")
	}
	return nil
}

// DeleteRecordingsBefore deletes the team's recordings that started before t.
func (s *RecordingService) DeleteRecordingsBefore(ctx context.Context, t time.Time) ([]string, error) {
	tid, err := teamID(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.write.QueryContext(ctx, `DELETE FROM recordings WHERE team_id = ? AND started_at < ?
		RETURNING blob_name`, tid, formatTime(t))
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}
