package sqlite

import (
	"context"
	"database/sql"

	"github.com/beifen/beifen"
)

// TeamService stores teams in SQLite.
type TeamService struct{ db *DB }

var _ beifen.TeamService = (*TeamService)(nil)

// NewTeamService returns a TeamService on db.
func NewTeamService(db *DB) *TeamService { return &TeamService{db: db} }

// FindTeamByID returns ENOTFOUND if the team does not exist.
func (s *TeamService) FindTeamByID(ctx context.Context, id int64) (*beifen.Team, error) {
	var t beifen.Team
	var created sql.NullString
	err := s.db.read.QueryRowContext(ctx, `
		SELECT
			id,
			name,
			time_zone,
			pool_days,
			max_customers,
			recording_days,
			wrapped_key,
			created_at
		FROM teams WHERE id = ?`, id,
	).Scan(&t.ID, &t.Name, &t.TimeZone, &t.PoolDays, &t.MaxCustomers, &t.RecordingDays, &t.WrappedKey, &created)
	if err == sql.ErrNoRows {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "Team not found.")
	} else if err != nil {
		return nil, FormatError(err)
	}
	t.CreatedAt = parseTime(created)
	return &t, nil
}

// CreateTeam creates a team and sets its ID.
func (s *TeamService) CreateTeam(ctx context.Context, t *beifen.Team) error {
	if err := t.Validate(); err != nil {
		return err
	}
	t.CreatedAt = s.db.Now().UTC().Truncate(0)
	err := s.db.write.QueryRowContext(ctx, `
		INSERT INTO teams (
			name,
			time_zone,
			pool_days,
			max_customers,
			recording_days,
			wrapped_key,
			key_version,
			created_at
		) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.Name, t.TimeZone, t.PoolDays, t.MaxCustomers, t.RecordingDays, t.WrappedKey, keyVersion(t.WrappedKey), formatTime(t.CreatedAt),
	).Scan(&t.ID)
	return FormatError(err)
}

// UpdateTeamKey sets a team's wrapped data key. Returns ENOTFOUND if the team does not exist.
func (s *TeamService) UpdateTeamKey(ctx context.Context, id int64, wrapped []byte) error {
	res, err := s.db.write.ExecContext(ctx, `UPDATE teams SET wrapped_key = ?, key_version = ? WHERE id = ?`,
		wrapped, keyVersion(wrapped), id)
	if err != nil {
		return FormatError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return beifen.Errorf(beifen.ENOTFOUND, "Team not found.")
	}
	return nil
}

// FindTeams returns every team, in ID order.
func (s *TeamService) FindTeams(ctx context.Context) ([]*beifen.Team, error) {
	ids, err := queryIDs(ctx, s.db.read, `SELECT id FROM teams ORDER BY id`)
	if err != nil {
		return nil, err
	}
	teams := make([]*beifen.Team, 0, len(ids))
	for _, id := range ids {
		t, err := s.FindTeamByID(ctx, id)
		if err != nil {
			return nil, err
		}
		teams = append(teams, t)
	}
	return teams, nil
}
