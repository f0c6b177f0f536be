package postgres

import (
	"context"
	"database/sql"

	"github.com/beifen/beifen"
)

// TokenService stores API tokens and sessions in PostgreSQL.
type TokenService struct{ db *DB }

var _ beifen.TokenService = (*TokenService)(nil)

// NewTokenService returns a TokenService on db.
func NewTokenService(db *DB) *TokenService { return &TokenService{db: db} }

// CreateToken stores t and sets its ID.
func (s *TokenService) CreateToken(ctx context.Context, t *beifen.Token) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	t.CreatedAt = tx.now
	err = tx.QueryRowContext(ctx, `
		INSERT INTO tokens (
			user_id,
			hash,
			kind,
			created_at,
			expires_at
		) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		t.UserID, t.Hash, t.Kind, t.CreatedAt, nullTime(t.ExpiresAt),
	).Scan(&t.ID)
	if err != nil {
		return FormatError(err)
	}
	return tx.Commit()
}

// FindTokenByHash returns ENOTFOUND if there is no such token or it has expired.
func (s *TokenService) FindTokenByHash(ctx context.Context, hash []byte) (*beifen.Token, error) {
	var t beifen.Token
	var created, expires sql.NullTime
	err := s.db.pool.QueryRowContext(ctx, `
		SELECT
			id,
			user_id,
			hash,
			kind,
			created_at,
			expires_at
		FROM tokens WHERE hash = $1`, hash,
	).Scan(&t.ID, &t.UserID, &t.Hash, &t.Kind, &created, &expires)
	if err == sql.ErrNoRows {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "Token not found.")
	} else if err != nil {
		return nil, FormatError(err)
	}
	t.CreatedAt, t.ExpiresAt = parseTime(created), parseTime(expires)
	if !t.ExpiresAt.IsZero() && !s.db.Now().Before(t.ExpiresAt) {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "Token not found.")
	}
	return &t, nil
}

// DeleteToken removes one of the context user's tokens. Returns ENOTFOUND if there is none.
func (s *TokenService) DeleteToken(ctx context.Context, id int64) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	res, err := s.db.pool.ExecContext(ctx, `DELETE FROM tokens WHERE id = $1 AND user_id = $2`, id, uid)
	if err != nil {
		return FormatError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return beifen.Errorf(beifen.ENOTFOUND, "Token not found.")
	}
	return nil
}

// FindTokens returns the context user's unexpired tokens, oldest first.
func (s *TokenService) FindTokens(ctx context.Context) ([]*beifen.Token, error) {
	uid, err := userID(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.pool.QueryContext(ctx, `SELECT id, user_id, kind, created_at, expires_at FROM tokens
		WHERE user_id = $1 AND (expires_at IS NULL OR expires_at > $2) ORDER BY id`, uid, s.db.now())
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	out := []*beifen.Token{}
	for rows.Next() {
		var t beifen.Token
		var created, expires sql.NullTime
		if err := rows.Scan(&t.ID, &t.UserID, &t.Kind, &created, &expires); err != nil {
			return nil, err
		}
		t.CreatedAt, t.ExpiresAt = parseTime(created), parseTime(expires)
		out = append(out, &t)
	}
	return out, rows.Err()
}
