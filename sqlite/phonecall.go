package sqlite

import (
	"context"
	"database/sql"

	"github.com/beifen/beifen"
)

// PhoneCallService stores a team's uploaded call logs in SQLite.
type PhoneCallService struct{ db *DB }

var _ beifen.PhoneCallService = (*PhoneCallService)(nil)

// NewPhoneCallService returns a PhoneCallService on db.
func NewPhoneCallService(db *DB) *PhoneCallService { return &PhoneCallService{db: db} }

// AddPhoneCalls stores the calls not stored yet, matched to the team's leads.
func (s *PhoneCallService) AddPhoneCalls(ctx context.Context, calls []*beifen.PhoneCall) (int, error) {
	tid, err := teamID(ctx)
	if err != nil {
		return 0, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	st, err := tx.prepared(ctx, `
		INSERT INTO phone_calls (
			team_id,
			staff_id,
			lead_id,
			phone_hash,
			sealed,
			type,
			date,
			duration
		) VALUES (?, ?, (SELECT id FROM leads WHERE team_id = ? AND phone_hash = ?), ?, ?, ?, ?, ?)
		ON CONFLICT (team_id, staff_id, phone_hash, type, date) DO NOTHING
		RETURNING id, lead_id`)
	if err != nil {
		return 0, err
	}
	added := 0
	for _, c := range calls {
		var lead sql.NullInt64
		c.TeamID = tid
		err := st.QueryRowContext(ctx, tid, c.StaffID, tid, c.PhoneHash, c.PhoneHash, c.Sealed, c.Type,
			formatTime(c.Date), c.Duration).Scan(&c.ID, &lead)
		if err == sql.ErrNoRows {
			continue
		} else if err != nil {
			return 0, FormatError(err)
		}
		c.LeadID = lead.Int64
		added++
	}
	return added, tx.Commit()
}

// FindPhoneCalls returns the team's calls in time order, and how many match.
func (s *PhoneCallService) FindPhoneCalls(ctx context.Context, f beifen.PhoneCallFilter) ([]*beifen.PhoneCall, int, error) {
	tid, err := teamID(ctx)
	if err != nil {
		return nil, 0, err
	}
	where, args := "team_id = ?", []any{tid}
	if f.LeadID != nil {
		where, args = where+" AND lead_id = ?", append(args, *f.LeadID)
	}
	if f.StaffID != nil {
		where, args = where+" AND staff_id = ?", append(args, *f.StaffID)
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
			lead_id,
			phone_hash,
			sealed,
			type,
			date,
			duration,
			COUNT(*) OVER ()
		FROM phone_calls WHERE `+where+` ORDER BY date, id LIMIT ? OFFSET ?`, append(args, limit, f.Offset)...)
	if err != nil {
		return nil, 0, FormatError(err)
	}
	defer rows.Close()
	var calls []*beifen.PhoneCall
	n := 0
	for rows.Next() {
		var c beifen.PhoneCall
		var lead sql.NullInt64
		var date sql.NullString
		if err := rows.Scan(&c.ID, &c.TeamID, &c.StaffID, &lead, &c.PhoneHash, &c.Sealed, &c.Type, &date, &c.Duration, &n); err != nil {
			return nil, 0, err
		}
		c.LeadID, c.Date = lead.Int64, parseTime(date)
		calls = append(calls, &c)
	}
	return calls, n, rows.Err()
}
