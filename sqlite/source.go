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
	// The last source of each hash wins, as if they were stored one by one; one statement may
	// not upsert the same row twice.
	last := make(map[string]int, len(srcs))
	for i, src := range srcs {
		src.UserID, src.CreatedAt = uid, tx.now
		last[string(src.Hash)] = i
	}
	distinct := make([]*beifen.Source, 0, len(last))
	for i, src := range srcs {
		if last[string(src.Hash)] == i {
			distinct = append(distinct, src)
		}
	}
	for i := 0; i < len(distinct); i += sourcesPerInsert {
		if err := putSources(ctx, tx, uid, distinct[i:min(i+sourcesPerInsert, len(distinct))]); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// sourcesPerInsert is how many sources one statement stores: a backup stores thousands.
const sourcesPerInsert = 100

// putSources stores srcs, of distinct hashes, in one statement.
func putSources(ctx context.Context, tx *Tx, uid int64, srcs []*beifen.Source) error {
	args := make([]any, 0, 5*len(srcs))
	for _, src := range srcs {
		args = append(args, uid, src.Hash, src.Records, src.Skipped, formatTime(src.CreatedAt))
	}
	st, err := tx.prepared(ctx, putSourcesQuery(len(srcs)))
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, args...)
	return FormatError(err)
}

func putSourcesQuery(n int) string {
	return `
		INSERT INTO sources (
			user_id,
			hash,
			records,
			skipped,
			created_at
		) VALUES ` + repeatTuple("(?, ?, ?, ?, ?)", n) + `
		ON CONFLICT (user_id, hash) DO UPDATE SET
			records = excluded.records,
			skipped = excluded.skipped,
			created_at = excluded.created_at`
}

// DeleteSources forgets every source of the context's user.
func (s *SourceService) DeleteSources(ctx context.Context) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	_, err = s.db.write.ExecContext(ctx, `DELETE FROM sources WHERE user_id = ?`, uid)
	return FormatError(err)
}
