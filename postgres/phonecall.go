package postgres

import (
	"context"
	"database/sql"
	"strconv"

	"github.com/beifen/beifen"
)

// PhoneCallService stores a team's uploaded call logs in PostgreSQL.
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
	added := 0
	for _, c := range calls {
		var lead sql.NullInt64
		c.TeamID = tid
		err := tx.QueryRowContext(ctx, `
			INSERT INTO phone_calls (
				team_id,
				staff_id,
				lead_id,
				phone_hash,
				sealed,
				type,
				date,
				duration
			) VALUES ($1, $2, (SELECT id FROM leads WHERE team_id = $1 AND phone_hash = $3), $3, $4, $5, $6, $7)
			ON CONFLICT (team_id, staff_id, phone_hash, type, date) DO NOTHING
			RETURNING id, lead_id`,
			tid, c.StaffID, c.PhoneHash, c.Sealed, c.Type, c.Date.UTC(), c.Duration).Scan(&c.ID, &lead)
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
	where, args := "team_id = $1", []any{tid}
	if f.LeadID != nil {
		args = append(args, *f.LeadID)
		where += " AND lead_id = $" + strconv.Itoa(len(args))
	}
	if f.StaffID != nil {
		args = append(args, *f.StaffID)
		where += " AND staff_id = $" + strconv.Itoa(len(args))
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
			lead_id,
			phone_hash,
			sealed,
			type,
			date,
			duration,
			COUNT(*) OVER ()
		FROM phone_calls WHERE `+where+` ORDER BY date, id
		LIMIT $`+strconv.Itoa(len(args)-1)+` OFFSET $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, 0, FormatError(err)
	}
	defer rows.Close()
	var calls []*beifen.PhoneCall
	n := 0
	for rows.Next() {
		var c beifen.PhoneCall
		var lead sql.NullInt64
		var date sql.NullTime
		if err := rows.Scan(&c.ID, &c.TeamID, &c.StaffID, &lead, &c.PhoneHash, &c.Sealed, &c.Type, &date, &c.Duration, &n); err != nil {
			return nil, 0, err
		}
		c.LeadID, c.Date = lead.Int64, parseTime(date)
		calls = append(calls, &c)
	}
	return calls, n, rows.Err()
}
