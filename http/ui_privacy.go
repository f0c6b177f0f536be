package http

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/ui"
)

// Rememberer keeps what the user asked to be remembered (clause 2.2).
type Rememberer interface {
	RememberSearch(ctx context.Context, q string) error
	RecentSearches(ctx context.Context) ([]string, error)
	SaveDraft(ctx context.Context, form, text string) error
	Draft(ctx context.Context, form string) (string, error)
	ForgetRemembered(ctx context.Context) error
}

// ThirdParty is one entry of the published registry of who receives personal data (clause
// 3.1.1), with its purpose and data categories as catalogue keys for the page.
type ThirdParty struct {
	ID         string
	Name       string
	PurposeKey string
	DataKey    string
}

type uiPrivacyData struct {
	User             *beifen.User
	Consents         []beifen.ConsentState
	Ledger           []*beifen.Consent
	Sessions         []*uiSession
	Audit            []*beifen.AuditEvent
	DeletionCodeSent bool
	CoolingDays      int
	Genders          []string
	Notices          []*beifen.Incident
	Shares           []*uiShareRow
	SignIns          []*beifen.SignIn
	Inbox            []*beifen.Notice
	Transfers        []*uiTransfer
	Requests         []*beifen.RightsRequest
	RequestKinds     []beifen.RightsKind
	RequestDays      int
	Now              time.Time
	RealName         *beifen.RealNameStatus // nil when the server has no real-name desk
	Email            *beifen.EmailStatus    // nil when the server sends no e-mail
}

type uiTransfer struct {
	*beifen.Transfer
	Name string
}

type uiSession struct {
	*beifen.Token
	Current bool
}

func (s *Server) privacyData(ctx context.Context) (*uiPrivacyData, error) {
	d := &uiPrivacyData{User: beifen.UserFromContext(ctx), CoolingDays: 15, Genders: []string{"", "female", "male", "other"}}
	var err error
	if d.Consents, d.Ledger, err = s.Consents.Consents(ctx); err != nil {
		return nil, err
	}
	if s.Sessions != nil {
		list, err := s.Sessions.Sessions(ctx)
		if err != nil {
			return nil, err
		}
		for _, t := range list {
			d.Sessions = append(d.Sessions, &uiSession{Token: t})
		}
		if d.SignIns, err = s.Sessions.SignIns(ctx); err != nil {
			return nil, err
		}
	}
	if d.Shares, err = s.shareRows(ctx); err != nil {
		return nil, err
	}
	if s.RealNames != nil {
		if d.RealName, err = s.RealNames.RealNameStatus(ctx); err != nil {
			return nil, err
		}
	}
	if s.Emails != nil {
		if d.Email, err = s.Emails.EmailStatus(ctx); err != nil {
			return nil, err
		}
	}
	if s.MyTransfers != nil {
		list, err := s.MyTransfers(ctx)
		if err != nil {
			return nil, err
		}
		names := map[string]string{}
		for _, p := range s.ThirdParties {
			names[p.ID] = p.Name
		}
		if s.Ops != nil && len(list) > 0 {
			acts, err := s.Ops.Activities(ctx)
			if err != nil {
				return nil, err
			}
			for _, a := range acts {
				names[fmt.Sprintf("activity:%d", a.ID)] = a.Partner + " (" + a.Title + ")"
			}
		}
		for _, t := range list {
			name := t.Party
			if n, ok := names[t.Party]; ok {
				name = n
			}
			d.Transfers = append(d.Transfers, &uiTransfer{Transfer: t, Name: name})
		}
	}
	if s.Rights != nil {
		if d.Requests, err = s.Rights.MyRequests(ctx); err != nil {
			return nil, err
		}
		d.RequestKinds, d.RequestDays, d.Now = beifen.AskableRights, beifen.RequestDays, time.Now()
	}
	if s.Notices != nil {
		if d.Notices, err = s.Notices.Notices(ctx); err != nil {
			return nil, err
		}
		if d.Inbox, err = s.Notices.Inbox(ctx); err != nil {
			return nil, err
		}
	}
	if s.AuditReader != nil {
		events, err := s.AuditReader.Events(ctx)
		if err != nil && beifen.ErrorCode(err) != beifen.EFORBIDDEN {
			return nil, err
		}
		// newest first, the last hundred
		for i := len(events) - 1; i >= 0 && len(d.Audit) < 100; i-- {
			d.Audit = append(d.Audit, events[i])
		}
	}
	return d, nil
}

func (s *Server) handleUIPrivacy(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	d, err := s.privacyData(r.Context())
	if err != nil {
		return err
	}
	v.Data = d
	return s.render(w, r, http.StatusOK, "privacy", v)
}

// handleUIProfile corrects the profile (clause 6.3.1): every field optional.
func (s *Server) handleUIProfile(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	p := v.User.Profile
	p.Nickname = strings.TrimSpace(r.FormValue("nickname"))
	p.Gender = r.FormValue("gender")
	p.Birthday = r.FormValue("birthday")
	p.Region = strings.TrimSpace(r.FormValue("region"))
	p.Bio = strings.TrimSpace(r.FormValue("bio"))
	if _, err := s.ProfileEditor.UpdateProfile(r.Context(), p); err != nil {
		return err
	}
	redirectDone(w, r, "/privacy#profile", "flash.saved")
	return nil
}

func (s *Server) handleUIForget(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	if err := s.Remember.ForgetRemembered(r.Context()); err != nil {
		return err
	}
	redirectDone(w, r, "/privacy#remembered", "flash.forgotten")
	return nil
}

func (s *Server) handleUIConsents(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	if err := s.saveConsents(r); err != nil {
		return err
	}
	redirectDone(w, r, "/privacy#consents", "flash.saved")
	return nil
}

func (s *Server) handleUIDeletionCode(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	u := beifen.UserFromContext(r.Context())
	sendErr := s.AuthService.RequestCode(r.Context(), u.Phone)
	if code := beifen.ErrorCode(sendErr); sendErr != nil && code != beifen.ETOOMANY {
		return sendErr
	}
	d, err := s.privacyData(r.Context())
	if err != nil {
		return err
	}
	v.Data = d
	if sendErr != nil { // asked again within a minute: say how long to wait
		v.Error = errorText(v, sendErr)
		return s.render(w, r, http.StatusTooManyRequests, "privacy", v)
	}
	d.DeletionCodeSent = true
	return s.render(w, r, http.StatusOK, "privacy", v)
}

func (s *Server) handleUIDeletion(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	if _, err := s.AccountDeleter.RequestDeletion(r.Context(), strings.TrimSpace(r.FormValue("code"))); err != nil {
		if beifen.ErrorCode(err) == beifen.EINTERNAL {
			return err
		}
		d, derr := s.privacyData(r.Context())
		if derr != nil {
			return derr
		}
		d.DeletionCodeSent = true
		v.Data = d
		v.Error = errorText(v, err)
		return s.render(w, r, ErrorStatusCode(beifen.ErrorCode(err)), "privacy", v)
	}
	http.Redirect(w, r, "/privacy#deletion", http.StatusSeeOther)
	return nil
}

func (s *Server) handleUIDeletionCancel(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	if err := s.AccountDeleter.CancelDeletion(r.Context()); err != nil {
		return err
	}
	redirectDone(w, r, "/privacy#deletion", "flash.deletion_cancelled")
	return nil
}

func (s *Server) handleUIRevoke(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return beifen.Errorf(beifen.ENOTFOUND, "Token not found.")
	}
	if err := s.Sessions.RevokeSession(r.Context(), id); err != nil {
		return err
	}
	redirectDone(w, r, "/privacy#sessions", "flash.revoked")
	return nil
}

// handleUIExport downloads everything beifen holds about the user as one zip (clause 6.3):
// the account, the consent ledger, the policy versions accepted, complaints, the audit entries
// about their data and their newest backup in the formats a phone imports.
func (s *Server) handleUIExport(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	if s.Rights != nil {
		if err := s.Rights.Recorded(r.Context(), beifen.RightExport, "export.zip"); err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{
		"filename": fmt.Sprintf("beifen-my-data-%s.zip", time.Now().Format("20060102"))}))
	zw := zip.NewWriter(w)
	if err := s.WriteAccountExport(r.Context(), zw, ""); err != nil {
		return err
	}
	return zw.Close()
}

// WriteAccountExport writes everything beifen holds about the context's user into zw, each
// name under prefix: the account, the consent ledger, the policy versions accepted,
// complaints, sessions, the audit entries about their data, their newest backup whole and
// every earlier one's exports and file list. It does not close zw.
func (s *Server) WriteAccountExport(ctx context.Context, zw *zip.Writer, prefix string) error {
	u := beifen.UserFromContext(ctx)
	d, err := s.privacyData(ctx)
	if err != nil {
		return err
	}
	accepted, err := s.Policy.Accepted(ctx)
	if err != nil {
		return err
	}
	var complaints []*beifen.Complaint
	if s.Complaints != nil {
		if complaints, err = s.Complaints.Mine(ctx); err != nil {
			return err
		}
	}
	snaps, _, err := s.BackupService.FindSnapshots(ctx, beifen.SnapshotFilter{Limit: 1 << 20})
	if err != nil {
		return err
	}
	latest := snaps[:min(len(snaps), 1)]
	var files []*beifen.File
	if len(latest) > 0 {
		if files, err = s.BackupService.SnapshotFiles(ctx, latest[0].ID); err != nil {
			return err
		}
	}
	feedDoc, err := s.feedExport(ctx)
	if err != nil {
		return err
	}
	var pushDevices []*beifen.PushDevice
	if s.Pushes != nil {
		if pushDevices, err = s.Pushes.PushDevices(ctx); err != nil {
			return err
		}
	}
	docs := []struct {
		name string
		v    any
	}{
		{"account.json", map[string]any{"id": u.ID, "phone": u.Phone, "email": u.Email, "name": u.Name, "profile": u.Profile,
			"created_at": u.CreatedAt, "team_id": u.TeamID, "role": u.Role, "erase_after": u.EraseAfter}},
		{"consents.json", map[string]any{"purposes": d.Consents, "ledger": d.Ledger}},
		{"policies-accepted.json", accepted},
		{"complaints.json", complaints},
		{"sessions.json", d.Sessions},
		{"audit.json", d.Audit},
		{"realname.json", d.RealName}, // masked, as the privacy centre shows it
		{"feed.json", feedDoc},
		{"requests.json", d.Requests},
		{"push-devices.json", pushDevices}, // maker and when; the token stays sealed
	}
	for _, doc := range docs {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: prefix + doc.name, Method: zip.Deflate, Modified: time.Now()})
		if err != nil {
			return err
		}
		enc := json.NewEncoder(fw)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc.v); err != nil {
			return err
		}
	}
	if len(latest) == 0 {
		return nil
	}
	// The newest backup whole, as a phone restores it; every earlier one as its exports and a
	// list of its files, whose contents are each stored once.
	all := map[string]bool{"contacts": true, "messages": true, "calls": true, "files": true}
	if err := s.writeSnapshotZip(ctx, zw, latest[0], all, files, prefix+"backup/"); err != nil {
		return err
	}
	stored := map[beifen.BlobKey]bool{}
	for _, f := range files {
		stored[f.Hash] = true
	}
	exportsOnly := map[string]bool{"contacts": true, "messages": true, "calls": true}
	for _, sn := range snaps[1:] {
		dir := prefix + fmt.Sprintf("history/%d-%s/", sn.ID, sn.CreatedAt.In(ui.Zone).Format("20060102-1504"))
		if err := s.writeSnapshotZip(ctx, zw, sn, exportsOnly, nil, dir); err != nil {
			return err
		}
		old, err := s.BackupService.SnapshotFiles(ctx, sn.ID)
		if err != nil {
			return err
		}
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: dir + "files.json", Method: zip.Deflate, Modified: sn.CreatedAt})
		if err != nil {
			return err
		}
		type entry struct {
			Path string `json:"path"`
			Size int64  `json:"size"`
			In   string `json:"in"` // where its content is in this archive
		}
		var list []entry
		for _, f := range old {
			where := prefix + "history/files/" + string(f.Hash)
			if p := pathOf(files, f.Hash); p != "" { // the same content is in the newest backup
				where = prefix + "backup/files/" + p
			} else if !stored[f.Hash] {
				rc, err := s.BackupService.OpenFile(ctx, f.Hash, 0, -1)
				if err != nil {
					return err
				}
				cw, err := zw.CreateHeader(&zip.FileHeader{Name: where, Method: zip.Store, Modified: f.ModTime})
				if err != nil {
					rc.Close()
					return err
				}
				_, err = io.Copy(cw, rc)
				rc.Close()
				if err != nil {
					return err
				}
				stored[f.Hash] = true
			}
			list = append(list, entry{Path: f.Path, Size: f.Size, In: where})
		}
		if err := json.NewEncoder(fw).Encode(list); err != nil {
			return err
		}
	}
	return nil
}

// pathOf is the path a content hash has among files, or "".
func pathOf(files []*beifen.File, h beifen.BlobKey) string {
	for _, f := range files {
		if f.Hash == h {
			return f.Path
		}
	}
	return ""
}

type uiComplaintsData struct {
	CameraOn   bool // the camera purpose is on: photos need no tick
	Days       int
	Complaints []*beifen.Complaint
	Draft      string
}

func (s *Server) handleUIComplaints(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	d := &uiComplaintsData{Days: beifen.ComplaintDays}
	if v.User != nil {
		var err error
		if d.Complaints, err = s.Complaints.Mine(r.Context()); err != nil {
			return err
		}
		states, _, err := s.Consents.Consents(r.Context())
		if err != nil {
			return err
		}
		for _, st := range states {
			if st.Purpose == beifen.PurposeCamera {
				d.CameraOn = st.Granted
			}
		}
		if s.Remember != nil {
			if d.Draft, err = s.Remember.Draft(r.Context(), "complaint"); err != nil {
				return err
			}
		}
	}
	v.Data = d
	return s.render(w, r, http.StatusOK, "complaints", v)
}

// maxComplaintForm bounds a complaint with its photos.
const maxComplaintForm = 20 << 20

func (s *Server) handleUIComplaintPost(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxComplaintForm)
	if err := r.ParseMultipartForm(maxComplaintForm); err != nil {
		return beifen.Errorf(beifen.ETOOLARGE, "The complaint and its photos are too large.")
	}
	defer r.MultipartForm.RemoveAll()
	text := strings.TrimSpace(r.FormValue("text"))
	if r.FormValue("draft") != "" && s.Remember != nil { // kept for later, not sent
		if err := s.Remember.SaveDraft(r.Context(), "complaint", text); err != nil {
			return err
		}
		redirectDone(w, r, "/privacy/complaints", "flash.draft_saved")
		return nil
	}
	subject := text
	if line, _, ok := strings.Cut(text, "\n"); ok {
		subject = line
	}
	if rs := []rune(subject); len(rs) > 60 {
		subject = string(rs[:60])
	}
	var photos [][]byte
	for _, fh := range r.MultipartForm.File["photo"] {
		f, err := fh.Open()
		if err != nil {
			return err
		}
		b, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			return err
		}
		photos = append(photos, b)
	}
	if len(photos) > 0 && r.FormValue("camera") == "1" { // ticked beside the photos: the consent
		if err := s.Consents.SetConsent(r.Context(), beifen.PurposeCamera, true); err != nil {
			return err
		}
	}
	if _, err := s.Complaints.File(r.Context(), subject, text, photos); err != nil {
		return err
	}
	if s.Remember != nil {
		if err := s.Remember.SaveDraft(r.Context(), "complaint", ""); err != nil {
			return err
		}
	}
	redirectDone(w, r, "/privacy/complaints", "flash.complaint")
	return nil
}

func (s *Server) handleUIThirdParties(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	v.Data = s.ThirdParties
	return s.render(w, r, http.StatusOK, "thirdparties", v)
}

// ThirdPartyResponse is one entry of the registry as the API publishes it.
type ThirdPartyResponse struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Purpose string `json:"purpose"`
	Data    string `json:"data"`
}

// handleThirdParties publishes the third-party registry (clause 3.1.1), without sign-in.
func (s *Server) handleThirdParties(w http.ResponseWriter, r *http.Request) {
	l := ui.English
	if lang(r) == "zh-CN" {
		l = ui.Chinese
	}
	out := []ThirdPartyResponse{}
	for _, p := range s.ThirdParties {
		out = append(out, ThirdPartyResponse{ID: p.ID, Name: p.Name, Purpose: ui.T(l, p.PurposeKey), Data: ui.T(l, p.DataKey)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"third_parties": out})
}

// handleUIRetention publishes how long each category of personal data is kept (clause 4.2),
// without sign-in.
func (s *Server) handleUIRetention(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	v.Data = s.Retention
	return s.render(w, r, http.StatusOK, "retention", v)
}

// RetentionResponse publishes the retention rules.
type RetentionResponse struct {
	Rules []beifen.RetentionRule `json:"rules"`
}

// handleRetention publishes the retention rules (clause 4.2), without sign-in.
func (s *Server) handleRetention(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, &RetentionResponse{Rules: s.Retention})
}
