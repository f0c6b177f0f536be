package auth

import (
	"context"
	"math"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/phonenumber"
)

// RequestCode sends a sign-in code. Returns ETOOMANY within a minute of the last code or while
// the number is locked.
func (s *Service) RequestCode(ctx context.Context, phone string) error {
	e164, err := phonenumber.Normalize(phone)
	if err != nil {
		return err
	}
	code, err := s.issueCode(ctx, s.PhoneHash(e164), "")
	if err != nil {
		return err
	}
	return s.SMS.SendSMS(ctx, e164, "【手机备份】验证码 "+code+"，10分钟内有效，请勿告诉他人。")
}

// issueCode makes a new code and keeps its hash under ph, bound to bind (which the check must
// repeat). Returns ETOOMANY within a minute of the last code or while ph is locked.
func (s *Service) issueCode(ctx context.Context, ph []byte, bind string) (string, error) {
	now := s.Now().UTC()
	o, err := s.Store.OTPs.FindOTP(ctx, ph)
	if beifen.ErrorCode(err) == beifen.ENOTFOUND {
		o, err = &beifen.OTP{PhoneHash: ph}, nil
	} else if err != nil {
		return "", err
	}
	if err := checkLock(o, now); err != nil {
		return "", err
	}
	if wait := o.SentAt.Add(beifen.OTPResendAfter).Sub(now); wait > 0 {
		return "", beifen.Errorf(beifen.ETOOMANY, "Please wait %d seconds before asking for a new code.", ceilSeconds(wait))
	}
	if !o.LockedUntil.IsZero() { // a lock that has run out starts the count again
		o.Attempts, o.LockedUntil = 0, time.Time{}
	}
	code := newCode()
	o.CodeHash, o.SentAt, o.ExpiresAt = s.codeHash(ph, bind+code), now, now.Add(beifen.OTPValidFor)
	return code, s.Store.OTPs.PutOTP(ctx, o)
}

// SignIn exchanges a code for a token, creating the account on first sign-in.
func (s *Service) SignIn(ctx context.Context, phone, code, kind string) (*beifen.User, string, error) {
	e164, err := phonenumber.Normalize(phone)
	if err != nil {
		return nil, "", err
	}
	if err := s.checkCode(ctx, e164, code); err != nil {
		return nil, "", err
	}
	return s.signInNumber(ctx, e164, "code", kind)
}

// signInNumber signs in the owner of a proven number (by method), creating the account on its
// first sign-in, records the sign-in and issues a token of kind.
func (s *Service) signInNumber(ctx context.Context, e164, method, kind string) (*beifen.User, string, error) {
	u, err := s.findOrCreate(ctx, e164)
	if err != nil {
		return nil, "", err
	}
	in, err := s.newSignIn(ctx, u, method)
	if err == nil {
		err = s.keepSignIn(ctx, in)
	}
	if err != nil {
		return nil, "", err
	}
	tok, err := s.issueToken(ctx, u, kind)
	return u, tok, err
}

// checkCode uses up the code sent to e164, counting a wrong one towards the lock.
func (s *Service) checkCode(ctx context.Context, e164, code string) error {
	return s.checkCodeAt(ctx, s.PhoneHash(e164), code)
}

// checkCodeAt uses up the code kept under the hash ph.
func (s *Service) checkCodeAt(ctx context.Context, ph []byte, code string) error {
	now := s.Now().UTC()
	o, err := s.Store.OTPs.FindOTP(ctx, ph)
	if beifen.ErrorCode(err) == beifen.ENOTFOUND {
		return beifen.Errorf(beifen.EUNAUTHORIZED, "Wrong or expired code.")
	} else if err != nil {
		return err
	}
	if err := checkLock(o, now); err != nil {
		return err
	}
	if len(o.CodeHash) == 0 || !now.Before(o.ExpiresAt) {
		return beifen.Errorf(beifen.EUNAUTHORIZED, "Wrong or expired code.")
	}
	if !equalHash(o.CodeHash, s.codeHash(ph, code)) {
		return s.fail(ctx, ph, now)
	}
	return s.Store.OTPs.DeleteOTP(ctx, ph)
}

func (s *Service) fail(ctx context.Context, ph []byte, now time.Time) error {
	o, err := s.Store.OTPs.FailOTP(ctx, ph, beifen.OTPMaxAttempts, now.Add(beifen.OTPLockDuration))
	if err != nil {
		return err
	}
	if left := beifen.OTPMaxAttempts - o.Attempts; left > 0 {
		return beifen.Errorf(beifen.EUNAUTHORIZED, "Wrong code. %d tries left.", left)
	}
	return beifen.Errorf(beifen.ETOOMANY, "Too many wrong codes. This number is locked for %d minutes.",
		int(beifen.OTPLockDuration/time.Minute))
}

func checkLock(o *beifen.OTP, now time.Time) error {
	if wait := o.LockedUntil.Sub(now); wait > 0 {
		return beifen.Errorf(beifen.ETOOMANY, "Too many wrong codes. Try again in %d minutes.",
			int(math.Ceil(wait.Minutes())))
	}
	return nil
}

func ceilSeconds(d time.Duration) int { return int(math.Ceil(d.Seconds())) }

func (s *Service) findOrCreate(ctx context.Context, e164 string) (*beifen.User, error) {
	u, err := s.Store.Users.FindUserByPhoneHash(ctx, s.PhoneHash(e164))
	if beifen.ErrorCode(err) == beifen.ENOTFOUND {
		if s.Closed != nil && s.Closed(ctx) {
			return nil, beifen.Errorf(beifen.EFORBIDDEN, "The service is closing and takes no new accounts.")
		}
		return s.createAccount(ctx, e164, "", 0, "")
	} else if err != nil {
		return nil, err
	}
	return u, s.OpenProfile(u)
}
