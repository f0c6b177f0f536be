package beifen

import (
	"context"
	"time"
)

// Role is what a member may do in a team's sales workspace.
type Role string

// Roles, from most to least: an admin sees the whole team, a manager (组长) the group, a staff
// member (员工) what is assigned to them.
const (
	RoleAdmin   Role = "admin"
	RoleManager Role = "manager"
	RoleStaff   Role = "staff"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleManager || r == RoleStaff }

// Team is a tenant of the sales workspace. Its data is sealed under its own data key, wrapped by
// the server's master key like an account's.
type Team struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	TimeZone   string `json:"time_zone"`
	WrappedKey []byte `json:"-"`

	// PoolDays: a customer with no follow-up call by its owner for this many days goes back to
	// the team's public pool (公海). MaxCustomers: the most customers one staff member holds
	// (0: no limit).
	PoolDays     int `json:"pool_days"`
	MaxCustomers int `json:"max_customers"`
	// RecordingDays: call recordings older than this many days are deleted (clause 4.2);
	// 0 keeps them.
	RecordingDays int       `json:"recording_days"`
	CreatedAt     time.Time `json:"created_at"`
}

// Validate returns EINVALID if a required field is missing.
func (t *Team) Validate() error {
	if t.Name == "" {
		return Errorf(EINVALID, "Team name required.")
	}
	if _, err := time.LoadLocation(t.TimeZone); t.TimeZone == "" || err != nil {
		return Errorf(EINVALID, "Unknown time zone.")
	}
	if t.PoolDays < 1 || t.MaxCustomers < 0 || t.RecordingDays < 0 {
		return Errorf(EINVALID, "Pool days must be at least 1 and the customer limit 0 (none) or more.")
	}
	return nil
}

// TeamService stores teams.
type TeamService interface {
	// FindTeamByID returns ENOTFOUND if the team does not exist.
	FindTeamByID(ctx context.Context, id int64) (*Team, error)

	// CreateTeam creates a team and sets its ID.
	CreateTeam(ctx context.Context, t *Team) error

	// FindTeams returns every team, in ID order (for the server's own jobs).
	FindTeams(ctx context.Context) ([]*Team, error)

	// UpdateTeamKey sets a team's wrapped data key. Returns ENOTFOUND if the team does not exist.
	UpdateTeamKey(ctx context.Context, id int64, wrapped []byte) error
}

// TeamIDFromContext returns the team of the signed-in user, or zero.
func TeamIDFromContext(ctx context.Context) int64 {
	if u := UserFromContext(ctx); u != nil {
		return u.TeamID
	}
	return 0
}
