package support

import (
	"context"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/phonenumber"
)

// The notification centre (clause 1.1.3): the operator sends a service notice to everyone or a
// marketing message to those who consented to marketing; each goes to the in-app centre, by
// text, and by e-mail to a verified address. A marketing text always ends with its opt-out line
// and a marketing e-mail carries its unsubscribe link; a "TD" reply or the link withdraws the
// consent before the next send, which reads the ledger afresh for every account.

// SendNotice sends a notice of kind "service" or "marketing" and returns how many accounts got
// it.
func (s *Service) SendNotice(ctx context.Context, kind, title, body string) (int, error) {
	n := &beifen.Notice{Kind: kind, Title: title, Body: body}
	if err := n.Validate(); err != nil {
		return 0, err
	}
	if s.SMS == nil || s.OpenProfile == nil {
		return 0, beifen.Errorf(beifen.EINTERNAL, "No SMS channel is configured.")
	}
	pushBody := body
	if kind == "marketing" {
		pushBody += " " + beifen.PushOptOutLine
	}
	var notices []*beifen.Notice
	mailed, pushed := 0, 0
	err := beifen.EachAccount(ctx, s.Store.Users, func(u *beifen.User) error {
		if kind == "marketing" {
			ledger, err := s.Store.Policies.FindConsents(ctx, u.ID)
			if err != nil {
				return err
			}
			if !beifen.ConsentsInForce(ledger)[beifen.PurposeMarketing] {
				return nil
			}
		}
		if err := s.OpenProfile(u); err != nil {
			return err
		}
		if s.sendNoticeTo(ctx, u, n) {
			mailed++
		}
		pushed += s.push(ctx, u, title, pushBody)
		notices = append(notices, &beifen.Notice{UserID: u.ID, Kind: kind, Title: title, Body: body})
		return nil
	})
	if err != nil {
		return 0, err
	}
	if err := s.Store.Notices.CreateNotices(ctx, notices); err != nil {
		return 0, err
	}
	s.Logger.InfoContext(ctx, "notice sent", "kind", kind, "recipients", len(notices), "emails", mailed, "pushed", pushed)
	return len(notices), nil
}

// sendNoticeTo texts n to u and e-mails it to their verified address, if any, and reports
// whether the e-mail went. A channel that fails is logged and does not stop the others: the
// in-app copy stays.
func (s *Service) sendNoticeTo(ctx context.Context, u *beifen.User, n *beifen.Notice) bool {
	text := "【手机备份】" + n.Title + "：" + n.Body
	if n.Kind == "marketing" {
		text += " " + beifen.OptOutLine
	}
	if err := s.SMS.SendSMS(ctx, u.Phone, text); err != nil {
		s.Logger.WarnContext(ctx, "notice text not sent", "user_id", u.ID, "err", err)
	}
	if s.Mail == nil || u.Email == "" {
		return false
	}
	m := &beifen.Email{To: u.Email, Subject: "【手机备份】" + n.Title, Body: n.Body + "\n\n—— 手机备份 Phone Backup\n"}
	if n.Kind == "marketing" {
		m.Unsubscribe = s.UnsubscribeURL(u.ID, beifen.PurposeMarketing)
		m.Body += "\n不想再收到营销邮件？退订 / Unsubscribe: " + m.Unsubscribe + "\n"
	}
	if err := s.Mail.SendEmail(ctx, m); err != nil {
		s.Logger.WarnContext(ctx, "notice e-mail not sent", "user_id", u.ID, "err", err)
		return false
	}
	return true
}

// push sends a notice to u's registered devices, if any, and returns how many got it; a failure
// is logged, and the text and the in-app copy still carry the notice.
func (s *Service) push(ctx context.Context, u *beifen.User, title, body string) int {
	if s.Push == nil {
		return 0
	}
	n, err := s.Push(ctx, u, title, body)
	if err != nil {
		s.Logger.WarnContext(ctx, "notice not pushed", "user_id", u.ID, "err", err)
	}
	return n
}

// Inbox returns the signed-in user's notification centre, newest first.
func (s *Service) Inbox(ctx context.Context) ([]*beifen.Notice, error) {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return nil, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	return s.Store.Notices.FindNotices(ctx, u.ID, 50)
}

// HandleUserReply takes a text a user sent back to the platform's number (from the SMS
// gateway's webhook). An opt-out withdraws their marketing consent at once. It reports whether it
// was one; a number with no account is no error.
func (s *Service) HandleUserReply(ctx context.Context, from, body string) (bool, error) {
	if !beifen.IsOptOut(body) {
		return false, nil
	}
	e164, err := phonenumber.Normalize(from)
	if err != nil {
		return false, err
	}
	u, err := s.Store.Users.FindUserByPhoneHash(ctx, s.PhoneHash(e164))
	if beifen.ErrorCode(err) == beifen.ENOTFOUND {
		return false, nil
	} else if err != nil {
		return false, err
	}
	if err := s.Store.Policies.AddConsent(ctx, &beifen.Consent{UserID: u.ID, Purpose: beifen.PurposeMarketing, Granted: false, Channel: beifen.ConsentBySMS}); err != nil {
		return false, err
	}
	s.Logger.InfoContext(ctx, "marketing opt-out by reply", "user_id", u.ID)
	return true, nil
}
