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

// PutSource stores a source, replacing one with the same hash.
func (s *SourceService) PutSource(ctx context.Context, src *beifen.Source) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	src.UserID, src.CreatedAt = uid, s.db.now()
	_, err = s.db.pool.ExecContext(ctx, `
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
	return FormatError(err)
}
