package postgres

import (
	"context"

	"github.com/beifen/beifen"
)

// KeyService finds and replaces wrapped data keys in PostgreSQL.
type KeyService struct{ db *DB }

var _ beifen.KeyService = (*KeyService)(nil)

// NewKeyService returns a KeyService on db.
func NewKeyService(db *DB) *KeyService { return &KeyService{db: db} }

// keyTables maps each owner of wrapped keys to its table.
var keyTables = map[string]string{beifen.KeyOwnerAccount: "users", beifen.KeyOwnerTeam: "teams"}

// keyVersion is the key_version stored beside a wrapped key: NULL for no key.
func keyVersion(wrapped []byte) any {
	if len(wrapped) == 0 {
		return nil
	}
	return beifen.WrappedKeyVersion(wrapped)
}

// CountWrappedKeys returns how many wrapped keys each master key version holds.
func (s *KeyService) CountWrappedKeys(ctx context.Context) (map[int]int, error) {
	counts := map[int]int{}
	for _, table := range keyTables {
		rows, err := s.db.pool.QueryContext(ctx, `
			SELECT COALESCE(key_version, 0), COUNT(*) FROM `+table+`
			WHERE wrapped_key IS NOT NULL AND length(wrapped_key) > 0
			GROUP BY COALESCE(key_version, 0)`)
		if err != nil {
			return nil, FormatError(err)
		}
		for rows.Next() {
			var v, n int
			if err := rows.Scan(&v, &n); err != nil {
				rows.Close()
				return nil, FormatError(err)
			}
			counts[v] += n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, FormatError(err)
		}
	}
	return counts, nil
}

// FindWrappedKeys returns up to limit keys of owner not under version, after afterID.
func (s *KeyService) FindWrappedKeys(ctx context.Context, owner string, version int, afterID int64, limit int) ([]*beifen.WrappedKey, error) {
	table, ok := keyTables[owner]
	if !ok {
		return nil, beifen.Errorf(beifen.EINVALID, "Unknown key owner.")
	}
	rows, err := s.db.pool.QueryContext(ctx, `
		SELECT
			id,
			wrapped_key,
			COALESCE(key_version, 0)
		FROM `+table+`
		WHERE wrapped_key IS NOT NULL AND length(wrapped_key) > 0
			AND COALESCE(key_version, 0) <> $1 AND id > $2
		ORDER BY id LIMIT $3`, version, afterID, limit)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	var keys []*beifen.WrappedKey
	for rows.Next() {
		k := &beifen.WrappedKey{Owner: owner}
		if err := rows.Scan(&k.OwnerID, &k.Wrapped, &k.Version); err != nil {
			return nil, FormatError(err)
		}
		keys = append(keys, k)
	}
	return keys, FormatError(rows.Err())
}

// ReplaceWrappedKey replaces the key of k's owner if it is still old.
func (s *KeyService) ReplaceWrappedKey(ctx context.Context, k *beifen.WrappedKey, old []byte) error {
	table, ok := keyTables[k.Owner]
	if !ok {
		return beifen.Errorf(beifen.EINVALID, "Unknown key owner.")
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE `+table+` SET wrapped_key = $1, key_version = $2 WHERE id = $3 AND wrapped_key = $4`,
		k.Wrapped, keyVersion(k.Wrapped), k.OwnerID, old)
	if err != nil {
		return FormatError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM `+table+` WHERE id = $1`, k.OwnerID).Scan(&one); err != nil {
			return beifen.Errorf(beifen.ENOTFOUND, "Key owner not found.")
		}
		return beifen.Errorf(beifen.ECONFLICT, "The key changed meanwhile.")
	}
	return tx.Commit()
}
