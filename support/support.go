// Package support handles complaints and feedback (clauses 6.5 and "9 camera"): tickets with
// photos, answered within beifen.ComplaintDays working days, with an overdue report for the
// operator. A ticket's text, photos and reply are sealed under the account's own key, so they
// go with the account when it is erased.
package support

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/blobcrypt"
	"github.com/beifen/beifen/keyring"
)

// Limits on a ticket.
const (
	MaxPhotos    = 5
	MaxPhotoSize = 10 << 20
)

// Service implements complaints over the store and the blob store.
type Service struct {
	Store  beifen.Store
	Blobs  beifen.BlobStore
	Master *keyring.Master
	Logger *slog.Logger
	Now    func() time.Time

	// SMS and OpenProfile reach users for incident notices (set by the server).
	SMS         beifen.SMSSender
	OpenProfile func(*beifen.User) error
	PhoneHash   func(e164 string) []byte
	// Push sends a notice to a user's registered devices too (clause 3.1.2e) and returns how
	// many got it (may be nil: no push).
	Push func(ctx context.Context, u *beifen.User, title, body string) (int, error)

	// Mail is the e-mail channel of notices (nil: none); BaseURL the server's public address,
	// for the unsubscribe links; Withdraw withdraws the context user's consent by a channel
	// (privacy.Service.WithdrawBy).
	Mail     beifen.EmailSender
	BaseURL  func() string
	Withdraw func(ctx context.Context, p beifen.Purpose, channel string) error
}

// NewService returns a Service.
func NewService(store beifen.Store, blobs beifen.BlobStore, master *keyring.Master, logger *slog.Logger) *Service {
	return &Service{Store: store, Blobs: blobs, Master: master, Logger: logger, Now: time.Now}
}

// China is the time zone working days are counted in.
var China = beifen.China

// content is what a ticket's Sealed holds.
type content struct {
	Subject string           `json:"s"`
	Body    string           `json:"b"`
	Photos  []beifen.BlobRef `json:"p,omitempty"`
}

// keysOf returns the account keys and blob store of a user.
func (s *Service) keysOf(u *beifen.User) (*keyring.Account, *blobcrypt.Store, error) {
	if len(u.WrappedKey) == 0 {
		return nil, nil, beifen.Errorf(beifen.EFORBIDDEN, "This account's data key has been destroyed.")
	}
	keys, err := s.Master.Unwrap(u.ID, u.WrappedKey)
	if err != nil {
		return nil, nil, fmt.Errorf("account %d: %w", u.ID, err)
	}
	return keys, blobcrypt.Wrap(s.Blobs, keys.BlobKey()), nil
}

func aad(kind string, userID int64) []byte {
	return []byte("beifen complaint " + kind + "\x00user=" + strconv.FormatInt(userID, 10))
}

// photoName is where a ticket photo is kept: a name only the account's key gives.
func photoName(keys *keyring.Account, key beifen.BlobKey) string {
	return "complaint-" + keys.BlobName("complaint:" + string(key))[:48]
}

// File opens a ticket for the signed-in user, with photos, and returns it with its deadline.
func (s *Service) File(ctx context.Context, subject, body string, photos [][]byte) (*beifen.Complaint, error) {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return nil, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	if strings.TrimSpace(body) == "" || len([]rune(body)) > 5000 || len([]rune(subject)) > 200 {
		return nil, beifen.Errorf(beifen.EINVALID, "A complaint needs a text of up to 5000 characters.")
	}
	if len(photos) > MaxPhotos {
		return nil, beifen.Errorf(beifen.ETOOLARGE, "At most %d photos.", MaxPhotos)
	}
	keys, blobs, err := s.keysOf(u)
	if err != nil {
		return nil, err
	}
	if len(photos) > 0 {
		ledger, err := s.Store.Policies.FindConsents(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		if !beifen.ConsentsInForceFor(ledger, u.IsChild(s.Now()))[beifen.PurposeCamera] {
			return nil, beifen.Errorf(beifen.EFORBIDDEN, "Photos need your consent to the camera and photo album for feedback: turn it on, or send the complaint without photos.")
		}
	}
	c := content{Subject: subject, Body: body}
	for _, p := range photos {
		ref, err := putPhoto(ctx, keys, blobs, p)
		if err != nil {
			return nil, err
		}
		c.Photos = append(c.Photos, ref)
	}
	b, _ := json.Marshal(c)
	now := s.Now().UTC()
	t := &beifen.Complaint{UserID: u.ID, Sealed: keys.Seal(aad("text", u.ID), b), CreatedAt: now,
		DueAt: beifen.WorkingDaysAfter(now, beifen.ComplaintDays, China).UTC()}
	if err := s.Store.Complaints.CreateComplaint(ctx, t); err != nil {
		return nil, err
	}
	t.Subject, t.Body, t.Photos = c.Subject, c.Body, c.Photos
	s.Logger.InfoContext(ctx, "complaint filed", "user_id", u.ID, "complaint_id", t.ID, "photos", len(photos))
	return t, nil
}

func putPhoto(ctx context.Context, keys *keyring.Account, blobs *blobcrypt.Store, p []byte) (beifen.BlobRef, error) {
	if len(p) > MaxPhotoSize {
		return beifen.BlobRef{}, beifen.Errorf(beifen.ETOOLARGE, "A photo may be at most %d MiB.", MaxPhotoSize>>20)
	}
	if !isImage(p) {
		return beifen.BlobRef{}, beifen.Errorf(beifen.EINVALID, "Photos must be JPEG, PNG, GIF or WebP images.")
	}
	sum := sha256.Sum256(p)
	ref := beifen.BlobRef{Key: beifen.BlobKey(hex.EncodeToString(sum[:])), Size: int64(len(p))}
	return ref, blobs.Put(ctx, photoName(keys, ref.Key), bytes.NewReader(p), ref.Size)
}

func isImage(p []byte) bool {
	for _, magic := range []string{"\xff\xd8\xff", "\x89PNG", "GIF8", "RIFF"} {
		if bytes.HasPrefix(p, []byte(magic)) {
			return true
		}
	}
	return false
}

// Mine returns the signed-in user's tickets, opened, with any replies.
func (s *Service) Mine(ctx context.Context) ([]*beifen.Complaint, error) {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return nil, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	list, err := s.Store.Complaints.FindComplaints(ctx, beifen.ComplaintFilter{UserID: &u.ID})
	if err != nil {
		return nil, err
	}
	return list, s.open(u, list)
}

// Photo returns photo n of one of the signed-in user's tickets. Returns ENOTFOUND for another
// user's ticket.
func (s *Service) Photo(ctx context.Context, id int64, n int) (io.ReadCloser, error) {
	list, err := s.Mine(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range list {
		if c.ID == id && n >= 0 && n < len(c.Photos) {
			keys, blobs, err := s.keysOf(beifen.UserFromContext(ctx))
			if err != nil {
				return nil, err
			}
			return blobs.Open(ctx, photoName(keys, c.Photos[n].Key))
		}
	}
	return nil, beifen.Errorf(beifen.ENOTFOUND, "Photo not found.")
}

// open fills the open fields of a user's tickets.
func (s *Service) open(u *beifen.User, list []*beifen.Complaint) error {
	keys, _, err := s.keysOf(u)
	if err != nil {
		return err
	}
	for _, c := range list {
		b, err := keys.Open(aad("text", u.ID), c.Sealed)
		if err != nil {
			return fmt.Errorf("complaint %d: %w", c.ID, err)
		}
		var ct content
		if err := json.Unmarshal(b, &ct); err != nil {
			return fmt.Errorf("complaint %d: %w", c.ID, err)
		}
		c.Subject, c.Body, c.Photos = ct.Subject, ct.Body, ct.Photos
		if len(c.Reply) > 0 {
			r, err := keys.Open(aad("reply", u.ID), c.Reply)
			if err != nil {
				return fmt.Errorf("complaint %d reply: %w", c.ID, err)
			}
			c.ReplyText = string(r)
		}
	}
	return nil
}

// Overdue returns the unanswered tickets past their deadline, opened, for the operator.
func (s *Service) Overdue(ctx context.Context) ([]*beifen.Complaint, error) {
	return s.DueBy(ctx, s.Now())
}

// DueBy returns the unanswered tickets due by t, opened, for the operator.
func (s *Service) DueBy(ctx context.Context, t time.Time) ([]*beifen.Complaint, error) {
	list, err := s.Store.Complaints.FindComplaints(ctx, beifen.ComplaintFilter{OpenDue: &t})
	if err != nil {
		return nil, err
	}
	for _, c := range list {
		u, err := s.Store.Users.FindUserByID(ctx, c.UserID)
		if err == nil {
			err = s.open(u, []*beifen.Complaint{c})
		}
		if err != nil {
			return nil, err
		}
	}
	return list, nil
}

// Answer stores the operator's reply to a ticket, sealed under its account's key.
func (s *Service) Answer(ctx context.Context, id int64, reply string) error {
	list, err := s.Store.Complaints.FindComplaints(ctx, beifen.ComplaintFilter{ID: &id})
	if err != nil {
		return err
	} else if len(list) == 0 {
		return beifen.Errorf(beifen.ENOTFOUND, "Complaint not found.")
	}
	u, err := s.Store.Users.FindUserByID(ctx, list[0].UserID)
	if err != nil {
		return err
	}
	keys, _, err := s.keysOf(u)
	if err != nil {
		return err
	}
	return s.Store.Complaints.AnswerComplaint(ctx, id, keys.Seal(aad("reply", u.ID), []byte(reply)), s.Now().UTC())
}
