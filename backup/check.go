package backup

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"

	"github.com/beifen/beifen"
)

// CheckStats counts what a check looked at.
type CheckStats struct {
	Users   int
	Records int
	Blobs   int
	Bytes   int64
}

// Check verifies every account's records (each opens under its key and matches its content
// hash) and blobs (each decrypts, matches its name and size, and every reference points at one).
// It calls report for each problem, naming only IDs, and returns what it looked at.
func (s *Service) Check(ctx context.Context, report func(problem string)) (CheckStats, error) {
	var st CheckStats
	for off := 0; ; off += 100 {
		users, _, err := s.Store.Users.FindUsers(ctx, beifen.UserFilter{Offset: off, Limit: 100})
		if err != nil {
			return st, err
		}
		for _, u := range users {
			if len(u.WrappedKey) == 0 {
				continue // deleted: its data is unreadable by design
			}
			if err := s.checkUser(beifen.NewContextWithUser(ctx, u), u, &st, report); err != nil {
				return st, err
			}
		}
		if len(users) < 100 {
			return st, nil
		}
	}
}

func (s *Service) checkUser(ctx context.Context, u *beifen.User, st *CheckStats, report func(string)) error {
	a, err := s.accountOf(u)
	if err != nil {
		report(fmt.Sprintf("user %d: data key does not open: %v", u.ID, err))
		return nil
	}
	st.Users++
	refs := map[beifen.BlobKey]int64{} // blob -> a record that refers to it
	err = s.Store.Records.ScanRecords(ctx, func(r *beifen.Record) error {
		st.Records++
		for _, key := range checkRecord(a, r, report) {
			refs[key] = r.ID
		}
		return nil
	})
	if err != nil {
		return err
	}
	good := map[string]bool{}
	err = s.Store.Blobs.ScanBlobEntries(ctx, func(e *beifen.BlobEntry) error {
		st.Blobs, st.Bytes = st.Blobs+1, st.Bytes+e.Size
		good[e.Name] = s.checkBlob(ctx, a, e, report)
		return nil
	})
	if err != nil {
		return err
	}
	for _, key := range sortedKeys(refs) {
		if name := a.blobName(key); !good[name] {
			report(fmt.Sprintf("user %d: record %d refers to blob %s, which is missing or damaged", u.ID, refs[key], name[:16]))
		}
	}
	return nil
}

// checkRecord opens a record, checks its content hash, and returns the blobs it refers to.
func checkRecord(a *account, r *beifen.Record, report func(string)) []beifen.BlobKey {
	pt, err := a.keys.Open(a.recordAAD(r.Kind, r.Version), r.Payload)
	if err != nil {
		report(fmt.Sprintf("user %d: record %d does not decrypt (damaged or moved)", a.id, r.ID))
		return nil
	}
	if got := a.keys.Ident(append(append([]byte(r.Kind), 0), pt...)); !slices.Equal(got, r.Version) {
		report(fmt.Sprintf("user %d: record %d does not match its content hash", a.id, r.ID))
	}
	item := map[beifen.RecordKind]any{beifen.KindContact: &beifen.Contact{}, beifen.KindSMS: &beifen.Message{},
		beifen.KindMMS: &beifen.Message{}, beifen.KindCall: &beifen.Call{}, beifen.KindFile: &beifen.File{}}[r.Kind]
	if item == nil || decodePayload(pt, item, map[string]string{}) != nil {
		report(fmt.Sprintf("user %d: record %d does not decode", a.id, r.ID))
		return nil
	}
	var keys []beifen.BlobKey
	switch x := item.(type) {
	case *beifen.File:
		keys = append(keys, x.Hash)
	case *beifen.Message:
		for _, p := range x.Parts {
			if p.Blob != nil {
				keys = append(keys, p.Blob.Key)
			}
		}
	}
	return keys
}

// checkBlob decrypts a whole blob and checks that its content hashes to its name.
func (s *Service) checkBlob(ctx context.Context, a *account, e *beifen.BlobEntry, report func(string)) bool {
	short := e.Name[:min(16, len(e.Name))]
	rc, err := a.blobs.Open(ctx, e.Name)
	if beifen.ErrorCode(err) == beifen.ENOTFOUND {
		report(fmt.Sprintf("user %d: blob %s: %v", a.id, short, beifen.ErrorMessage(err)))
		return false
	} else if err != nil {
		report(fmt.Sprintf("user %d: blob %s does not decrypt: damaged", a.id, short))
		return false
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, rc)
	switch {
	case err != nil:
		report(fmt.Sprintf("user %d: blob %s does not decrypt: damaged", a.id, short))
	case n != e.Size:
		report(fmt.Sprintf("user %d: blob %s has %d bytes, want %d", a.id, short, n, e.Size))
	case a.blobName(beifen.BlobKey(hex.EncodeToString(h.Sum(nil)))) != e.Name:
		report(fmt.Sprintf("user %d: blob %s does not match its content hash", a.id, short))
	default:
		return true
	}
	return false
}

func sortedKeys(m map[beifen.BlobKey]int64) []beifen.BlobKey {
	keys := make([]beifen.BlobKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
