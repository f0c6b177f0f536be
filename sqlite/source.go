package sqlite

import (
	"context"
	"database/sql"

	"github.com/beifen/beifen"
)

// SourceService stores the export files already read, in SQLite.
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
	var created sql.NullString
	err = s.db.read.QueryRowContext(ctx, `
		SELECT
			user_id,
			hash,
			records,
			skipped,
			created_at
		FROM sources WHERE user_id = ? AND hash = ?`, uid, hash,
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
	var out []*beifen.Source
	for i := 0; i < len(hashes); i += batchSize {
		batch := hashes[i:min(i+batchSize, len(hashes))]
		args := []any{uid}
		for _, h := range batch {
			args = append(args, h)
		}
		rows, err := s.db.read.QueryContext(ctx, `
			SELECT
				user_id,
				hash,
				records,
				skipped,
				created_at
			FROM sources WHERE user_id = ? AND hash IN (`+placeholders(len(batch))+`)`, args...)
		if err != nil {
			return nil, FormatError(err)
		}
		for rows.Next() {
			var src beifen.Source
			var created sql.NullString
			if err := rows.Scan(&src.UserID, &src.Hash, &src.Records, &src.Skipped, &created); err != nil {
				rows.Close()
				return nil, err
			}
			src.CreatedAt = parseTime(created)
			out = append(out, &src)
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return out, nil
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
			) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (user_id, hash) DO UPDATE SET
				records = excluded.records,
				skipped = excluded.skipped,
				created_at = excluded.created_at`,
			uid, src.Hash, src.Records, src.Skipped, formatTime(src.CreatedAt))
		if err != nil {
			return FormatError(err)
		}
	}
	return tx.Commit()
}
