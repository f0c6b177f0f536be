package auth

import (
	"context"
	"strconv"
	"strings"

	"github.com/beifen/beifen"
)

// An account's optional e-mail address (clause 1.1.3): entered by the user, verified by a code
// e-mailed to it, and only then used for notices. It is kept in the sealed profile alone; the
// code's hash is kept like a sign-in code's, under a key of the account, so the resend limit and
// the lock apply to it too.

// EmailHash returns the keyed hash an address is logged under in the transfer log.
func (s *Service) EmailHash(addr string) []byte {
	return s.Master.Server().Ident([]byte("email:" + strings.ToLower(addr)))
}

// emailCodeKey is where the code for the account's pending address is kept.
func (s *Service) emailCodeKey(userID int64) []byte {
	return s.Master.Server().Ident([]byte("email-code:" + strconv.FormatInt(userID, 10)))
}

// EmailStatus returns the signed-in user's addresses. Returns ENOTFOUND when the server sends
// no e-mail.
func (s *Service) EmailStatus(ctx context.Context) (*beifen.EmailStatus, error) {
	u, err := s.emailUser(ctx)
	if err != nil {
		return nil, err
	}
	return &beifen.EmailStatus{Address: u.Email, Pending: u.EmailPending}, nil
}

func (s *Service) emailUser(ctx context.Context) (*beifen.User, error) {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return nil, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	if s.Mail == nil {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "This server sends no e-mail.")
	}
	return u, nil
}

// SetEmail keeps addr as the signed-in user's pending address and e-mails it a code; the
// verified address, if any, stays in use until the code is confirmed. Returns EINVALID for an
// address out of shape and ETOOMANY within a minute of the last code.
func (s *Service) SetEmail(ctx context.Context, addr string) (*beifen.EmailStatus, error) {
	u, err := s.emailUser(ctx)
	if err != nil {
		return nil, err
	}
	if addr, err = beifen.NormalizeEmail(addr); err != nil {
		return nil, err
	}
	if addr == u.Email {
		return s.EmailStatus(ctx)
	}
	code, err := s.issueCode(ctx, s.emailCodeKey(u.ID), addr+" ")
	if err != nil {
		return nil, err
	}
	if _, err := s.updateProfile(ctx, u, func(p *profile) { p.EmailPending = addr }, "email.set"); err != nil {
		return nil, err
	}
	err = s.Mail.SendEmail(ctx, &beifen.Email{To: addr, Subject: "【手机备份】邮箱验证码 Verification code", Body: "验证码 " + code +
		"，10分钟内有效。如非本人操作，请忽略本邮件。\n\nYour Phone Backup verification code is " + code +
		". It is valid for 10 minutes. If you did not ask for it, ignore this e-mail.\n"})
	if err != nil {
		return nil, err
	}
	s.Logger.InfoContext(ctx, "e-mail verification sent", "user_id", u.ID, "to", beifen.MaskEmail(addr))
	return &beifen.EmailStatus{Address: u.Email, Pending: addr}, nil
}

// ConfirmEmail makes the pending address the verified one when code is the one e-mailed to it.
// Returns EINVALID when no address is pending and EUNAUTHORIZED or ETOOMANY for a wrong code.
func (s *Service) ConfirmEmail(ctx context.Context, code string) (*beifen.EmailStatus, error) {
	u, err := s.emailUser(ctx)
	if err != nil {
		return nil, err
	}
	if u.EmailPending == "" {
		return nil, beifen.Errorf(beifen.EINVALID, "No e-mail address is waiting for a code.")
	}
	if err := s.checkCodeAt(ctx, s.emailCodeKey(u.ID), u.EmailPending+" "+strings.TrimSpace(code)); err != nil {
		return nil, err
	}
	nu, err := s.updateProfile(ctx, u, func(p *profile) { p.Email, p.EmailPending = p.EmailPending, "" }, "email.verify")
	if err != nil {
		return nil, err
	}
	return &beifen.EmailStatus{Address: nu.Email}, nil
}

// RemoveEmail forgets the signed-in user's addresses, verified and pending: no more e-mail.
func (s *Service) RemoveEmail(ctx context.Context) error {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	if err := s.Store.OTPs.DeleteOTP(ctx, s.emailCodeKey(u.ID)); err != nil && beifen.ErrorCode(err) != beifen.ENOTFOUND {
		return err
	}
	_, err := s.updateProfile(ctx, u, func(p *profile) { p.Email, p.EmailPending = "", "" }, "email.remove")
	return err
}
