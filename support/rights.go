package support

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/keyring"
)

// Rights requests (PIPL Art. 44-48, clause 6): every request a user makes over their personal
// information is kept with its deadline of beifen.RequestDays working days and its status.
// Self-service ones (a data export, a correction, deleting items, withdrawing a consent) are
// done at once and recorded done; an account deletion stays open through its cooling-off; the
// rest (what is held and how it is used, an explanation of the rules, a copy sent to another
// processor, anything else) wait for the operator, who is reminded three working days before
// the deadline and sees the overdue ones on a report. What was asked and the answer are sealed
// under the account's key.

// RemindDays is how many working days before its deadline an open request is reminded.
const RemindDays = 3

// requestContent is what a request's Sealed holds.
type requestContent struct {
	Detail string `json:"d"`
	Answer string `json:"a,omitempty"`
}

func requestAAD(userID int64) []byte {
	return []byte("beifen rights request\x00user=" + strconv.FormatInt(userID, 10))
}

func (s *Service) sealRequest(keys *keyring.Account, userID int64, c requestContent) []byte {
	b, _ := json.Marshal(c)
	return keys.Seal(requestAAD(userID), b)
}

// Ask files a request of the signed-in user for the operator to answer.
func (s *Service) Ask(ctx context.Context, kind beifen.RightsKind, detail string) (*beifen.RightsRequest, error) {
	if !slices.Contains(beifen.AskableRights, kind) {
		return nil, beifen.Errorf(beifen.EINVALID, "Unknown kind of request %q.", kind)
	}
	detail = strings.TrimSpace(detail)
	if detail == "" || len([]rune(detail)) > 2000 {
		return nil, beifen.Errorf(beifen.EINVALID, "Say what you ask for, in up to 2000 characters.")
	}
	return s.newRequest(ctx, kind, detail, beifen.RequestOpen)
}

// Recorded records a self-service request of the signed-in user that was carried out at once.
func (s *Service) Recorded(ctx context.Context, kind beifen.RightsKind, detail string) error {
	_, err := s.newRequest(ctx, kind, detail, beifen.RequestDone)
	return err
}

// AccountDeletionRequested records the signed-in user's request to delete their account, open
// until the account is erased or the request cancelled.
func (s *Service) AccountDeletionRequested(ctx context.Context) error {
	_, err := s.newRequest(ctx, beifen.RightClose, "", beifen.RequestOpen)
	return err
}

// AccountDeletionEnded closes a user's open account-deletion request: done when the account
// was erased, cancelled when they changed their mind.
func (s *Service) AccountDeletionEnded(ctx context.Context, userID int64, status string) error {
	kind := beifen.RightClose
	open, err := s.Store.Rights.FindRightsRequests(ctx, beifen.RightsRequestFilter{UserID: &userID, Kind: &kind, Open: true})
	if err != nil {
		return err
	}
	for _, r := range open {
		// The sealed text stays as it was: after an erasure no key is left to seal an answer.
		if err := s.Store.Rights.CloseRightsRequest(ctx, r.ID, status, r.Sealed, s.Now().UTC()); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) newRequest(ctx context.Context, kind beifen.RightsKind, detail, status string) (*beifen.RightsRequest, error) {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return nil, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	keys, _, err := s.keysOf(u)
	if err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	r := &beifen.RightsRequest{UserID: u.ID, Kind: kind, Status: status, CreatedAt: now,
		DueAt:  beifen.WorkingDaysAfter(now, beifen.RequestDays, China).UTC(),
		Sealed: s.sealRequest(keys, u.ID, requestContent{Detail: detail}), Detail: detail}
	if status != beifen.RequestOpen {
		r.ClosedAt = now
	}
	if err := s.Store.Rights.CreateRightsRequest(ctx, r); err != nil {
		return nil, err
	}
	s.Logger.InfoContext(ctx, "rights request", "user_id", u.ID, "request_id", r.ID, "kind", kind, "status", status)
	return r, nil
}

// MyRequests returns the signed-in user's requests, opened.
func (s *Service) MyRequests(ctx context.Context) ([]*beifen.RightsRequest, error) {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return nil, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	list, err := s.Store.Rights.FindRightsRequests(ctx, beifen.RightsRequestFilter{UserID: &u.ID})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(list, func(a, b *beifen.RightsRequest) int { return int(b.ID - a.ID) }) // newest first
	keys, _, err := s.keysOf(u)
	if err != nil {
		return nil, err
	}
	for _, r := range list {
		if err := openRequest(keys, r); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// openRequests fills Detail and Answer; a request of an erased account stays sealed.
func (s *Service) openRequests(ctx context.Context, list []*beifen.RightsRequest) error {
	users := map[int64]*keyring.Account{}
	for _, r := range list {
		keys, ok := users[r.UserID]
		if !ok {
			u, err := s.Store.Users.FindUserByID(ctx, r.UserID)
			if err != nil {
				return err
			}
			if len(u.WrappedKey) > 0 {
				if keys, _, err = s.keysOf(u); err != nil {
					return err
				}
			}
			users[r.UserID] = keys
		}
		if keys == nil {
			continue
		}
		if err := openRequest(keys, r); err != nil {
			return err
		}
	}
	return nil
}

// openRequest fills r's Detail and Answer with keys, its user's.
func openRequest(keys *keyring.Account, r *beifen.RightsRequest) error {
	b, err := keys.Open(requestAAD(r.UserID), r.Sealed)
	if err != nil {
		return fmt.Errorf("request %d: %w", r.ID, err)
	}
	var c requestContent
	if err := json.Unmarshal(b, &c); err != nil {
		return fmt.Errorf("request %d: %w", r.ID, err)
	}
	r.Detail, r.Answer = c.Detail, c.Answer
	return nil
}

// OpenRequests returns every open request by deadline, opened, for the operator.
func (s *Service) OpenRequests(ctx context.Context) ([]*beifen.RightsRequest, error) {
	list, err := s.Store.Rights.FindRightsRequests(ctx, beifen.RightsRequestFilter{Open: true})
	if err != nil {
		return nil, err
	}
	return list, s.openRequests(ctx, list)
}

// OverdueRequests returns the open requests past their deadline at now: the operator's report.
func (s *Service) OverdueRequests(ctx context.Context, now time.Time) ([]*beifen.RightsRequest, error) {
	list, err := s.Store.Rights.FindRightsRequests(ctx, beifen.RightsRequestFilter{Open: true, DueBefore: &now})
	if err != nil {
		return nil, err
	}
	return list, s.openRequests(ctx, list)
}

// AnswerRequest closes an open request with the operator's answer (done, or refused with the
// reason), sealed with the request, and tells the user in the app and by text that it was
// answered, without saying what.
func (s *Service) AnswerRequest(ctx context.Context, id int64, status, answer string) error {
	if status != beifen.RequestDone && status != beifen.RequestRefused {
		return beifen.Errorf(beifen.EINVALID, "A request is answered done or refused.")
	}
	answer = strings.TrimSpace(answer)
	if answer == "" || len([]rune(answer)) > 5000 {
		return beifen.Errorf(beifen.EINVALID, "An answer needs a text of up to 5000 characters.")
	}
	list, err := s.Store.Rights.FindRightsRequests(ctx, beifen.RightsRequestFilter{ID: &id, Open: true})
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return beifen.Errorf(beifen.ENOTFOUND, "Open request %d not found.", id)
	}
	r := list[0]
	if r.Kind == beifen.RightClose {
		return beifen.Errorf(beifen.ECONFLICT, "An account deletion ends with its cooling-off, not with an answer.")
	}
	u, err := s.Store.Users.FindUserByID(ctx, r.UserID)
	if err != nil {
		return err
	}
	keys, _, err := s.keysOf(u)
	if err != nil {
		return err
	}
	if err := openRequest(keys, r); err != nil {
		return err
	}
	sealed := s.sealRequest(keys, u.ID, requestContent{Detail: r.Detail, Answer: answer})
	if err := s.Store.Rights.CloseRightsRequest(ctx, id, status, sealed, s.Now().UTC()); err != nil {
		return err
	}
	n := &beifen.Notice{UserID: u.ID, Kind: "service", Title: "您的请求已答复",
		Body: fmt.Sprintf("您于%s提交的个人信息权利请求（编号 %d）已答复，请在“隐私中心”查看。", r.CreatedAt.In(China).Format("2006年1月2日"), r.ID)}
	if err := s.Store.Notices.CreateNotices(ctx, []*beifen.Notice{n}); err != nil {
		return err
	}
	if s.SMS != nil && s.OpenProfile != nil {
		if err := s.OpenProfile(u); err == nil {
			if err := s.SMS.SendSMS(ctx, u.Phone, "【手机备份】"+n.Body); err != nil {
				s.Logger.WarnContext(ctx, "request answer text not sent", "user_id", u.ID, "err", err)
			}
		}
	}
	s.Logger.InfoContext(ctx, "rights request answered", "request_id", id, "status", status)
	return nil
}

// RemindRequests texts each operator once about the open rights requests and unanswered
// complaints whose deadline is within RemindDays working days of now (or past), and marks them
// reminded. The text holds counts only. It returns how many requests and complaints it reminded
// of.
func (s *Service) RemindRequests(ctx context.Context, now time.Time, operators []string) (int, error) {
	// A deadline is the end of a working day: one due within RemindDays working days is due by
	// the end of the RemindDays-th working day from now.
	cut := beifen.WorkingDaysAfter(now, RemindDays, China).Add(time.Second)
	list, err := s.Store.Rights.FindRightsRequests(ctx, beifen.RightsRequestFilter{Open: true, DueBefore: &cut, NotReminded: true})
	if err != nil {
		return 0, err
	}
	var ids []int64
	for _, r := range list {
		if r.Kind != beifen.RightClose { // the cooling-off ends on its own
			ids = append(ids, r.ID)
		}
	}
	complaints, err := s.Store.Complaints.FindComplaints(ctx, beifen.ComplaintFilter{OpenDue: &cut, NotReminded: true})
	if err != nil {
		return 0, err
	}
	var cids []int64
	for _, c := range complaints {
		cids = append(cids, c.ID)
	}
	if len(ids)+len(cids) == 0 {
		return 0, nil
	}
	text := fmt.Sprintf("【手机备份】有 %d 项个人信息权利请求、%d 件投诉将在 %d 个工作日内到期或已逾期，请在运营后台处理。", len(ids), len(cids), RemindDays)
	for _, phone := range operators {
		if s.SMS == nil {
			break
		}
		if err := s.SMS.SendSMS(ctx, phone, text); err != nil {
			s.Logger.WarnContext(ctx, "reminder not sent", "err", err)
		}
	}
	if len(ids) > 0 {
		if err := s.Store.Rights.MarkRightsReminded(ctx, ids, now.UTC()); err != nil {
			return 0, err
		}
	}
	if len(cids) > 0 {
		if err := s.Store.Complaints.MarkComplaintsReminded(ctx, cids, now.UTC()); err != nil {
			return 0, err
		}
	}
	s.Logger.InfoContext(ctx, "operators reminded", "requests", len(ids), "complaints", len(cids), "operators", len(operators))
	return len(ids) + len(cids), nil
}
