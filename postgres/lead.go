package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/beifen/beifen"
)

// LeadService stores a team's leads in PostgreSQL.
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
	where, args := "team_id = $1", []any{tid}
	if f.ID != nil {
		args = append(args, *f.ID)
		where += fmt.Sprintf(" AND id = $%d", len(args))
	}
	if f.OwnerID != nil && *f.OwnerID == 0 {
		where += " AND owner_id IS NULL" // unassigned
	} else if f.OwnerID != nil {
		args = append(args, *f.OwnerID)
		where += fmt.Sprintf(" AND owner_id = $%d", len(args))
	}
	if f.Manager != nil {
		args = append(args, *f.Manager)
		where += fmt.Sprintf(` AND (owner_id IS NULL OR owner_id IN
			(SELECT id FROM users WHERE manager_id = $%d OR manager_id IS NULL OR id = $%d))`, len(args), len(args))
	}
	var limit any // NULL: no limit
	if f.Limit > 0 {
		limit = f.Limit
	}
	args = append(args, limit, f.Offset)
	rows, err := s.db.pool.QueryContext(ctx, fmt.Sprintf(`
		SELECT
			id,
			team_id,
			phone_hash,
			sealed,
			owner_id,
			created_at,
			COUNT(*) OVER ()
		FROM leads WHERE %s ORDER BY id LIMIT $%d OFFSET $%d`, where, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, FormatError(err)
	}
	defer rows.Close()
	var leads []*beifen.Lead
	n := 0
	for rows.Next() {
		var l beifen.Lead
		var owner sql.NullInt64
		var created sql.NullTime
		if err := rows.Scan(&l.ID, &l.TeamID, &l.PhoneHash, &l.Sealed, &owner, &created, &n); err != nil {
			return nil, 0, err
		}
		l.OwnerID, l.CreatedAt = owner.Int64, parseTime(created)
		leads = append(leads, &l)
	}
	return leads, n, rows.Err()
}

// CreateLeads stores the leads whose number the team does not have yet and sets their IDs; a
// lead whose number the team has, or that repeats an earlier lead's number, keeps ID 0.
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

// createLeads inserts one batch of leads as arrays, in order, and gives each inserted number's
// ID to the first lead of the batch with that number.
func createLeads(ctx context.Context, tx *Tx, tid int64, leads []*beifen.Lead) error {
	hashes := make([][]byte, len(leads))
	sealed := make([][]byte, len(leads))
	owners := make([]*int64, len(leads))
	for i, l := range leads {
		l.TeamID, l.CreatedAt, l.ID = tid, tx.now, 0
		hashes[i], sealed[i] = l.PhoneHash, l.Sealed
		if l.OwnerID != 0 {
			owners[i] = &l.OwnerID
		}
	}
	rows, err := tx.QueryContext(ctx, `
		INSERT INTO leads (
			team_id,
			phone_hash,
			sealed,
			owner_id,
			created_at
		)
		SELECT $1, u.phone_hash, u.sealed, u.owner_id, $5
		FROM unnest($2::bytea[], $3::bytea[], $4::bigint[]) WITH ORDINALITY AS u (phone_hash, sealed, owner_id, n)
		ORDER BY u.n
		ON CONFLICT (team_id, phone_hash) DO NOTHING
		RETURNING id, phone_hash`,
		tid, hashes, sealed, owners, tx.now)
	if err != nil {
		return FormatError(err)
	}
	defer rows.Close()
	ids := make(map[string]int64, len(leads))
	for rows.Next() {
		var id int64
		var h []byte
		if err := rows.Scan(&id, &h); err != nil {
			return err
		}
		ids[string(h)] = id
	}
	if err := rows.Err(); err != nil {
		return FormatError(err)
	}
	for _, l := range leads {
		if id, ok := ids[string(l.PhoneHash)]; ok {
			l.ID = id
			delete(ids, string(l.PhoneHash)) // a later copy in the batch was not inserted
		}
	}
	return nil
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
	res, err := s.db.pool.ExecContext(ctx, `UPDATE leads SET owner_id = NULL, followed_at = NULL
		WHERE team_id = $1 AND owner_id IS NOT NULL AND COALESCE(followed_at, created_at) < $2`, tid, before.UTC())
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
	rows, err := db.pool.QueryContext(ctx, `SELECT phone_hash FROM `+table+`
		WHERE team_id = $1 AND phone_hash = ANY($2)`, tid, hashes)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	var found [][]byte
	for rows.Next() {
		var h []byte
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		found = append(found, h)
	}
	return found, rows.Err()
}

// DNCService stores a team's do-not-call list in PostgreSQL.
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
	for i := 0; i < len(hashes); i += batchSize {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO dnc (team_id, phone_hash, created_at)
			SELECT $1, u.phone_hash, $3 FROM unnest($2::bytea[]) AS u (phone_hash)
			ON CONFLICT (team_id, phone_hash) DO NOTHING`,
			tid, hashes[i:min(i+batchSize, len(hashes))], tx.now)
		if err != nil {
			return FormatError(err)
		}
	}
	return tx.Commit()
}

// FindDNC returns which of these number hashes are on the list.
func (s *DNCService) FindDNC(ctx context.Context, hashes [][]byte) ([][]byte, error) {
	return findHashes(ctx, s.db, "dnc", hashes)
}
