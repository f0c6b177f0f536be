package storetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

func testOTP(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		now := time.Now().UTC().Truncate(time.Second)
		o := &beifen.OTP{PhoneHash: randBytes(32), CodeHash: randBytes(32), SentAt: now, ExpiresAt: now.Add(10 * time.Minute)}
		if err := s.OTPs.PutOTP(ctx, o); err != nil {
			t.Fatal(err)
		}
		got, err := s.OTPs.FindOTP(ctx, o.PhoneHash)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.CodeHash, o.CodeHash) || !got.SentAt.Equal(now) || !got.ExpiresAt.Equal(o.ExpiresAt) || got.Attempts != 0 {
			t.Fatalf("FindOTP=%+v, want %+v", got, o)
		}
		if err := s.OTPs.DeleteOTP(ctx, o.PhoneHash); err != nil {
			t.Fatal(err)
		}
		_, err = s.OTPs.FindOTP(ctx, o.PhoneHash)
		wantError(t, err, beifen.ENOTFOUND, "No code was requested for this number.")
	})
	t.Run("FailLocks", func(t *testing.T) {
		s := open(t)
		now := time.Now().UTC().Truncate(time.Second)
		o := &beifen.OTP{PhoneHash: randBytes(32), CodeHash: randBytes(32), SentAt: now, ExpiresAt: now.Add(time.Hour)}
		if err := s.OTPs.PutOTP(ctx, o); err != nil {
			t.Fatal(err)
		}
		until := now.Add(15 * time.Minute)
		var got *beifen.OTP
		for i := 1; i <= 5; i++ {
			var err error
			if got, err = s.OTPs.FailOTP(ctx, o.PhoneHash, 5, until); err != nil {
				t.Fatal(err)
			}
			if got.Attempts != i {
				t.Fatalf("Attempts=%d, want %d", got.Attempts, i)
			}
			if i < 5 && !got.LockedUntil.IsZero() {
				t.Fatalf("locked after %d attempts", i)
			}
		}
		if !got.LockedUntil.Equal(until) || got.CodeHash != nil {
			t.Fatalf("LockedUntil=%v CodeHash=%x, want %v and no code", got.LockedUntil, got.CodeHash, until)
		}
	})
}
