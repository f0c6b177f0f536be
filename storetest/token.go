package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

func testToken(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		u, uctx := MustCreateUser(t, ctx, s)
		tok := &beifen.Token{UserID: u.ID, Hash: randBytes(32), Kind: "api"}
		if err := s.Tokens.CreateToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		got, err := s.Tokens.FindTokenByHash(ctx, tok.Hash)
		if err != nil || got.UserID != u.ID || got.Kind != "api" {
			t.Fatalf("FindTokenByHash=%+v, %v", got, err)
		}
		list, err := s.Tokens.FindTokens(uctx)
		if err != nil || len(list) != 1 || list[0].ID != tok.ID || list[0].Kind != "api" {
			t.Fatalf("FindTokens=%v, %v", list, err)
		}
		if err := s.Tokens.DeleteToken(uctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		if list, _ := s.Tokens.FindTokens(uctx); len(list) != 0 {
			t.Fatalf("FindTokens after delete=%v", list)
		}
		_, err = s.Tokens.FindTokenByHash(ctx, tok.Hash)
		wantError(t, err, beifen.ENOTFOUND, "Token not found.")
	})
	t.Run("ErrExpired", func(t *testing.T) {
		s := open(t)
		u, _ := MustCreateUser(t, ctx, s)
		tok := &beifen.Token{UserID: u.ID, Hash: randBytes(32), Kind: "session", ExpiresAt: time.Now().Add(-time.Second)}
		if err := s.Tokens.CreateToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		_, err := s.Tokens.FindTokenByHash(ctx, tok.Hash)
		wantError(t, err, beifen.ENOTFOUND, "Token not found.")
	})
	t.Run("ErrOtherUsersToken", func(t *testing.T) {
		s := open(t)
		u, _ := MustCreateUser(t, ctx, s)
		_, other := MustCreateUser(t, ctx, s)
		tok := &beifen.Token{UserID: u.ID, Hash: randBytes(32), Kind: "api"}
		if err := s.Tokens.CreateToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		wantError(t, s.Tokens.DeleteToken(other, tok.ID), beifen.ENOTFOUND, "Token not found.")
		if _, err := s.Tokens.FindTokenByHash(ctx, tok.Hash); err != nil {
			t.Fatalf("token gone after another user's delete: %v", err)
		}
	})
}
