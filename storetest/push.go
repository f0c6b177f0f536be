package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

// mustCreateSession stores a session of u and returns it.
func mustCreateSession(tb testing.TB, ctx context.Context, s Services, u *beifen.User, expires time.Time) *beifen.Token {
	tb.Helper()
	tok := &beifen.Token{UserID: u.ID, Hash: randBytes(32), Kind: "session", ExpiresAt: expires}
	if err := s.Tokens.CreateToken(ctx, tok); err != nil {
		tb.Fatal(err)
	}
	return tok
}

func mustPutPush(tb testing.TB, ctx context.Context, s Services, session int64, hash []byte) *beifen.PushDevice {
	tb.Helper()
	d := &beifen.PushDevice{SessionID: session, Maker: "huawei", TokenHash: hash, Sealed: []byte("sealed token")}
	if err := s.Pushes.PutPushDevice(ctx, d); err != nil {
		tb.Fatal(err)
	}
	return d
}

func testPushDevice(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	s := open(t)
	a, actx := MustCreateUser(t, ctx, s)
	b, bctx := MustCreateUser(t, ctx, s)
	later := time.Now().Add(time.Hour)
	sa1, sa2 := mustCreateSession(t, ctx, s, a, later), mustCreateSession(t, ctx, s, a, later)
	sb := mustCreateSession(t, ctx, s, b, later)
	t.Run("OK", func(t *testing.T) {
		d := mustPutPush(t, actx, s, sa1.ID, randBytes(32))
		got, err := s.Pushes.FindPushDeviceByID(actx, d.ID)
		if err != nil || got.UserID != a.ID || got.SessionID != sa1.ID || got.Maker != "huawei" || string(got.Sealed) != "sealed token" || got.CreatedAt.IsZero() {
			t.Fatalf("FindPushDeviceByID=%+v, %v", got, err)
		}
		again := mustPutPush(t, actx, s, sa1.ID, randBytes(32)) // a new token of the same session replaces it
		list, err := s.Pushes.FindPushDevices(ctx, a.ID)
		if err != nil || len(list) != 1 || list[0].ID != again.ID {
			t.Fatalf("FindPushDevices=%v, %v, want only device %d", list, err, again.ID)
		}
	})
	t.Run("SameTokenMovesToTheNewSession", func(t *testing.T) {
		hash := randBytes(32)
		mustPutPush(t, actx, s, sa2.ID, hash)
		mustPutPush(t, bctx, s, sb.ID, hash) // the phone changed hands
		if list, _ := s.Pushes.FindPushDevices(ctx, a.ID); len(list) != 1 || list[0].SessionID != sa1.ID {
			t.Fatalf("FindPushDevices(a)=%v, want only session %d's", list, sa1.ID)
		}
		if list, _ := s.Pushes.FindPushDevices(ctx, b.ID); len(list) != 1 || list[0].SessionID != sb.ID {
			t.Fatalf("FindPushDevices(b)=%v, want session %d's", list, sb.ID)
		}
	})
	t.Run("Tenancy", func(t *testing.T) {
		err := s.Pushes.PutPushDevice(bctx, &beifen.PushDevice{SessionID: sa1.ID, Maker: "xiaomi", TokenHash: randBytes(32), Sealed: []byte("x")})
		wantError(t, err, beifen.ENOTFOUND, "Session not found.")
		list, _ := s.Pushes.FindPushDevices(ctx, a.ID)
		_, err = s.Pushes.FindPushDeviceByID(bctx, list[0].ID)
		wantError(t, err, beifen.ENOTFOUND, "Device not found.")
		wantError(t, s.Pushes.DeletePushDevice(bctx, list[0].ID), beifen.ENOTFOUND, "Device not found.")
		_, err = s.Pushes.FindPushDeviceByID(ctx, list[0].ID)
		wantError(t, err, beifen.EUNAUTHORIZED, "You must be signed in.")
	})
	t.Run("ExpiredSessionSendsNothing", func(t *testing.T) {
		old := mustCreateSession(t, ctx, s, b, time.Now().Add(-time.Second))
		mustPutPush(t, bctx, s, old.ID, randBytes(32))
		if list, _ := s.Pushes.FindPushDevices(ctx, b.ID); len(list) != 1 {
			t.Fatalf("FindPushDevices=%v, want only the live session's", list)
		}
	})
	t.Run("GoesWithTheSession", func(t *testing.T) {
		list, _ := s.Pushes.FindPushDevices(ctx, a.ID)
		if err := s.Tokens.DeleteToken(actx, sa1.ID); err != nil {
			t.Fatal(err)
		}
		_, err := s.Pushes.FindPushDeviceByID(actx, list[0].ID)
		wantError(t, err, beifen.ENOTFOUND, "Device not found.")
	})
	t.Run("Delete", func(t *testing.T) {
		d := mustPutPush(t, actx, s, sa2.ID, randBytes(32))
		if err := s.Pushes.DeletePushDevice(actx, d.ID); err != nil {
			t.Fatal(err)
		}
		wantError(t, s.Pushes.DeletePushDevice(actx, d.ID), beifen.ENOTFOUND, "Device not found.")
	})
	t.Run("GoesWithTheAccount", func(t *testing.T) {
		if err := s.Users.EraseUser(ctx, b.ID, randBytes(32), []byte("anon")); err != nil {
			t.Fatal(err)
		}
		if list, err := s.Pushes.FindPushDevices(ctx, b.ID); err != nil || len(list) != 0 {
			t.Fatalf("FindPushDevices after erasure=%v, %v", list, err)
		}
	})
}
