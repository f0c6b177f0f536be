package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/beifen/beifen"
)

// LeadService stores a team's leads in SQLite.
type LeadService struct{ db *DB }

var _ beifen.LeadService = (*LeadService)(nil)

// NewLeadService returns a LeadService on db.
func NewLeadService(db *DB) *LeadService { return &LeadService{db: db} }

// FindLeads returns the team's leads in ID order, and how many match in all.
func (s *LeadService) FindLeads(ctx context.Context, f beifen.LeadFilter) ([]*beifen.Lead, int, error) {
	tid, err := teamID(ctx)
	if err != nil {
		return nil, 0, err
	}
	where, args := "team_id = ?", []any{tid}
	if f.ID != nil {
		where, args = where+" AND id = ?", append(args, *f.ID)
	}
	if f.OwnerID != nil {
		where, args = where+" AND owner_id IS ?", append(args, nullID(*f.OwnerID))
	}
	if f.Manager != nil {
		where, args = where+` AND (owner_id IS NULL OR owner_id IN
			(SELECT id FROM users WHERE manager_id = ? OR manager_id IS NULL OR id = ?))`, append(args, *f.Manager, *f.Manager)
	}
	limit := -1
	if f.Limit > 0 {
		limit = f.Limit
	}
	rows, err := s.db.read.QueryContext(ctx, `
		SELECT
			id,
			team_id,
			phone_hash,
			sealed,
			owner_id,
			created_at,
			COUNT(*) OVER ()
		FROM leads WHERE `+where+` ORDER BY id LIMIT ? OFFSET ?`, append(args, limit, f.Offset)...)
	if err != nil {
		return nil, 0, FormatError(err)
	}
	defer rows.Close()
	var leads []*beifen.Lead
	n := 0
	for rows.Next() {
		var l beifen.Lead
		var owner sql.NullInt64
		var created sql.NullString
		if err := rows.Scan(&l.ID, &l.TeamID, &l.PhoneHash, &l.Sealed, &owner, &created, &n); err != nil {
			return nil, 0, err
		}
		l.OwnerID, l.CreatedAt = owner.Int64, parseTime(created)
		leads = append(leads, &l)
	}
	return leads, n, rows.Err()
}

// CreateLeads stores the leads whose number the team does not have yet and sets their IDs.
func (s *LeadService) CreateLeads(ctx context.Context, leads []*beifen.Lead) error {
	tid, err := teamID(ctx)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for i := 0; i < len(leads); i += batchSize {
		if err := createLeads(ctx, tx, tid, leads[i:min(i+batchSize, len(leads))]); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// createLeads inserts a batch in one statement; the numbers it returns got new rows, and the
// first lead of the batch with each of them gets the ID.
func createLeads(ctx context.Context, tx *Tx, tid int64, leads []*beifen.Lead) error {
	args := make([]any, 0, len(leads)*5)
	for _, l := range leads {
		l.TeamID, l.CreatedAt, l.ID = tid, tx.now, 0
		args = append(args, tid, l.PhoneHash, l.Sealed, nullID(l.OwnerID), formatTime(tx.now))
	}
	st, err := tx.prepared(ctx, `
		INSERT INTO leads (
			team_id,
			phone_hash,
			sealed,
			owner_id,
			created_at
		) VALUES `+repeatTuple("(?, ?, ?, ?, ?)", len(leads))+`
		ON CONFLICT (team_id, phone_hash) DO NOTHING
		RETURNING id, phone_hash`)
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return FormatError(err)
	}
	defer rows.Close()
	ids := map[string]int64{}
	for rows.Next() {
		var id int64
		var h []byte
		if err := rows.Scan(&id, &h); err != nil {
			return err
		}
		ids[string(h)] = id
	}
	for _, l := range leads {
		if id, ok := ids[string(l.PhoneHash)]; ok {
			l.ID = id
			delete(ids, string(l.PhoneHash)) // later copies in the batch keep 0
		}
	}
	return rows.Err()
}

// FindLeadPhones returns which of these number hashes the team already has as leads.
func (s *LeadService) FindLeadPhones(ctx context.Context, hashes [][]byte) ([][]byte, error) {
	return findHashes(ctx, s.db, "leads", hashes)
}

// ReleaseIdle puts back in the pool the customers not called by their owner since before.
func (s *LeadService) ReleaseIdle(ctx context.Context, before time.Time) (int, error) {
	tid, err := teamID(ctx)
	if err != nil {
		return 0, err
	}
	res, err := s.db.write.ExecContext(ctx, `UPDATE leads SET owner_id = NULL, followed_at = NULL
		WHERE team_id = ? AND owner_id IS NOT NULL AND COALESCE(followed_at, created_at) < ?`, tid, formatTime(before))
	if err != nil {
		return 0, FormatError(err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// findHashes returns which of hashes the context team has in table's phone_hash column.
func findHashes(ctx context.Context, db *DB, table string, hashes [][]byte) ([][]byte, error) {
	tid, err := teamID(ctx)
	if err != nil {
		return nil, err
	}
	var found [][]byte
	for i := 0; i < len(hashes); i += batchSize {
		batch := hashes[i:min(i+batchSize, len(hashes))]
		args := []any{tid}
		for _, h := range batch {
			args = append(args, h)
		}
		rows, err := db.read.QueryContext(ctx, `SELECT phone_hash FROM `+table+`
			WHERE team_id = ? AND phone_hash IN (`+placeholders(len(batch))+`)`, args...)
		if err != nil {
			return nil, FormatError(err)
		}
		for rows.Next() {
			var h []byte
			if err := rows.Scan(&h); err != nil {
				rows.Close()
				return nil, err
			}
			found = append(found, h)
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return found, nil
}

// DNCService stores a team's do-not-call list in SQLite.
type DNCService struct{ db *DB }

var _ beifen.DNCService = (*DNCService)(nil)

// NewDNCService returns a DNCService on db.
func NewDNCService(db *DB) *DNCService { return &DNCService{db: db} }

// AddDNC puts numbers on the list.
func (s *DNCService) AddDNC(ctx context.Context, hashes [][]byte) error {
	tid, err := teamID(ctx)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, h := range hashes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO dnc (team_id, phone_hash, created_at) VALUES (?, ?, ?)
			ON CONFLICT (team_id, phone_hash) DO NOTHING`, tid, h, formatTime(tx.now)); err != nil {
			return FormatError(err)
		}
	}
	return tx.Commit()
}

// FindDNC returns which of these number hashes are on the list.
func (s *DNCService) FindDNC(ctx context.Context, hashes [][]byte) ([][]byte, error) {
	return findHashes(ctx, s.db, "dnc", hashes)
}
