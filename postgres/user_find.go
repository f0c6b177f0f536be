package postgres

import (
	"context"

	"github.com/beifen/beifen"
)

// FindUsers returns users in ID order, and how many there are in all.
func (s *UserService) FindUsers(ctx context.Context, f beifen.UserFilter) ([]*beifen.User, int, error) {
	var n int
	if err := s.db.pool.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return nil, 0, FormatError(err)
	}
	var limit any // NULL: no limit
	if f.Limit > 0 {
		limit = f.Limit
	}
	rows, err := s.db.pool.QueryContext(ctx, `SELECT id FROM users ORDER BY id LIMIT $1 OFFSET $2`, limit, f.Offset)
	if err != nil {
		return nil, 0, FormatError(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
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
