package crm

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/phonenumber"
)

// MatchWindow is how far apart a recording's start and its call's time may be.
const MatchWindow = 120 * time.Second

// recordingMeta is what a recording's Sealed holds.
type recordingMeta struct {
	FileName string `json:"f"`
	Number   string `json:"n"`
}

var (
	// MIUI: 通话录音@李雷(13612345678)_20260301093015.mp3; other makers: name(number)_stamp.
	reParenNumber = regexp.MustCompile(`\(([+0-9][0-9 -]{4,})\)`)
	reStamp14     = regexp.MustCompile(`(?:^|[^0-9])(20[0-9]{12})(?:[^0-9]|$)`)
	// BCR: 20230414_215701.088-0400_out_1234567890_...
	reBCR     = regexp.MustCompile(`^(20[0-9]{6}_[0-9]{6})(?:\.[0-9]+)?([+-][0-9]{4})?_(?:in|out|conference)_(?:sim[0-9]_)?([+0-9]+)`)
	reAnyNum  = regexp.MustCompile(`\+?[0-9]{7,15}`)
	audioExts = map[string]bool{".mp3": true, ".m4a": true, ".amr": true, ".wav": true, ".3gp": true, ".aac": true, ".ogg": true, ".oga": true, ".opus": true, ".flac": true}
)

// ParseRecordingName reads the number and start time that phones write into recording file
// names (MIUI, BCR and similar patterns); times without an offset are in loc. MIUI writes + as
// 00, which Normalize reads back. ok is false when no number or time is found.
func ParseRecordingName(name string, loc *time.Location) (number string, start time.Time, ok bool) {
	base := path.Base(strings.ReplaceAll(name, `\`, "/"))
	if m := reBCR.FindStringSubmatch(base); m != nil {
		layout, stamp := "20060102_150405", m[1]
		if m[2] != "" {
			layout, stamp = layout+"-0700", stamp+m[2]
		}
		t, err := time.ParseInLocation(layout, stamp, loc)
		return m[3], t, err == nil
	}
	if m := reParenNumber.FindStringSubmatch(base); m != nil {
		number = m[1]
	} else if m := reAnyNum.FindString(strings.Split(base, "_")[0]); m != "" {
		number = m
	}
	m := reStamp14.FindStringSubmatch(base)
	if number == "" || m == nil {
		return "", time.Time{}, false
	}
	t, err := time.ParseInLocation("20060102150405", m[1], loc)
	return number, t, err == nil
}

// UploadRecording stores a call recording from the signed-in staff member's phone and matches
// it to their call with the same number within MatchWindow. number and start come from the
// phone when it knows them; otherwise they are read from the file name.
func (s *Service) UploadRecording(ctx context.Context, name string, number string, start time.Time, size int64, r io.Reader) (*beifen.Recording, error) {
	t, err := s.teamOf(ctx)
	if err != nil {
		return nil, err
	}
	if !audioExts[strings.ToLower(path.Ext(name))] {
		return nil, beifen.Errorf(beifen.EINVALID, "A recording must be an audio file (mp3, m4a, amr, wav, 3gp, aac, ogg, flac).")
	}
	if err := s.checkRecordingRoom(ctx, t.id, size); err != nil {
		return nil, err
	}
	if number == "" || start.IsZero() {
		loc, err := s.teamZone(ctx, t.id)
		if err != nil {
			return nil, err
		}
		var ok bool
		if number, start, ok = ParseRecordingName(name, loc); !ok {
			return nil, beifen.Errorf(beifen.EINVALID, "No number and time in the file name; send them with the recording.")
		}
	}
	e164, err := phonenumber.Normalize(number)
	if err != nil {
		return nil, err
	}
	id := make([]byte, 16)
	rand.Read(id)
	rec := &beifen.Recording{StaffID: beifen.UserFromContext(ctx).ID, BlobName: "rec-" + hex.EncodeToString(id),
		Size: size, PhoneHash: t.phoneHash(e164), StartedAt: start.UTC()}
	meta, _ := json.Marshal(recordingMeta{FileName: path.Base(name), Number: e164})
	rec.Sealed = t.keys.Seal(t.recordingAAD(rec.BlobName), meta)
	if err := t.blobs.Put(ctx, rec.BlobName, r, size); err != nil {
		return nil, err
	}
	if err := s.Store.Recs.CreateRecording(ctx, rec, MatchWindow); err != nil {
		s.Blobs.Delete(context.WithoutCancel(ctx), rec.BlobName)
		return nil, err
	}
	rec.FileName = path.Base(name)
	s.Logger.InfoContext(ctx, "recording uploaded", "team_id", t.id, "recording_id", rec.ID, "call_id", rec.CallID)
	return rec, nil
}

func (t *team) recordingAAD(blobName string) []byte {
	return []byte(fmt.Sprintf("beifen recording\x00team=%d\x00%s", t.id, blobName))
}

// FindRecordings lists the team's recordings (staff: their own), newest first.
func (s *Service) FindRecordings(ctx context.Context, f beifen.RecordingFilter) ([]*beifen.Recording, int, error) {
	t, err := s.teamOf(ctx)
	if err != nil {
		return nil, 0, err
	}
	f.Manager = managerScope(ctx)
	recs, n, err := s.Store.Recs.FindRecordings(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	u := beifen.UserFromContext(ctx)
	out := recs[:0]
	for _, r := range recs {
		if u.Role == beifen.RoleStaff && r.StaffID != u.ID {
			n--
			continue
		}
		var meta recordingMeta
		if b, err := t.keys.Open(t.recordingAAD(r.BlobName), r.Sealed); err == nil && json.Unmarshal(b, &meta) == nil {
			r.FileName = meta.FileName
		}
		out = append(out, r)
	}
	return out, n, nil
}

// OpenRecording returns the audio of a recording from offset (length < 0: to the end) and
// records the access: who, when, which recording, and whether it was a playback (a range) or a
// download. Staff may only open their own recordings.
func (s *Service) OpenRecording(ctx context.Context, id, offset, length int64, kind string) (io.ReadCloser, error) {
	t, err := s.teamOf(ctx)
	if err != nil {
		return nil, err
	}
	recs, _, err := s.FindRecordings(ctx, beifen.RecordingFilter{ID: &id})
	if err != nil {
		return nil, err
	} else if len(recs) == 0 {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "Recording not found.")
	}
	u := beifen.UserFromContext(ctx)
	if err := s.Store.Recs.LogAccess(ctx, &beifen.RecordingAccess{RecordingID: id, UserID: u.ID, Kind: kind, At: s.now().UTC()}); err != nil {
		return nil, err
	}
	if err := s.audit(ctx, "recording."+kind, "recording:"+itoa(id)); err != nil {
		return nil, err
	}
	return t.blobs.OpenRange(ctx, recs[0].BlobName, offset, length)
}

// LinkRecording matches an unmatched recording to a call by hand. Managers and admins only.
func (s *Service) LinkRecording(ctx context.Context, id, callID int64) error {
	if _, err := s.teamOf(ctx, beifen.RoleAdmin, beifen.RoleManager); err != nil {
		return err
	}
	return s.Store.Recs.LinkRecording(ctx, id, callID)
}

// ReviewRecording stores a manager's quality review: rubric scores, comments at offsets (sealed)
// and a verdict. Managers and admins only.
func (s *Service) ReviewRecording(ctx context.Context, r *beifen.Review) error {
	t, err := s.teamOf(ctx, beifen.RoleAdmin, beifen.RoleManager)
	if err != nil {
		return err
	}
	if recs, _, err := s.FindRecordings(ctx, beifen.RecordingFilter{ID: &r.RecordingID}); err != nil {
		return err
	} else if len(recs) == 0 {
		return beifen.Errorf(beifen.ENOTFOUND, "Recording not found.")
	}
	r.ReviewerID = beifen.UserFromContext(ctx).ID
	var sealed []byte
	if len(r.Comments) > 0 {
		b, _ := json.Marshal(r.Comments)
		sealed = t.keys.Seal([]byte(fmt.Sprintf("beifen review\x00team=%d\x00recording=%d", t.id, r.RecordingID)), b)
	}
	return s.Store.Recs.PutReview(ctx, r, sealed)
}

// RecordingAccesses returns who played or downloaded a recording. Managers and admins only.
func (s *Service) RecordingAccesses(ctx context.Context, id int64) ([]*beifen.RecordingAccess, error) {
	if _, err := s.teamOf(ctx, beifen.RoleAdmin, beifen.RoleManager); err != nil {
		return nil, err
	}
	return s.Store.Recs.FindAccesses(ctx, id)
}
