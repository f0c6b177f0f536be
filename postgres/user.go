package postgres

import (
	"context"
	"database/sql"
	"time"

	"github.com/beifen/beifen"
)

// UserService stores accounts in PostgreSQL.
type UserService struct{ db *DB }

var _ beifen.UserService = (*UserService)(nil)

// NewUserService returns a UserService on db.
func NewUserService(db *DB) *UserService { return &UserService{db: db} }

// FindUserByID returns ENOTFOUND if the user does not exist.
func (s *UserService) FindUserByID(ctx context.Context, id int64) (*beifen.User, error) {
	return findUser(ctx, s.db.pool, `id = $1`, id)
}

// FindUserByPhoneHash returns ENOTFOUND if no user has that number.
func (s *UserService) FindUserByPhoneHash(ctx context.Context, hash []byte) (*beifen.User, error) {
	return findUser(ctx, s.db.pool, `phone_hash = $1`, hash)
}

// FindUsers returns users in ID order, and how many there are in all.
func (s *UserService) FindUsers(ctx context.Context, f beifen.UserFilter) ([]*beifen.User, int, error) {
	var due any // NULL: every user
	if f.EraseDue != nil {
		due = f.EraseDue.UTC()
	}
	var manager any // NULL: every group
	if f.ManagerID != nil {
		manager = *f.ManagerID
	}
	var n int
	if err := s.db.pool.QueryRowContext(ctx, `SELECT COUNT(*) FROM users
		WHERE ($1::timestamptz IS NULL OR (erase_after IS NOT NULL AND erase_after <= $1))
			AND ($2::bigint IS NULL OR manager_id = $2)`, due, manager).Scan(&n); err != nil {
		return nil, 0, FormatError(err)
	}
	var limit any // NULL: no limit
	if f.Limit > 0 {
		limit = f.Limit
	}
	ids, err := queryIDs(ctx, s.db.pool, `SELECT id FROM users
		WHERE ($3::timestamptz IS NULL OR (erase_after IS NOT NULL AND erase_after <= $3))
			AND ($4::bigint IS NULL OR manager_id = $4)
		ORDER BY id LIMIT $1 OFFSET $2`, limit, f.Offset, due, manager)
	if err != nil {
		return nil, 0, err
	}
	users := make([]*beifen.User, 0, len(ids))
	for _, id := range ids {
		u, err := s.FindUserByID(ctx, id)
		if err != nil {
			return nil, 0, err
		}
		users = append(users, u)
	}
	return users, n, nil
}

// CreateUser returns ECONFLICT if the number has an account.
func (s *UserService) CreateUser(ctx context.Context, u *beifen.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	u.CreatedAt, u.UpdatedAt = tx.now, tx.now
	err = tx.QueryRowContext(ctx, `
		INSERT INTO users (
			team_id,
			manager_id,
			role,
			phone_hash,
			sealed,
			password_hash,
			wrapped_key,
			key_version,
			created_at,
			updated_at
		) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		nullID(u.TeamID), nullID(u.ManagerID), string(u.Role), u.PhoneHash, u.Sealed, u.PasswordHash, u.WrappedKey, keyVersion(u.WrappedKey), u.CreatedAt, u.UpdatedAt,
	).Scan(&u.ID)
	if err != nil {
		if beifen.ErrorCode(FormatError(err)) == beifen.ECONFLICT {
			return beifen.Errorf(beifen.ECONFLICT, "This phone number already has an account.")
		}
		return FormatError(err)
	}
	return tx.Commit()
}

// UpdateUser returns ENOTFOUND if the user does not exist.
func (s *UserService) UpdateUser(ctx context.Context, id int64, upd beifen.UserUpdate) (*beifen.User, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	// The row lock keeps a concurrent update of another field from being lost.
	u, err := findUser(ctx, tx, `id = $1 FOR NO KEY UPDATE`, id)
	if err != nil {
		return nil, err
	}
	if upd.Sealed != nil {
		u.Sealed = *upd.Sealed
	}
	if upd.PasswordHash != nil {
		u.PasswordHash = *upd.PasswordHash
	}
	if upd.WrappedKey != nil {
		u.WrappedKey = *upd.WrappedKey
	}
	if upd.EraseAfter != nil {
		u.EraseAfter = *upd.EraseAfter
	}
	if upd.ManagerID != nil {
		u.ManagerID = *upd.ManagerID
	}
	u.UpdatedAt = tx.now
	_, err = tx.ExecContext(ctx, `
		UPDATE users SET
			sealed = $1,
			password_hash = $2,
			wrapped_key = $3,
			key_version = $4,
			erase_after = $5,
			manager_id = $6,
			updated_at = $7
		WHERE id = $8`,
		u.Sealed, u.PasswordHash, u.WrappedKey, keyVersion(u.WrappedKey), nullTime(u.EraseAfter), nullID(u.ManagerID), u.UpdatedAt, id)
	if err != nil {
		return nil, FormatError(err)
	}
	return u, tx.Commit()
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryIDs runs query, which selects one integer column, and returns its values in order.
func queryIDs(ctx context.Context, q queryer, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, FormatError(err)
	}
	return ids, nil
}

func findUser(ctx context.Context, q queryer, where string, arg any) (*beifen.User, error) {
	var u beifen.User
	var created, updated, erase sql.NullTime
	var teamID, managerID sql.NullInt64
	var role string
	err := q.QueryRowContext(ctx, `
		SELECT
			id,
			team_id,
			manager_id,
			role,
			phone_hash,
			sealed,
			password_hash,
			wrapped_key,
			erase_after,
			created_at,
			updated_at
		FROM users WHERE `+where, arg,
	).Scan(&u.ID, &teamID, &managerID, &role, &u.PhoneHash, &u.Sealed, &u.PasswordHash, &u.WrappedKey, &erase, &created, &updated)
	if err == sql.ErrNoRows {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "User not found.")
	} else if err != nil {
		return nil, FormatError(err)
	}
	u.CreatedAt, u.UpdatedAt, u.EraseAfter = parseTime(created), parseTime(updated), parseTime(erase)
	u.TeamID, u.ManagerID, u.Role = teamID.Int64, managerID.Int64, beifen.Role(role)
	return &u, nil
}

// EraseUser deletes everything the account stored and leaves a pseudonymous tombstone.
func (s *UserService) EraseUser(ctx context.Context, id int64, phoneHash, sealed []byte) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	u, err := findUser(ctx, tx, `id = $1 FOR UPDATE`, id)
	if err != nil {
		return err
	}
	// The transfer log knows the person by their number's hash, which goes with the account.
	if _, err := tx.ExecContext(ctx, `DELETE FROM transfers WHERE phone_hash = $1`, u.PhoneHash); err != nil {
		return FormatError(err)
	}
	for _, table := range []string{"spans", "record_packs", "record_users", "snapshots", "sources", "blobs", "push_devices", "tokens", "complaints", "consents", "shares", "sign_ins", "notices", "user_state", "activity_signups", "realnames"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE user_id = $1`, id); err != nil {
			return FormatError(err)
		}
	}
	if err := eraseFeed(ctx, tx, id); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE users SET phone_hash = $1, sealed = $2, password_hash = '', wrapped_key = NULL, key_version = NULL,
		erase_after = NULL, updated_at = $3 WHERE id = $4`, phoneHash, sealed, tx.now, id)
	if err != nil {
		return FormatError(err)
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	s.db.versions.Forget(id)
	return nil
}

// FindActivity returns every account that is not erased, with its backups since then.
func (s *UserService) FindActivity(ctx context.Context, since time.Time) ([]*beifen.UserActivity, error) {
	rows, err := s.db.pool.QueryContext(ctx, `
		SELECT u.id, u.created_at, COALESCE((SELECT c.granted FROM consents AS c
			WHERE c.user_id = u.id AND c.purpose = 'statistics' ORDER BY c.id DESC LIMIT 1), false)
		FROM users AS u WHERE u.wrapped_key IS NOT NULL ORDER BY u.id`)
	if err != nil {
		return nil, FormatError(err)
	}
	var out []*beifen.UserActivity
	byID := map[int64]*beifen.UserActivity{}
	for rows.Next() {
		a := &beifen.UserActivity{}
		var joined sql.NullTime
		if err := rows.Scan(&a.UserID, &joined, &a.Consented); err != nil {
			rows.Close()
			return nil, err
		}
		a.JoinedAt = parseTime(joined)
		out = append(out, a)
		byID[a.UserID] = a
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.db.pool.QueryContext(ctx, `SELECT user_id, created_at FROM snapshots WHERE created_at >= $1 ORDER BY created_at`, since.UTC())
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var at sql.NullTime
		if err := rows.Scan(&id, &at); err != nil {
			return nil, err
		}
		if a := byID[id]; a != nil {
			a.Backups = append(a.Backups, parseTime(at))
		}
	}
	return out, rows.Err()
}
