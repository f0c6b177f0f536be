package postgres

import (
	"context"
	"database/sql"
	"time"

	"github.com/beifen/beifen"
)

// ShareService stores share links in PostgreSQL.
type ShareService struct{ db *DB }

var _ beifen.ShareService = (*ShareService)(nil)

// NewShareService returns a ShareService on db.
func NewShareService(db *DB) *ShareService { return &ShareService{db: db} }

const shareColumns = `id, user_id, token_hash, kind, sealed, created_at, expires_at, revoked_at,
	(SELECT COUNT(*) FROM share_access WHERE share_id = shares.id)`

func scanShare(row interface{ Scan(...any) error }) (*beifen.Share, error) {
	sh := &beifen.Share{}
	var created, expires, revoked sql.NullTime
	if err := row.Scan(&sh.ID, &sh.UserID, &sh.TokenHash, &sh.Kind, &sh.Sealed, &created, &expires, &revoked, &sh.Accesses); err != nil {
		return nil, err
	}
	sh.CreatedAt, sh.ExpiresAt, sh.RevokedAt = parseTime(created), parseTime(expires), parseTime(revoked)
	return sh, nil
}

// CreateShare stores a link of the context user and sets its ID.
func (s *ShareService) CreateShare(ctx context.Context, sh *beifen.Share) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	sh.UserID, sh.CreatedAt = uid, s.db.now()
	err = s.db.pool.QueryRowContext(ctx, `
		INSERT INTO shares (user_id, token_hash, kind, sealed, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		uid, sh.TokenHash, sh.Kind, sh.Sealed, sh.CreatedAt, sh.ExpiresAt.UTC()).Scan(&sh.ID)
	return FormatError(err)
}

// FindShares returns the context user's links, newest first.
func (s *ShareService) FindShares(ctx context.Context) ([]*beifen.Share, error) {
	uid, err := userID(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.pool.QueryContext(ctx, `SELECT `+shareColumns+` FROM shares WHERE user_id = $1 ORDER BY id DESC`, uid)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	out := []*beifen.Share{}
	for rows.Next() {
		sh, err := scanShare(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sh)
	}
	return out, rows.Err()
}

// FindShareByToken returns the link with this token hash, whoever owns it.
func (s *ShareService) FindShareByToken(ctx context.Context, hash []byte) (*beifen.Share, error) {
	sh, err := scanShare(s.db.pool.QueryRowContext(ctx, `SELECT `+shareColumns+` FROM shares WHERE token_hash = $1`, hash))
	if err == sql.ErrNoRows {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "Share link not found.")
	}
	return sh, FormatError(err)
}

// RevokeShare ends a link of the context user.
func (s *ShareService) RevokeShare(ctx context.Context, id int64, at time.Time) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	res, err := s.db.pool.ExecContext(ctx, `UPDATE shares SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 AND user_id = $3`,
		at.UTC(), id, uid)
	if err != nil {
		return FormatError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return beifen.Errorf(beifen.ENOTFOUND, "Share link not found.")
	}
	return nil
}

// LogShareAccess records that the link was used at at.
func (s *ShareService) LogShareAccess(ctx context.Context, id int64, at time.Time) error {
	_, err := s.db.pool.ExecContext(ctx, `INSERT INTO share_access (share_id, at) VALUES ($1, $2)`, id, at.UTC())
	return FormatError(err)
}

// ShareAccesses returns when a link of the context user was used, oldest first.
func (s *ShareService) ShareAccesses(ctx context.Context, id int64) ([]time.Time, error) {
	uid, err := userID(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.pool.QueryContext(ctx, `SELECT a.at FROM share_access AS a JOIN shares AS s ON s.id = a.share_id
		WHERE s.id = $1 AND s.user_id = $2 ORDER BY a.at`, id, uid)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	out := []time.Time{}
	for rows.Next() {
		var at sql.NullTime
		if err := rows.Scan(&at); err != nil {
			return nil, err
		}
		out = append(out, parseTime(at))
	}
	return out, rows.Err()
}
