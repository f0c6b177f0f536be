package storetest

import (
	"bytes"
	"context"
	"testing"

	"github.com/beifen/beifen"
)

func testTeam(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		team, mctx := MustCreateMember(t, ctx, s, nil, beifen.RoleAdmin)
		got, err := s.Teams.FindTeamByID(ctx, team.ID)
		if err != nil || got.Name != "销售一部" || got.TimeZone != "Asia/Shanghai" || !bytes.Equal(got.WrappedKey, team.WrappedKey) {
			t.Fatalf("FindTeamByID=%+v, %v", got, err)
		}
		u, err := s.Users.FindUserByID(ctx, beifen.UserFromContext(mctx).ID)
		if err != nil || u.TeamID != team.ID || u.Role != beifen.RoleAdmin {
			t.Fatalf("member=%+v, %v; want team %d admin", u, err, team.ID)
		}
		if err := s.Teams.UpdateTeamKey(ctx, team.ID, []byte("k2")); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Teams.FindTeamByID(ctx, team.ID); string(got.WrappedKey) != "k2" {
			t.Fatalf("WrappedKey=%q, want k2", got.WrappedKey)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		s := open(t)
		wantError(t, s.Teams.CreateTeam(ctx, &beifen.Team{TimeZone: "Asia/Shanghai"}), beifen.EINVALID, "Team name required.")
		wantError(t, s.Teams.CreateTeam(ctx, &beifen.Team{Name: "x", TimeZone: "Mars/Base"}), beifen.EINVALID, "Unknown time zone.")
		err := s.Users.CreateUser(ctx, &beifen.User{PhoneHash: randBytes(32), Sealed: []byte("s"), TeamID: 1})
		wantError(t, err, beifen.EINVALID, "A team member needs a role: admin, manager or staff.")
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		_, err := s.Teams.FindTeamByID(ctx, 999)
		wantError(t, err, beifen.ENOTFOUND, "Team not found.")
		wantError(t, s.Teams.UpdateTeamKey(ctx, 999, nil), beifen.ENOTFOUND, "Team not found.")
	})
}
