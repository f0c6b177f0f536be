package sqlite

import (
	"context"
	"database/sql"

	"github.com/beifen/beifen"
)

// PushDeviceService stores devices' push tokens in SQLite.
type PushDeviceService struct{ db *DB }

var _ beifen.PushDeviceService = (*PushDeviceService)(nil)

// NewPushDeviceService returns a PushDeviceService on db.
func NewPushDeviceService(db *DB) *PushDeviceService { return &PushDeviceService{db: db} }

// PutPushDevice creates or replaces the push token of one of the context user's sessions.
func (s *PushDeviceService) PutPushDevice(ctx context.Context, d *beifen.PushDevice) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM tokens WHERE id = ? AND user_id = ?`, d.SessionID, uid).Scan(&n); err != nil {
		return FormatError(err)
	} else if n == 0 {
		return beifen.Errorf(beifen.ENOTFOUND, "Session not found.")
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM push_devices WHERE token_hash = ? OR session_id = ?`, d.TokenHash, d.SessionID); err != nil {
		return FormatError(err)
	}
	d.UserID, d.CreatedAt = uid, tx.now
	err = tx.QueryRowContext(ctx, `
		INSERT INTO push_devices (
			user_id,
			session_id,
			maker,
			token_hash,
			sealed,
			created_at
		) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		uid, d.SessionID, d.Maker, d.TokenHash, d.Sealed, formatTime(d.CreatedAt),
	).Scan(&d.ID)
	if err != nil {
		return FormatError(err)
	}
	return tx.Commit()
}

const pushColumns = `d.id, d.user_id, d.session_id, d.maker, d.token_hash, d.sealed, d.created_at`

func scanPushDevice(row interface{ Scan(...any) error }) (*beifen.PushDevice, error) {
	var d beifen.PushDevice
	var created sql.NullString
	if err := row.Scan(&d.ID, &d.UserID, &d.SessionID, &d.Maker, &d.TokenHash, &d.Sealed, &created); err != nil {
		return nil, err
	}
	d.CreatedAt = parseTime(created)
	return &d, nil
}

// FindPushDeviceByID returns one of the context user's devices.
func (s *PushDeviceService) FindPushDeviceByID(ctx context.Context, id int64) (*beifen.PushDevice, error) {
	uid, err := userID(ctx)
	if err != nil {
		return nil, err
	}
	d, err := scanPushDevice(s.db.read.QueryRowContext(ctx, `SELECT `+pushColumns+` FROM push_devices AS d
		WHERE d.id = ? AND d.user_id = ?`, id, uid))
	if err == sql.ErrNoRows {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "Device not found.")
	} else if err != nil {
		return nil, FormatError(err)
	}
	return d, nil
}

// FindPushDevices returns a user's devices whose session has not expired, oldest first.
func (s *PushDeviceService) FindPushDevices(ctx context.Context, userID int64) ([]*beifen.PushDevice, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT `+pushColumns+` FROM push_devices AS d
		JOIN tokens AS t ON t.id = d.session_id
		WHERE d.user_id = ? AND (t.expires_at IS NULL OR t.expires_at > ?) ORDER BY d.id`, userID, formatTime(s.db.Now()))
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	out := []*beifen.PushDevice{}
	for rows.Next() {
		d, err := scanPushDevice(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// DeletePushDevice removes one of the context user's devices.
func (s *PushDeviceService) DeletePushDevice(ctx context.Context, id int64) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	res, err := s.db.write.ExecContext(ctx, `DELETE FROM push_devices WHERE id = ? AND user_id = ?`, id, uid)
	if err != nil {
		return FormatError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return beifen.Errorf(beifen.ENOTFOUND, "Device not found.")
	}
	return nil
}
