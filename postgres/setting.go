package postgres

import (
	"context"
	"database/sql"

	"github.com/beifen/beifen"
)

// SettingService keeps the platform's settings in PostgreSQL.
type SettingService struct{ db *DB }

var _ beifen.SettingService = (*SettingService)(nil)

// NewSettingService returns a SettingService on db.
func NewSettingService(db *DB) *SettingService { return &SettingService{db: db} }

// GetSetting returns a setting's value; ENOTFOUND if it was never set.
func (s *SettingService) GetSetting(ctx context.Context, name string) ([]byte, error) {
	var v []byte
	err := s.db.pool.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = $1`, name).Scan(&v)
	if err == sql.ErrNoRows {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "Setting not found.")
	}
	return v, FormatError(err)
}

// PutSetting sets a setting.
func (s *SettingService) PutSetting(ctx context.Context, name string, value []byte) error {
	_, err := s.db.pool.ExecContext(ctx, `INSERT INTO settings (name, value, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, name, value, s.db.now())
	return FormatError(err)
}
