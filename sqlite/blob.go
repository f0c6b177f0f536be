package sqlite

import (
	"context"
	"database/sql"
	"slices"

	"github.com/beifen/beifen"
)

// BlobEntryService stores the blob registry in SQLite.
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
	err = scanBlobEntries(ctx, s.db.read, `WHERE user_id = ? AND name = ?`, []any{uid, name},
		func(be *beifen.BlobEntry) error { e = be; return nil })
	if err != nil {
		return nil, err
	} else if e == nil {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "Blob not found.")
	}
	return e, nil
}

// PutBlobEntries registers blobs, all or none; registering one again changes nothing.
func (s *BlobEntryService) PutBlobEntries(ctx context.Context, entries []*beifen.BlobEntry) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	created := formatTime(tx.now)
	for batch := range slices.Chunk(entries, batchSize) {
		args := make([]any, 0, 4*len(batch))
		for _, e := range batch {
			e.UserID, e.CreatedAt = uid, tx.now
			args = append(args, uid, e.Name, e.Size, created)
		}
		_, err := tx.ExecContext(ctx, `
			INSERT INTO blobs (
				user_id,
				name,
				size,
				snapshot_id,
				created_at
			) VALUES `+repeatTuple("(?, ?, ?, 0, ?)", len(batch))+`
			ON CONFLICT (user_id, name) DO NOTHING`, args...)
		if err != nil {
			return FormatError(err)
		}
	}
	return tx.Commit()
}

// ScanBlobEntries calls fn for each of the user's blobs.
func (s *BlobEntryService) ScanBlobEntries(ctx context.Context, fn func(*beifen.BlobEntry) error) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	return scanBlobEntries(ctx, s.db.read, `WHERE user_id = ? ORDER BY name`, []any{uid}, fn)
}

func scanBlobEntries(ctx context.Context, q queryer, where string, args []any, fn func(*beifen.BlobEntry) error) error {
	rows, err := q.QueryContext(ctx, `SELECT user_id, name, size, snapshot_id, created_at FROM blobs `+where, args...)
	if err != nil {
		return FormatError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var e beifen.BlobEntry
		var created sql.NullString
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
	return execIn(ctx, s.db, `DELETE FROM blobs WHERE user_id = ? AND name IN (%s)`, []any{uid}, names)
}
