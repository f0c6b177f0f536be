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
	msg := noticeMessage(n)
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
		_, ok, p := s.sendMessage(ctx, u, msg)
		if ok {
			mailed++
		}
		pushed += p
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

// message is one notice as each channel carries it.
type message struct {
	text            string // the SMS
	subject, body   string // the e-mail, to a verified address
	pushTitle, push string // the push, to the user's registered devices
	unsubscribe     bool   // marketing: the e-mail carries its unsubscribe link
}

// noticeMessage is how a notice of the notification centre reads on each channel.
func noticeMessage(n *beifen.Notice) message {
	m := message{text: "【手机备份】" + n.Title + "：" + n.Body, subject: "【手机备份】" + n.Title,
		body: n.Body + "\n\n—— 手机备份 Phone Backup\n", pushTitle: n.Title, push: n.Body}
	if n.Kind == "marketing" {
		m.text += " " + beifen.OptOutLine
		m.push += " " + beifen.PushOptOutLine
		m.unsubscribe = true
	}
	return m
}

// sendMessage sends m to u by text, by e-mail to their verified address and by push to their
// devices. A channel that fails is logged and does not stop the others (the in-app copy stays).
// It reports whether the text and the e-mail went, and to how many devices it was pushed.
func (s *Service) sendMessage(ctx context.Context, u *beifen.User, m message) (texted, mailed bool, pushed int) {
	if err := s.SMS.SendSMS(ctx, u.Phone, m.text); err != nil {
		s.Logger.WarnContext(ctx, "notice text not sent", "user_id", u.ID, "err", err)
	} else {
		texted = true
	}
	if s.Mail != nil && u.Email != "" {
		e := &beifen.Email{To: u.Email, Subject: m.subject, Body: m.body}
		if m.unsubscribe {
			e.Unsubscribe = s.UnsubscribeURL(u.ID, beifen.PurposeMarketing)
			e.Body += "\n不想再收到营销邮件？退订 / Unsubscribe: " + e.Unsubscribe + "\n"
		}
		if err := s.Mail.SendEmail(ctx, e); err != nil {
			s.Logger.WarnContext(ctx, "notice e-mail not sent", "user_id", u.ID, "err", err)
		} else {
			mailed = true
		}
	}
	return texted, mailed, s.push(ctx, u, m.pushTitle, m.push)
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
