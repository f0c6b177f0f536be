package postgres

import (
	"context"
	"database/sql"

	"github.com/beifen/beifen"
)

// BlobEntryService stores the blob registry in PostgreSQL.
type BlobEntryService struct{ db *DB }

var _ beifen.BlobEntryService = (*BlobEntryService)(nil)

// NewBlobEntryService returns a BlobEntryService on db.
func NewBlobEntryService(db *DB) *BlobEntryService { return &BlobEntryService{db: db} }

// FindBlobEntry returns ENOTFOUND if the user has no blob of that name.
func (s *BlobEntryService) FindBlobEntry(ctx context.Context, name string) (*beifen.BlobEntry, error) {
	uid, err := userID(ctx)
	if err != nil {
		return nil, err
	}
	var e *beifen.BlobEntry
	err = scanBlobEntries(ctx, s.db.pool, `WHERE user_id = $1 AND name = $2`, []any{uid, name},
		func(be *beifen.BlobEntry) error { e = be; return nil })
	if err != nil {
		return nil, err
	} else if e == nil {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "Blob not found.")
	}
	return e, nil
}

// PutBlobEntries registers blobs; registering one again changes nothing.
func (s *BlobEntryService) PutBlobEntries(ctx context.Context, entries []*beifen.BlobEntry) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	now := s.db.now()
	names, sizes := make([]string, len(entries)), make([]int64, len(entries))
	for i, e := range entries {
		e.UserID, e.CreatedAt = uid, now
		names[i], sizes[i] = e.Name, e.Size
	}
	_, err = s.db.pool.ExecContext(ctx, `
		INSERT INTO blobs (
			user_id,
			name,
			size,
			snapshot_id,
			created_at
		)
		SELECT $1, u.name, u.size, 0, $2
		FROM unnest($3::text[], $4::bigint[]) AS u (name, size)
		ON CONFLICT (user_id, name) DO NOTHING`,
		uid, now, names, sizes)
	return FormatError(err)
}

// ScanBlobEntries calls fn for each of the user's blobs.
func (s *BlobEntryService) ScanBlobEntries(ctx context.Context, fn func(*beifen.BlobEntry) error) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	return scanBlobEntries(ctx, s.db.pool, `WHERE user_id = $1 ORDER BY name`, []any{uid}, fn)
}

func scanBlobEntries(ctx context.Context, q queryer, where string, args []any, fn func(*beifen.BlobEntry) error) error {
	rows, err := q.QueryContext(ctx, `SELECT user_id, name, size, snapshot_id, created_at FROM blobs `+where, args...)
	if err != nil {
		return FormatError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var e beifen.BlobEntry
		var created sql.NullTime
		if err := rows.Scan(&e.UserID, &e.Name, &e.Size, &e.SnapshotID, &created); err != nil {
			return err
		}
		e.CreatedAt = parseTime(created)
		if err := fn(&e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// DeleteBlobEntries forgets the user's blobs of these names.
func (s *BlobEntryService) DeleteBlobEntries(ctx context.Context, names []string) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	if _, err := s.db.pool.ExecContext(ctx, `DELETE FROM blobs WHERE user_id = $1 AND name = ANY($2)`, uid, names); err != nil {
		return FormatError(err)
	}
	return nil
}
