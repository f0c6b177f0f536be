package storetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

func testUser(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		u, _ := MustCreateUser(t, ctx, s)
		if u.ID == 0 || !near(u.CreatedAt, u.UpdatedAt) {
			t.Fatalf("ID=%d CreatedAt=%v UpdatedAt=%v", u.ID, u.CreatedAt, u.UpdatedAt)
		}
		got, err := s.Users.FindUserByPhoneHash(ctx, u.PhoneHash)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != u.ID || !bytes.Equal(got.Sealed, u.Sealed) || !bytes.Equal(got.WrappedKey, u.WrappedKey) {
			t.Fatalf("FindUserByPhoneHash=%+v, want %+v", got, u)
		}
		if got, err := s.Users.FindUserByID(ctx, u.ID); err != nil || got.ID != u.ID {
			t.Fatalf("FindUserByID=%v, %v", got, err)
		}
	})
	t.Run("FindUsers", func(t *testing.T) {
		s := open(t)
		a, _ := MustCreateUser(t, ctx, s)
		b, _ := MustCreateUser(t, ctx, s)
		users, n, err := s.Users.FindUsers(ctx, beifen.UserFilter{})
		if err != nil || n != 2 || len(users) != 2 || users[0].ID != a.ID || users[1].ID != b.ID {
			t.Fatalf("FindUsers=%v n=%d, %v; want users %d and %d", users, n, err, a.ID, b.ID)
		}
		users, n, _ = s.Users.FindUsers(ctx, beifen.UserFilter{Offset: 1, Limit: 1})
		if n != 2 || len(users) != 1 || users[0].ID != b.ID {
			t.Fatalf("FindUsers(offset 1, limit 1)=%v n=%d, want user %d of 2", users, n, b.ID)
		}
	})
	t.Run("ErrPhoneRequired", func(t *testing.T) {
		s := open(t)
		wantError(t, s.Users.CreateUser(ctx, &beifen.User{}), beifen.EINVALID, "Phone number required.")
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		u, _ := MustCreateUser(t, ctx, s)
		err := s.Users.CreateUser(ctx, &beifen.User{PhoneHash: u.PhoneHash, Sealed: []byte("x")})
		wantError(t, err, beifen.ECONFLICT, "This phone number already has an account.")
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		_, err := s.Users.FindUserByID(ctx, 12345)
		wantError(t, err, beifen.ENOTFOUND, "User not found.")
		_, err = s.Users.FindUserByPhoneHash(ctx, []byte("nope"))
		wantError(t, err, beifen.ENOTFOUND, "User not found.")
		_, err = s.Users.UpdateUser(ctx, 12345, beifen.UserUpdate{})
		wantError(t, err, beifen.ENOTFOUND, "User not found.")
	})
	t.Run("Update", func(t *testing.T) {
		s := open(t)
		u, _ := MustCreateUser(t, ctx, s)
		pw, key := "$argon2id$x", []byte{}
		got, err := s.Users.UpdateUser(ctx, u.ID, beifen.UserUpdate{PasswordHash: &pw, WrappedKey: &key})
		if err != nil {
			t.Fatal(err)
		}
		again, _ := s.Users.FindUserByID(ctx, u.ID)
		if got.PasswordHash != pw || again.PasswordHash != pw || len(again.WrappedKey) != 0 {
			t.Fatalf("PasswordHash=%q/%q WrappedKey=%x, want %q and none", got.PasswordHash, again.PasswordHash, again.WrappedKey, pw)
		}
	})
}

func testUserErase(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	s := open(t)
	u, uctx := MustCreateUser(t, ctx, s)
	kept, kctx := MustCreateUser(t, ctx, s)
	for _, c := range []context.Context{uctx, kctx} {
		mustSnapshot(t, c, s, mustRecords(t, c, s, beifen.KindSMS, "a", 3))
		if err := s.Blobs.PutBlobEntries(c, []*beifen.BlobEntry{{Name: "n", Size: 1}}); err != nil {
			t.Fatal(err)
		}
	}
	tok := &beifen.Token{UserID: u.ID, Hash: randBytes(32), Kind: "api"}
	if err := s.Tokens.CreateToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	due := time.Now().Add(time.Hour)
	if _, err := s.Users.UpdateUser(ctx, u.ID, beifen.UserUpdate{EraseAfter: &due}); err != nil {
		t.Fatal(err)
	}
	later := due.Add(time.Minute)
	if users, n, err := s.Users.FindUsers(ctx, beifen.UserFilter{EraseDue: &later}); err != nil || n != 1 || len(users) != 1 || users[0].ID != u.ID {
		t.Fatalf("FindUsers(erase due)=%v, %v; want the one user", users, err)
	}
	if err := s.Users.EraseUser(ctx, u.ID, randBytes(32), []byte("erased")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Users.FindUserByPhoneHash(ctx, u.PhoneHash); beifen.ErrorCode(err) != beifen.ENOTFOUND {
		t.Fatalf("the erased number still finds the account: %v", err)
	}
	got, err := s.Users.FindUserByID(ctx, u.ID)
	if err != nil || len(got.WrappedKey) != 0 || string(got.Sealed) != "erased" || !got.EraseAfter.IsZero() {
		t.Fatalf("tombstone %+v, %v", got, err)
	}
	n := 0
	s.Records.ScanRecords(uctx, func(*beifen.Record) error { n++; return nil })
	_, snaps, _ := s.Snapshots.FindSnapshots(uctx, beifen.SnapshotFilter{})
	_, blobErr := s.Blobs.FindBlobEntry(uctx, "n")
	_, tokErr := s.Tokens.FindTokenByHash(ctx, tok.Hash)
	if n != 0 || snaps != 0 || beifen.ErrorCode(blobErr) != beifen.ENOTFOUND || beifen.ErrorCode(tokErr) != beifen.ENOTFOUND {
		t.Fatalf("left after erasing: %d records, %d snapshots, blob %v, token %v", n, snaps, blobErr, tokErr)
	}
	// The other account is untouched.
	k := 0
	s.Records.ScanRecords(kctx, func(*beifen.Record) error { k++; return nil })
	if _, ks, _ := s.Snapshots.FindSnapshots(kctx, beifen.SnapshotFilter{}); k != 3 || ks != 1 || kept.ID == 0 {
		t.Fatalf("the other account has %d records, %d snapshots", k, ks)
	}
	wantError(t, s.Users.EraseUser(ctx, 9999, randBytes(32), nil), beifen.ENOTFOUND, "User not found.")
}

func testActivity(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	s := open(t)
	counted, cctx := MustCreateUser(t, ctx, s)
	withdrawn, wctx := MustCreateUser(t, ctx, s)
	silent, _ := MustCreateUser(t, ctx, s)
	erased, ectx := MustCreateUser(t, ctx, s)
	for _, c := range []*beifen.Consent{
		{UserID: counted.ID, Purpose: beifen.PurposeStatistics, Granted: true},
		{UserID: withdrawn.ID, Purpose: beifen.PurposeStatistics, Granted: true},
		{UserID: withdrawn.ID, Purpose: beifen.PurposeStatistics, Granted: false},
		{UserID: erased.ID, Purpose: beifen.PurposeStatistics, Granted: true},
	} {
		if err := s.Policies.AddConsent(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	before := time.Now().Add(-time.Minute)
	for _, c := range []context.Context{cctx, cctx, wctx, ectx} {
		mustSnapshot(t, c, s, nil)
	}
	if err := s.Users.EraseUser(ctx, erased.ID, randBytes(32), []byte("x")); err != nil {
		t.Fatal(err)
	}
	acts, err := s.Users.FindActivity(ctx, before)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]*beifen.UserActivity{}
	for _, a := range acts {
		got[a.UserID] = a
	}
	switch {
	case len(acts) != 3 || got[erased.ID] != nil:
		t.Fatalf("FindActivity returned %d accounts (erased included: %v), want 3", len(acts), got[erased.ID] != nil)
	case !got[counted.ID].Consented || len(got[counted.ID].Backups) != 2 || got[counted.ID].JoinedAt.IsZero():
		t.Fatalf("counted: %+v", got[counted.ID])
	case got[withdrawn.ID].Consented || len(got[withdrawn.ID].Backups) != 1:
		t.Fatalf("withdrawn: %+v", got[withdrawn.ID])
	case got[silent.ID].Consented || len(got[silent.ID].Backups) != 0:
		t.Fatalf("never asked: %+v", got[silent.ID])
	}
	if later, err := s.Users.FindActivity(ctx, time.Now().Add(time.Hour)); err != nil || len(later[0].Backups)+len(later[1].Backups) != 0 {
		t.Fatalf("backups before since were counted: %v", err)
	}
	if ledger, err := s.Policies.FindConsents(ctx, erased.ID); err != nil || len(ledger) != 0 {
		t.Fatalf("an erased account kept its consent ledger: %v, %v", ledger, err)
	}
}
