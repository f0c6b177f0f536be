package postgres

import (
	"context"
	"database/sql"
	"time"

	"github.com/beifen/beifen"
)

// TransferService keeps the log of outbound transfers in PostgreSQL.
type TransferService struct{ db *DB }

var _ beifen.TransferService = (*TransferService)(nil)

// NewTransferService returns a TransferService on db.
func NewTransferService(db *DB) *TransferService { return &TransferService{db: db} }

// LogTransfer records one transfer.
func (s *TransferService) LogTransfer(ctx context.Context, t *beifen.Transfer) error {
	if t.At.IsZero() {
		t.At = s.db.now()
	}
	_, err := s.db.pool.ExecContext(ctx, `INSERT INTO transfers (party, phone_hash, at) VALUES ($1, $2, $3)`, t.Party, t.PhoneHash, t.At.UTC())
	return FormatError(err)
}

// FindTransfers returns the transfers about a number hash, newest first.
func (s *TransferService) FindTransfers(ctx context.Context, phoneHash []byte, limit int) ([]*beifen.Transfer, error) {
	rows, err := s.db.pool.QueryContext(ctx, `SELECT party, at FROM transfers WHERE phone_hash = $1 ORDER BY id DESC LIMIT $2`, phoneHash, limit)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	out := []*beifen.Transfer{}
	for rows.Next() {
		t := &beifen.Transfer{PhoneHash: phoneHash}
		var at sql.NullTime
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
	rows, err := s.db.pool.QueryContext(ctx, `SELECT party, COUNT(*) FROM transfers WHERE at >= $1 GROUP BY party`, since.UTC())
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
