package backup

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/thumb"
	"github.com/beifen/beifen/vcard"
)

// Share links (clause 1.6): one backed-up item, a contact card or a file, for whoever holds the
// link, until it expires or is revoked; every use logged for the owner.

// shareRef is what a link points at, sealed under the owner's key.
type shareRef struct {
	Name  string         `json:"n"`
	VCard []byte         `json:"v,omitempty"` // a contact, as it was when shared
	Hash  beifen.BlobKey `json:"h,omitempty"` // a file
	Size  int64          `json:"s,omitempty"`
}

func shareAAD(userID int64) []byte { return fmt.Appendf(nil, "beifen share\x00user=%d", userID) }

func shareTokenHash(token string) []byte {
	h := sha256.Sum256([]byte("beifen share token\x00" + token))
	return h[:]
}

func shareDays(days int) (time.Duration, error) {
	if days == 0 {
		days = beifen.DefaultShareDays
	}
	if days < 1 || days > beifen.MaxShareDays {
		return 0, beifen.Errorf(beifen.EINVALID, "A link lasts from 1 to %d days.", beifen.MaxShareDays)
	}
	return time.Duration(days) * 24 * time.Hour, nil
}

func (s *Service) createShare(ctx context.Context, a *account, kind string, ref *shareRef, days int) (string, *beifen.Share, error) {
	ttl, err := shareDays(days)
	if err != nil {
		return "", nil, err
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	token := base64.RawURLEncoding.EncodeToString(raw)
	pt, _ := json.Marshal(ref)
	sh := &beifen.Share{TokenHash: shareTokenHash(token), Kind: kind, Sealed: a.keys.Seal(shareAAD(a.id), pt),
		ExpiresAt: time.Now().Add(ttl).UTC(), Label: ref.Name}
	if err := s.Store.Shares.CreateShare(ctx, sh); err != nil {
		return "", nil, err
	}
	if err := s.audit(ctx, "share.create", fmt.Sprintf("share:%d", sh.ID)); err != nil {
		return "", nil, err
	}
	s.Logger.InfoContext(ctx, "share created", "user_id", a.id, "share_id", sh.ID, "kind", kind)
	return token, sh, nil
}

// ShareContact makes a link to the contact at position pos (in name order, as the contacts page
// lists them) of a snapshot, good for days days (0: the default).
func (s *Service) ShareContact(ctx context.Context, snapshotID int64, pos, days int) (string, *beifen.Share, error) {
	a, err := s.account(ctx)
	if err != nil {
		return "", nil, err
	}
	list, _, err := s.FindContacts(ctx, snapshotID, beifen.ContactFilter{Page: beifen.Page{Offset: pos, Limit: 1}})
	if err != nil {
		return "", nil, err
	} else if len(list) == 0 || pos < 0 {
		return "", nil, beifen.Errorf(beifen.ENOTFOUND, "Contact not found.")
	}
	var buf bytes.Buffer
	if err := vcard.NewWriter(&buf).Write(list[0]); err != nil {
		return "", nil, err
	}
	return s.createShare(ctx, a, "contact", &shareRef{Name: list[0].DisplayName(), VCard: buf.Bytes()}, days)
}

// ShareFile makes a link to a file of the user (a photo, a recording), named name.
func (s *Service) ShareFile(ctx context.Context, hash beifen.BlobKey, name string, days int) (string, *beifen.Share, error) {
	a, err := s.account(ctx)
	if err != nil {
		return "", nil, err
	}
	e, err := s.fileEntry(ctx, a, hash)
	if err != nil {
		return "", nil, err
	}
	return s.createShare(ctx, a, "file", &shareRef{Name: path.Base(name), Hash: hash, Size: e.Size}, days)
}

// Shares returns the user's links, newest first, with their labels.
func (s *Service) Shares(ctx context.Context) ([]*beifen.Share, error) {
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	list, err := s.Store.Shares.FindShares(ctx)
	if err != nil {
		return nil, err
	}
	for _, sh := range list {
		ref, err := a.openShare(sh)
		if err != nil {
			return nil, err
		}
		sh.Label = ref.Name
	}
	return list, nil
}

func (a *account) openShare(sh *beifen.Share) (*shareRef, error) {
	pt, err := a.keys.Open(shareAAD(a.id), sh.Sealed)
	if err != nil {
		return nil, fmt.Errorf("open share %d: %w", sh.ID, err)
	}
	var ref shareRef
	return &ref, json.Unmarshal(pt, &ref)
}

// RevokeShare ends one of the user's links at once.
func (s *Service) RevokeShare(ctx context.Context, id int64) error {
	if err := s.Store.Shares.RevokeShare(ctx, id, time.Now().UTC()); err != nil {
		return err
	}
	return s.audit(ctx, "share.revoke", fmt.Sprintf("share:%d", id))
}

// ShareAccesses returns when one of the user's links was used.
func (s *Service) ShareAccesses(ctx context.Context, id int64) ([]time.Time, error) {
	return s.Store.Shares.ShareAccesses(ctx, id)
}

// OpenShare resolves a link for anyone holding it and logs the use. A link that is unknown,
// expired or revoked, or whose owner is gone, reads as ENOTFOUND: the holder learns nothing.
func (s *Service) OpenShare(ctx context.Context, token string) (*beifen.SharedItem, error) {
	gone := beifen.Errorf(beifen.ENOTFOUND, "This link has expired or been revoked.")
	if len(token) != 43 {
		return nil, gone
	}
	sh, err := s.Store.Shares.FindShareByToken(ctx, shareTokenHash(token))
	if beifen.ErrorCode(err) == beifen.ENOTFOUND {
		return nil, gone
	} else if err != nil {
		return nil, err
	}
	now := time.Now()
	if !sh.Live(now) {
		return nil, gone
	}
	u, err := s.Store.Users.FindUserByID(ctx, sh.UserID)
	if err != nil || len(u.WrappedKey) == 0 {
		return nil, gone
	}
	a, err := s.accountOf(u)
	if err != nil {
		return nil, err
	}
	ref, err := a.openShare(sh)
	if err != nil {
		return nil, err
	}
	if err := s.Store.Shares.LogShareAccess(ctx, sh.ID, now.UTC()); err != nil {
		return nil, err
	}
	s.Logger.InfoContext(ctx, "share used", "share_id", sh.ID)
	item := &beifen.SharedItem{Kind: sh.Kind, Name: ref.Name}
	if sh.Kind == "contact" {
		item.Name += ".vcf"
		item.Size = int64(len(ref.VCard))
		item.Open = func(off int64) (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(ref.VCard[min(off, item.Size):])), nil
		}
		return item, nil
	}
	item.Size = ref.Size
	uctx := beifen.NewContextWithUser(context.WithoutCancel(ctx), u)
	if _, err := s.fileEntry(uctx, a, ref.Hash); err != nil { // the file left the backup
		return nil, gone
	}
	item.Open = func(off int64) (io.ReadCloser, error) {
		return a.blobs.OpenRange(ctx, a.blobName(ref.Hash), off, -1)
	}
	// A shared picture goes out without the metadata the camera wrote into it, its GPS position
	// first: location leaves only for location features (clause 3.1.2c).
	if ref.Size <= thumb.MaxBytes {
		rc, err := item.Open(0)
		if err != nil {
			return nil, err
		}
		head := make([]byte, 8)
		n, _ := io.ReadFull(rc, head)
		if _, isImage := imageKind(head[:n]); isImage {
			rest, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				return nil, err
			}
			clean, _ := thumb.StripMetadata(append(head[:n], rest...))
			item.Size = int64(len(clean))
			item.Open = func(off int64) (io.ReadCloser, error) {
				return io.NopCloser(bytes.NewReader(clean[min(off, item.Size):])), nil
			}
		} else {
			rc.Close()
		}
	}
	return item, nil
}

// imageKind tells a JPEG or PNG by its first bytes.
func imageKind(b []byte) (string, bool) {
	switch {
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return "jpeg", true
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "png", true
	}
	return "", false
}
