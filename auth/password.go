package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/phonenumber"
	"golang.org/x/crypto/argon2"
)

// argon2id parameters (RFC 9106's second recommended option, with 64 MiB).
const (
	argonTime    = 3
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
	minPassword  = 8
)

// SetPassword sets the context user's optional password.
func (s *Service) SetPassword(ctx context.Context, password string) error {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	if len([]rune(password)) < minPassword {
		return beifen.Errorf(beifen.EINVALID, "Password must be at least %d characters.", minPassword)
	}
	h := hashPassword(password)
	_, err := s.Store.Users.UpdateUser(ctx, u.ID, beifen.UserUpdate{PasswordHash: &h})
	return err
}

// SignInWithPassword exchanges a password for a token. Wrong passwords count towards the same
// lock as wrong codes.
func (s *Service) SignInWithPassword(ctx context.Context, phone, password, kind string) (*beifen.User, string, error) {
	e164, err := phonenumber.Normalize(phone)
	if err != nil {
		return nil, "", err
	}
	now := s.Now().UTC()
	ph := s.PhoneHash(e164)
	if o, err := s.Store.OTPs.FindOTP(ctx, ph); err == nil {
		if err := checkLock(o, now); err != nil {
			return nil, "", err
		}
	}
	u, err := s.Store.Users.FindUserByPhoneHash(ctx, ph)
	if err != nil && beifen.ErrorCode(err) != beifen.ENOTFOUND {
		return nil, "", err
	}
	if u == nil || !checkPassword(u.PasswordHash, password) {
		if _, ferr := s.Store.OTPs.FindOTP(ctx, ph); beifen.ErrorCode(ferr) == beifen.ENOTFOUND {
			s.Store.OTPs.PutOTP(ctx, &beifen.OTP{PhoneHash: ph, SentAt: now, ExpiresAt: now})
		}
		if ferr := s.fail(ctx, ph, now); beifen.ErrorCode(ferr) == beifen.ETOOMANY {
			return nil, "", ferr
		}
		return nil, "", beifen.Errorf(beifen.EUNAUTHORIZED, "Wrong phone number or password.")
	}
	if err := s.OpenProfile(u); err != nil {
		return nil, "", err
	}
	in, err := s.newSignIn(ctx, u, "password")
	if err != nil {
		return nil, "", err
	}
	if strange, err := s.fromStrangeNetwork(ctx, in); err != nil {
		return nil, "", err
	} else if strange {
		s.Logger.InfoContext(ctx, "password sign-in from a new network refused", "user_id", u.ID)
		return nil, "", beifen.Errorf(beifen.EFORBIDDEN, "This account has not signed in from this network before: sign in with a code texted to your phone this time.")
	}
	if err := s.keepSignIn(ctx, in); err != nil {
		return nil, "", err
	}
	tok, err := s.issueToken(ctx, u, kind)
	return u, tok, err
}

func hashPassword(pw string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime,
		argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// checkPassword verifies pw against a PHC-form argon2id hash.
func checkPassword(phc, pw string) bool {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}
