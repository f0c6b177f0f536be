package beifen

import (
	"context"
	"time"
)

// User is an account, identified by its phone number in E.164 form. The store keeps the number
// only as a keyed hash (PhoneHash, for look-ups) and sealed with the profile (Sealed); Phone and
// Name are filled in once the profile is opened.
type User struct {
	ID      int64   `json:"id"`
	Phone   string  `json:"phone"`
	Name    string  `json:"name,omitempty"`
	Profile Profile `json:"profile"`
	// GuardianConsentAt is when a guardian consented for a user under 18 (clause 7.1).
	GuardianConsentAt time.Time `json:"guardian_consent_at,omitzero"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`

	// TeamID and Role place the user in a sales team; zero for a personal account.
	TeamID int64 `json:"team_id,omitempty"`
	Role   Role  `json:"role,omitempty"`
	// ManagerID is a staff member's manager (组长): their group is the staff who name them.
	ManagerID int64 `json:"manager_id,omitempty"`

	PhoneHash []byte `json:"-"`
	Sealed    []byte `json:"-"` // the profile (phone, name), sealed under the server's profile key

	// PasswordHash is the optional argon2id password hash in PHC form; never sent to clients.
	PasswordHash string `json:"-"`
	// WrappedKey is the account's data key sealed under the server's master key; never sent to
	// clients. Destroying it makes everything the account backed up unreadable.
	WrappedKey []byte `json:"-"`

	// EraseAfter is when a requested deletion of the account takes effect (zero: none asked).
	EraseAfter time.Time `json:"erase_after,omitzero"`

	// IDBirthday is the birth date of a verified ID number (clause 1.1.2); it takes precedence
	// over the self-entered Profile.Birthday for age rules.
	IDBirthday string `json:"-"`

	// Email is the verified e-mail address notices also go to, EmailPending one entered and
	// waiting for its code (clause 1.1.3); both kept only in the sealed profile.
	Email        string `json:"email,omitempty"`
	EmailPending string `json:"email_pending,omitempty"`
}

// Validate returns EINVALID if a required field is missing.
func (u *User) Validate() error {
	if len(u.PhoneHash) == 0 {
		return Errorf(EINVALID, "Phone number required.")
	}
	if (u.TeamID != 0) != (u.Role != "") || (u.Role != "" && !u.Role.Valid()) {
		return Errorf(EINVALID, "A team member needs a role: admin, manager or staff.")
	}
	return nil
}

// UserService stores accounts.
type UserService interface {
	// FindUserByID returns ENOTFOUND if the user does not exist.
	FindUserByID(ctx context.Context, id int64) (*User, error)

	// FindUserByPhoneHash looks a user up by the keyed hash of its number. Returns ENOTFOUND if
	// there is none.
	FindUserByPhoneHash(ctx context.Context, hash []byte) (*User, error)

	// FindUsers returns users in ID order, and how many there are in all.
	FindUsers(ctx context.Context, filter UserFilter) ([]*User, int, error)

	StatsService

	// EraseUser deletes everything the account stored (records, snapshots, sources, the blob
	// registry, tokens, complaints), destroys its data key and replaces its number and profile with the
	// given anonymous ones, in one transaction. The row stays as a pseudonymous tombstone, so
	// team data that names the person by ID loses the identity, not its history.
	// Returns ENOTFOUND if the user does not exist.
	EraseUser(ctx context.Context, id int64, phoneHash, sealed []byte) error

	// CreateUser creates a user and sets its ID and times. Returns ECONFLICT if the phone
	// number is taken.
	CreateUser(ctx context.Context, u *User) error

	// UpdateUser changes the set fields of upd. Returns ENOTFOUND if the user does not exist.
	UpdateUser(ctx context.Context, id int64, upd UserUpdate) (*User, error)
}

// UserUpdate holds the fields to change on a user.
type UserUpdate struct {
	EraseAfter   *time.Time // the zero time cancels a requested deletion
	Sealed       *[]byte
	PasswordHash *string
	WrappedKey   *[]byte
	ManagerID    *int64 // 0 takes the member out of any group
}

// UserFilter selects users.
type UserFilter struct {
	EraseDue  *time.Time // only accounts whose deletion takes effect by then
	ManagerID *int64     // only the staff of this manager's group
	Offset    int
	Limit     int
}

// EachAccount calls fn for every account that is not erased, in ID order, reading them a page
// at a time. fn's error stops the walk.
func EachAccount(ctx context.Context, users UserService, fn func(*User) error) error {
	const page = 500
	for off := 0; ; off += page {
		list, _, err := users.FindUsers(ctx, UserFilter{Offset: off, Limit: page})
		if err != nil {
			return err
		}
		for _, u := range list {
			if len(u.WrappedKey) == 0 { // erased: a tombstone
				continue
			}
			if err := fn(u); err != nil {
				return err
			}
		}
		if len(list) < page {
			return nil
		}
	}
}
