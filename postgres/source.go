package postgres

import (
	"context"
	"database/sql"

	"github.com/beifen/beifen"
)

// SourceService stores the export files already read, in PostgreSQL.
type SourceService struct{ db *DB }

var _ beifen.SourceService = (*SourceService)(nil)

// NewSourceService returns a SourceService on db.
func NewSourceService(db *DB) *SourceService { return &SourceService{db: db} }

// FindSource returns ENOTFOUND if no such source was read for the user.
func (s *SourceService) FindSource(ctx context.Context, hash []byte) (*beifen.Source, error) {
	uid, err := userID(ctx)
	if err != nil {
		return nil, err
	}
	var src beifen.Source
	var created sql.NullTime
	err = s.db.pool.QueryRowContext(ctx, `
		SELECT
			user_id,
			hash,
			records,
			skipped,
			created_at
		FROM sources WHERE user_id = $1 AND hash = $2`, uid, hash,
	).Scan(&src.UserID, &src.Hash, &src.Records, &src.Skipped, &created)
	if err == sql.ErrNoRows {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "Source not found.")
	} else if err != nil {
		return nil, FormatError(err)
	}
	src.CreatedAt = parseTime(created)
	return &src, nil
}

// FindSources returns the user's sources with these hashes.
func (s *SourceService) FindSources(ctx context.Context, hashes [][]byte) ([]*beifen.Source, error) {
	uid, err := userID(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.pool.QueryContext(ctx, `
		SELECT
			user_id,
			hash,
			records,
			skipped,
			created_at
		FROM sources WHERE user_id = $1 AND hash = ANY($2)`, uid, hashes)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	var out []*beifen.Source
	for rows.Next() {
		var src beifen.Source
		var created sql.NullTime
		if err := rows.Scan(&src.UserID, &src.Hash, &src.Records, &src.Skipped, &created); err != nil {
			return nil, err
		}
		src.CreatedAt = parseTime(created)
		out = append(out, &src)
	}
	return out, rows.Err()
}

// PutSources stores sources in one transaction, replacing those with the same hashes.
func (s *SourceService) PutSources(ctx context.Context, srcs []*beifen.Source) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, src := range srcs {
		src.UserID, src.CreatedAt = uid, tx.now
		_, err = tx.ExecContext(ctx, `
			INSERT INTO sources (
				user_id,
				hash,
				records,
				skipped,
				created_at
			) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (user_id, hash) DO UPDATE SET
				records = excluded.records,
				skipped = excluded.skipped,
				created_at = excluded.created_at`,
			uid, src.Hash, src.Records, src.Skipped, src.CreatedAt)
		if err != nil {
			return FormatError(err)
		}
	}
	return tx.Commit()
}

// DeleteSources forgets every source of the context's user.
func (s *SourceService) DeleteSources(ctx context.Context) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	_, err = s.db.pool.ExecContext(ctx, `DELETE FROM sources WHERE user_id = $1`, uid)
	return FormatError(err)
}
