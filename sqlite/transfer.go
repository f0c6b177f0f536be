package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/beifen/beifen"
)

// TransferService keeps the log of outbound transfers in SQLite.
type TransferService struct{ db *DB }

var _ beifen.TransferService = (*TransferService)(nil)

// NewTransferService returns a TransferService on db.
func NewTransferService(db *DB) *TransferService { return &TransferService{db: db} }

// LogTransfer records one transfer.
func (s *TransferService) LogTransfer(ctx context.Context, t *beifen.Transfer) error {
	if t.At.IsZero() {
		t.At = s.db.Now().UTC()
	}
	_, err := s.db.write.ExecContext(ctx, `INSERT INTO transfers (party, phone_hash, at) VALUES (?, ?, ?)`, t.Party, t.PhoneHash, formatTime(t.At))
	return FormatError(err)
}

// FindTransfers returns the transfers about a number hash, newest first.
func (s *TransferService) FindTransfers(ctx context.Context, phoneHash []byte, limit int) ([]*beifen.Transfer, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT party, at FROM transfers WHERE phone_hash = ? ORDER BY id DESC LIMIT ?`, phoneHash, limit)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	out := []*beifen.Transfer{}
	for rows.Next() {
		t := &beifen.Transfer{PhoneHash: phoneHash}
		var at sql.NullString
		if err := rows.Scan(&t.Party, &at); err != nil {
			return nil, err
		}
		t.At = parseTime(at)
		out = append(out, t)
	}
	return out, rows.Err()
}

// CountTransfers returns how many transfers each party got since a time.
func (s *TransferService) CountTransfers(ctx context.Context, since time.Time) (map[string]int, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT party, COUNT(*) FROM transfers WHERE at >= ? GROUP BY party`, formatTime(since))
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var party string
		var n int
		if err := rows.Scan(&party, &n); err != nil {
			return nil, err
		}
		out[party] = n
	}
	return out, rows.Err()
}
