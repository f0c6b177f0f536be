package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"time"

	"github.com/beifen/beifen"
)

// RecordingService stores a team's call recordings, reviews and playbacks in PostgreSQL.
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
	if err := matchCall(ctx, tx, r, window); err != nil {
		return err
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
		) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		tid, r.StaffID, r.BlobName, r.Size, r.PhoneHash, r.Sealed, r.StartedAt.UTC(), nullID(r.CallID),
		nullID(r.LeadID), r.CreatedAt).Scan(&r.ID)
	if err != nil {
		return FormatError(err)
	}
	return tx.Commit()
}

// matchCall sets r's call to the staff member's call with its number nearest its start within
// window, and its lead to that call's lead or else the team's lead with its number.
func matchCall(ctx context.Context, tx *Tx, r *beifen.Recording, window time.Duration) error {
	var call, lead sql.NullInt64
	start := r.StartedAt.UTC()
	err := tx.QueryRowContext(ctx, `SELECT id, lead_id FROM phone_calls
		WHERE team_id = $1 AND staff_id = $2 AND phone_hash = $3 AND date BETWEEN $4 AND $5
		ORDER BY abs(extract(epoch FROM (date - $6::timestamptz))) LIMIT 1`,
		r.TeamID, r.StaffID, r.PhoneHash, start.Add(-window), start.Add(window), start).Scan(&call, &lead)
	if err != nil && err != sql.ErrNoRows {
		return FormatError(err)
	}
	r.CallID, r.LeadID = call.Int64, lead.Int64
	if r.LeadID != 0 {
		return nil
	}
	err = tx.QueryRowContext(ctx, `SELECT id FROM leads WHERE team_id = $1 AND phone_hash = $2`,
		r.TeamID, r.PhoneHash).Scan(&r.LeadID)
	if err != nil && err != sql.ErrNoRows {
		return FormatError(err)
	}
	return nil
}

// FindRecordings returns the team's recordings, newest first.
func (s *RecordingService) FindRecordings(ctx context.Context, f beifen.RecordingFilter) ([]*beifen.Recording, int, error) {
	tid, err := teamID(ctx)
	if err != nil {
		return nil, 0, err
	}
	where, args := "team_id = $1", []any{tid}
	if f.ID != nil {
		args = append(args, *f.ID)
		where += " AND id = $" + strconv.Itoa(len(args))
	}
	if f.Unmatched {
		where += " AND call_id IS NULL"
	}
	if f.Manager != nil {
		args = append(args, *f.Manager)
		n := strconv.Itoa(len(args))
		where += ` AND staff_id IN (SELECT id FROM users WHERE manager_id = $` + n + ` OR manager_id IS NULL OR id = $` + n + `)`
	}
	var limit any
	if f.Limit > 0 {
		limit = f.Limit
	}
	args = append(args, limit, f.Offset)
	rows, err := s.db.pool.QueryContext(ctx, `
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
		FROM recordings WHERE `+where+` ORDER BY id DESC
		LIMIT $`+strconv.Itoa(len(args)-1)+` OFFSET $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, 0, FormatError(err)
	}
	defer rows.Close()
	var out []*beifen.Recording
	n := 0
	for rows.Next() {
		var r beifen.Recording
		var call, lead sql.NullInt64
		var started, created sql.NullTime
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
	res, err := s.db.pool.ExecContext(ctx, `UPDATE recordings SET
			call_id = c.id, lead_id = COALESCE(c.lead_id, recordings.lead_id)
		FROM (SELECT id, lead_id FROM phone_calls WHERE id = $1 AND team_id = $2) AS c
		WHERE recordings.id = $3 AND recordings.team_id = $2`, callID, tid, id)
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
	res, err := s.db.pool.ExecContext(ctx, `INSERT INTO recording_access (recording_id, user_id, kind, at)
		SELECT id, $1, $2, $3 FROM recordings WHERE id = $4 AND team_id = $5`,
		a.UserID, a.Kind, a.At.UTC(), a.RecordingID, tid)
	if err != nil {
		return FormatError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return beifen.Errorf(beifen.ENOTFOUND, "Recording not found.")
	}
	return nil
}

// FindAccesses returns who played or downloaded a recording, oldest first. The log is
// insert-only, so ctid breaks ties of time in insertion order.
func (s *RecordingService) FindAccesses(ctx context.Context, id int64) ([]*beifen.RecordingAccess, error) {
	tid, err := teamID(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.pool.QueryContext(ctx, `SELECT a.recording_id, a.user_id, a.kind, a.at
		FROM recording_access AS a JOIN recordings AS r ON r.id = a.recording_id
		WHERE a.recording_id = $1 AND r.team_id = $2 ORDER BY a.at, a.ctid`, id, tid)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	var out []*beifen.RecordingAccess
	for rows.Next() {
		var a beifen.RecordingAccess
		var at sql.NullTime
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
	items, err := json.Marshal(r.Items)
	if err != nil {
		return err
	}
	r.CreatedAt = s.db.now()
	res, err := s.db.pool.ExecContext(ctx, `
		INSERT INTO reviews (recording_id, reviewer_id, items, comments, score, passed, created_at)
		SELECT id, $1, $2, $3, $4, $5, $6 FROM recordings WHERE id = $7 AND team_id = $8
		ON CONFLICT (recording_id, reviewer_id) DO UPDATE SET
			items = excluded.items, comments = excluded.comments, score = excluded.score,
			passed = excluded.passed, created_at = excluded.created_at`,
		r.ReviewerID, string(items), sealedComments, r.Score, r.Passed, r.CreatedAt, r.RecordingID, tid)
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
	rows, err := s.db.pool.QueryContext(ctx, `DELETE FROM recordings WHERE team_id = $1 AND started_at < $2
		RETURNING blob_name`, tid, t.UTC())
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
