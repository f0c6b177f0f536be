package storetest

import (
	"context"
	"encoding/binary"
	"maps"
	"testing"

	"github.com/beifen/beifen"
)

// wrappedUnder returns bytes with the header of a key wrapped under master key version v.
func wrappedUnder(v int) []byte {
	if v == 1 {
		return append([]byte{1}, randBytes(60)...)
	}
	return append(binary.BigEndian.AppendUint32([]byte{2}, uint32(v)), randBytes(60)...)
}

// mustCreateKeyed creates an account with a key under version v.
func mustCreateKeyed(tb testing.TB, ctx context.Context, s Services, v int) *beifen.User {
	tb.Helper()
	u := &beifen.User{PhoneHash: randBytes(32), Sealed: []byte("sealed"), WrappedKey: wrappedUnder(v)}
	if err := s.Users.CreateUser(ctx, u); err != nil {
		tb.Fatal(err)
	}
	return u
}

func wantCounts(tb testing.TB, s Services, want map[int]int) {
	tb.Helper()
	got, err := s.Keys.CountWrappedKeys(context.Background())
	if err != nil || !maps.Equal(got, want) {
		tb.Fatalf("CountWrappedKeys=%v, %v; want %v", got, err, want)
	}
}

func testKey(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		u1, u2 := mustCreateKeyed(t, ctx, s, 1), mustCreateKeyed(t, ctx, s, 1)
		erased := mustCreateKeyed(t, ctx, s, 1)
		if err := s.Users.EraseUser(ctx, erased.ID, randBytes(32), []byte("erased")); err != nil {
			t.Fatal(err)
		}
		team := &beifen.Team{Name: "销售一部", TimeZone: "Asia/Shanghai", PoolDays: 30, WrappedKey: wrappedUnder(2)}
		if err := s.Teams.CreateTeam(ctx, team); err != nil {
			t.Fatal(err)
		}
		wantCounts(t, s, map[int]int{1: 2, 2: 1})
		keys, err := s.Keys.FindWrappedKeys(ctx, beifen.KeyOwnerAccount, 2, 0, 10)
		if err != nil || len(keys) != 2 || keys[0].OwnerID != u1.ID || keys[0].Version != 1 || string(keys[0].Wrapped) != string(u1.WrappedKey) {
			t.Fatalf("FindWrappedKeys=%+v, %v; want accounts %d and %d at version 1", keys, err, u1.ID, u2.ID)
		}
		if keys, _ := s.Keys.FindWrappedKeys(ctx, beifen.KeyOwnerAccount, 2, u1.ID, 10); len(keys) != 1 || keys[0].OwnerID != u2.ID {
			t.Fatalf("FindWrappedKeys after %d=%+v, want account %d", u1.ID, keys, u2.ID)
		}
		if keys, _ := s.Keys.FindWrappedKeys(ctx, beifen.KeyOwnerTeam, 2, 0, 10); len(keys) != 0 {
			t.Fatalf("FindWrappedKeys(team)=%+v, want none", keys)
		}
		k := &beifen.WrappedKey{Owner: beifen.KeyOwnerAccount, OwnerID: u1.ID, Wrapped: wrappedUnder(2)}
		if err := s.Keys.ReplaceWrappedKey(ctx, k, u1.WrappedKey); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Users.FindUserByID(ctx, u1.ID); string(got.WrappedKey) != string(k.Wrapped) {
			t.Fatal("the replaced key was not stored")
		}
		wantCounts(t, s, map[int]int{1: 1, 2: 2})
		// Every other write of a key records its version too.
		k3 := wrappedUnder(3)
		if _, err := s.Users.UpdateUser(ctx, u2.ID, beifen.UserUpdate{WrappedKey: &k3}); err != nil {
			t.Fatal(err)
		}
		if err := s.Teams.UpdateTeamKey(ctx, team.ID, wrappedUnder(3)); err != nil {
			t.Fatal(err)
		}
		wantCounts(t, s, map[int]int{2: 1, 3: 2})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		u := mustCreateKeyed(t, ctx, s, 1)
		k := &beifen.WrappedKey{Owner: beifen.KeyOwnerAccount, OwnerID: u.ID, Wrapped: wrappedUnder(2)}
		wantError(t, s.Keys.ReplaceWrappedKey(ctx, k, wrappedUnder(1)), beifen.ECONFLICT, "The key changed meanwhile.")
		wantCounts(t, s, map[int]int{1: 1})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		k := &beifen.WrappedKey{Owner: beifen.KeyOwnerTeam, OwnerID: 999, Wrapped: wrappedUnder(2)}
		wantError(t, s.Keys.ReplaceWrappedKey(ctx, k, wrappedUnder(1)), beifen.ENOTFOUND, "Key owner not found.")
		_, err := s.Keys.FindWrappedKeys(ctx, "device", 2, 0, 10)
		wantError(t, err, beifen.EINVALID, "Unknown key owner.")
	})
}
