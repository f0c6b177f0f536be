package http

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/ui"
)

// MaxWebUpload bounds one file uploaded from the browser; the CLI takes larger ones in parts.
const MaxWebUpload = 4 << 30

type uiAppData struct {
	Snapshots []*beifen.Snapshot
}

func (s *Server) handleUIApp(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	list, _, err := s.BackupService.FindSnapshots(r.Context(), beifen.SnapshotFilter{Limit: 100})
	if err != nil {
		return err
	}
	v.Data = &uiAppData{Snapshots: list}
	return s.render(w, r, http.StatusOK, "app", v)
}

// UploadResponse answers the web upload.
type UploadResponse struct {
	Snapshot *beifen.Snapshot       `json:"snapshot"`
	Files    []*beifen.UploadResult `json:"files"`
	URL      string                 `json:"url"`
}

// handleUIUpload takes files from the browser, stores each as the CLI would (hashed, then in
// parts) and makes a new backup point of the newest one with them added. A file that cannot be
// read leaves no backup point behind.
func (s *Server) handleUIUpload(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	wantJSON := strings.Contains(r.Header.Get("Accept"), "application/json")
	fail := func(err error) error {
		if wantJSON {
			s.Error(w, r, err)
			return nil
		}
		return err
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return fail(beifen.Errorf(beifen.EINVALID, "Send the files as a multipart form."))
	}
	// The page asks how far the server has read, under an ID it chose, once the bytes are up.
	var prog *uploadProgress
	if id := r.Header.Get("X-Upload-ID"); id != "" && len(id) <= 64 && r.ContentLength > 0 {
		prog = &uploadProgress{user: v.User.ID, total: r.ContentLength}
		s.uploads.Store(id, prog)
		defer s.uploads.Delete(id)
	}
	var files []*beifen.File
	var results []*beifen.UploadResult
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		} else if err != nil {
			return fail(beifen.Errorf(beifen.EINVALID, "The upload was interrupted."))
		}
		if part.FormName() != "file" || part.FileName() == "" {
			part.Close()
			continue
		}
		f, res, err := s.uploadOne(r, part, prog)
		part.Close()
		if err != nil {
			return fail(err)
		}
		// An export of which not one item could be read is not a backup: say why, keep nothing.
		if res.Format != "" && res.Format != beifen.FormatFile && res.Items == 0 && res.Skipped > 0 && len(res.Errors) > 0 {
			return fail(beifen.Errorf(beifen.EINVALID, "Nothing could be read from the export: %s.", res.Errors[0].Error()))
		}
		files, results = append(files, f), append(results, res)
	}
	if len(files) == 0 {
		return fail(beifen.Errorf(beifen.EINVALID, "Choose at least one file."))
	}
	sn, err := s.Uploader.AddToBackup(r.Context(), files)
	if err != nil {
		return fail(err)
	}
	target := fmt.Sprintf("/app/s/%d", sn.ID)
	if wantJSON {
		writeJSON(w, http.StatusCreated, &UploadResponse{Snapshot: sn, Files: results, URL: target})
		return nil
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// uploadOne spools one file to a temporary file while hashing it, then hands it to the backup
// service part by part.
func (s *Server) uploadOne(r *http.Request, part io.Reader, prog *uploadProgress) (*beifen.File, *beifen.UploadResult, error) {
	name := webPath(partName(part))
	tmp, err := os.CreateTemp("", "beifen-web-*")
	if err != nil {
		return nil, nil, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	h := sha256.New()
	size, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(part, MaxWebUpload+1))
	if err != nil {
		return nil, nil, beifen.Errorf(beifen.EINVALID, "The upload of %q was interrupted.", path.Base(name))
	} else if size > MaxWebUpload {
		return nil, nil, beifen.Errorf(beifen.ETOOLARGE, "%q is larger than %d GiB; use the command line for it.", path.Base(name), MaxWebUpload>>30)
	}
	hash := beifen.BlobKey(hex.EncodeToString(h.Sum(nil)))
	f := &beifen.File{Path: name, Size: size, Hash: hash, ModTime: time.Now().UTC()}
	missing, err := s.BackupService.MissingFiles(r.Context(), []beifen.BlobKey{hash})
	if err != nil {
		return nil, nil, err
	}
	res := &beifen.UploadResult{Hash: hash, Complete: true}
	if len(missing) == 0 {
		return f, res, nil
	}
	for n := 0; n == 0 || int64(n)*beifen.UploadPartSize < size; n++ {
		off := int64(n) * beifen.UploadPartSize
		var sec io.Reader = io.NewSectionReader(tmp, off, min(beifen.UploadPartSize, size-off))
		if prog != nil {
			sec = &countingReader{r: sec, n: &prog.read}
		}
		if res, err = s.BackupService.UploadPart(r.Context(), hash, size, n, name, sec); err != nil {
			return nil, nil, err
		}
	}
	return f, res, nil
}

func partName(p io.Reader) string {
	if fp, ok := p.(interface{ FileName() string }); ok {
		return fp.FileName()
	}
	return "upload"
}

// webPath is where a file from the browser goes in the backup: media under the folders a phone
// keeps them in, exports at the top.
func webPath(name string) string {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	if base == "." || base == "/" || base == ".." || base == "" {
		base = "upload"
	}
	switch t := mime.TypeByExtension(strings.ToLower(path.Ext(base))); {
	case strings.HasPrefix(t, "image/") || strings.HasPrefix(t, "video/"):
		return "DCIM/Camera/" + base
	case strings.HasPrefix(t, "audio/") || strings.HasSuffix(strings.ToLower(base), ".amr"):
		return "Recordings/" + base
	}
	return base
}

// snapshotView loads the snapshot a page is about.
func (s *Server) snapshotView(r *http.Request, v *ui.View, tab string) (*beifen.Snapshot, error) {
	id, err := pathID(r, "id", "Snapshot not found.")
	if err != nil {
		return nil, err
	}
	sn, err := s.BackupService.FindSnapshotByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	v.Tab = tab
	return sn, nil
}

type uiSnapshotData struct {
	Snapshot *beifen.Snapshot
}

func (s *Server) handleUISnapshot(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	sn, err := s.snapshotView(r, v, "restore")
	if err != nil {
		return err
	}
	v.Data = &uiSnapshotData{Snapshot: sn}
	return s.render(w, r, http.StatusOK, "snapshot", v)
}

func offsetOf(r *http.Request) int {
	n, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	return max(n, 0)
}

type uiConversationsData struct {
	Snapshot      *beifen.Snapshot
	Conversations []*beifen.Conversation
}

func (s *Server) handleUIConversations(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	sn, err := s.snapshotView(r, v, "messages")
	if err != nil {
		return err
	}
	page := beifen.Page{Offset: offsetOf(r)}
	list, total, err := s.BrowseService.FindConversations(r.Context(), sn.ID, page)
	if err != nil {
		return err
	}
	_, limit := page.Bounds()
	v.Pager = ui.NewPager(*r.URL, page.Offset, limit, len(list), total)
	v.Data = &uiConversationsData{Snapshot: sn, Conversations: list}
	return s.render(w, r, http.StatusOK, "conversations", v)
}

type uiThreadData struct {
	Snapshot      *beifen.Snapshot
	Address, Name string
	Messages      []*uiMessage
	Older         int // offset of the older page, 0: none
	Newer         bool
	NewerOffset   int
}

type uiMessage struct {
	ID     int64 // the record, to delete it
	Body   string
	Sent   bool
	At     time.Time
	Images []uiAttachment
	Media  []uiAttachment
}

type uiAttachment struct {
	Key  beifen.BlobKey
	Type string
}

func messageView(m *beifen.Message) *uiMessage {
	out := &uiMessage{ID: m.RecordID, Body: m.Body(), At: time.UnixMilli(m.Date())}
	if m.Kind == beifen.MessageSMS {
		t := m.Attrs.Value("type")
		out.Sent = t == "2" || t == "4" || t == "5" || t == "6"
		return out
	}
	out.Sent = m.Attrs.Value("msg_box") == "2" || m.Attrs.Value("msg_box") == "4"
	for _, p := range m.Parts {
		ct := strings.ToLower(p.Attrs.Value("ct"))
		if p.Blob == nil || ct == "application/smil" || ct == "text/plain" {
			continue
		}
		a := uiAttachment{Key: p.Blob.Key, Type: ct}
		if strings.HasPrefix(ct, "image/") {
			out.Images = append(out.Images, a)
		} else {
			out.Media = append(out.Media, a)
		}
	}
	return out
}

const threadPage = 50

func (s *Server) handleUIThread(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	sn, err := s.snapshotView(r, v, "messages")
	if err != nil {
		return err
	}
	addr := r.PathValue("addr")
	off := offsetOf(r)
	conv, msgs, err := s.BrowseService.FindMessages(r.Context(), sn.ID, beifen.MessageFilter{Address: addr, Page: beifen.Page{Offset: off, Limit: threadPage}})
	if err != nil {
		return err
	}
	total := conv.Count
	d := &uiThreadData{Snapshot: sn, Address: addr, Name: conv.Name}
	for _, m := range msgs {
		d.Messages = append(d.Messages, messageView(m))
	}
	if off+threadPage < total {
		d.Older = off + threadPage
	}
	if off > 0 {
		d.Newer, d.NewerOffset = true, max(off-threadPage, 0)
	}
	v.Data = d
	return s.render(w, r, http.StatusOK, "thread", v)
}

type uiContact struct {
	ID                 int64 // the record, to delete it
	Name, Org, Initial string
	Phones, Emails     []string
	Photo, PhotoType   string
}

type uiContactsData struct {
	Snapshot *beifen.Snapshot
	Offset   int // of the page, for share links by position
	Query    string
	Recent   []string // recent searches, offered in the search box
	Contacts []*uiContact
}

func (s *Server) handleUIContacts(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	sn, err := s.snapshotView(r, v, "contacts")
	if err != nil {
		return err
	}
	q := r.URL.Query().Get("q")
	page := beifen.Page{Offset: offsetOf(r)}
	list, total, err := s.BrowseService.FindContacts(r.Context(), sn.ID, beifen.ContactFilter{Query: q, Page: page})
	if err != nil {
		return err
	}
	d := &uiContactsData{Snapshot: sn, Query: q, Offset: page.Offset}
	if d.Recent, err = s.searched(r, q); err != nil {
		return err
	}
	for _, c := range list {
		cv := &uiContact{ID: c.RecordID, Name: c.DisplayName(), Org: strings.ReplaceAll(c.Prop("ORG"), ";", " "), Emails: c.PropValues("EMAIL")}
		for _, tel := range c.PropValues("TEL") {
			cv.Phones = append(cv.Phones, strings.TrimPrefix(tel, "tel:"))
		}
		if rs := []rune(cv.Name); len(rs) > 0 {
			cv.Initial = string(rs[0])
		}
		cv.Photo, cv.PhotoType, _ = c.Photo()
		d.Contacts = append(d.Contacts, cv)
	}
	_, limit := page.Bounds()
	v.Pager = ui.NewPager(*r.URL, page.Offset, limit, len(list), total)
	v.Data = d
	return s.render(w, r, http.StatusOK, "contacts", v)
}

type uiCall struct {
	ID                           int64 // the record, to delete it
	At                           time.Time
	Number, Name, Type, Duration string
}

type uiCallsData struct {
	Snapshot    *beifen.Snapshot
	Type, Query string
	Recent      []string
	Types       []string
	Calls       []*uiCall
}

func (s *Server) handleUICalls(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	sn, err := s.snapshotView(r, v, "calls")
	if err != nil {
		return err
	}
	f := beifen.CallFilter{Type: r.URL.Query().Get("type"), Query: r.URL.Query().Get("q"), Page: beifen.Page{Offset: offsetOf(r)}}
	list, total, err := s.BrowseService.FindCalls(r.Context(), sn.ID, f)
	if err != nil {
		return err
	}
	recent, err := s.searched(r, f.Query)
	if err != nil {
		return err
	}
	d := &uiCallsData{Snapshot: sn, Type: f.Type, Query: f.Query, Recent: recent,
		Types: []string{beifen.CallIncoming, beifen.CallOutgoing, beifen.CallMissed, beifen.CallVoicemail, beifen.CallRejected, beifen.CallBlocked}}
	for _, c := range list {
		t := c.Attrs.Value("type")
		if !ui.HasKey("calltype." + t) {
			t = ""
		}
		d.Calls = append(d.Calls, &uiCall{ID: c.RecordID, At: time.UnixMilli(c.Date()), Number: c.Number(), Name: c.Attrs.Value("contact_name"),
			Type: t, Duration: c.Attrs.Value("duration")})
	}
	_, limit := f.Bounds()
	v.Pager = ui.NewPager(*r.URL, f.Offset, limit, len(list), total)
	v.Data = d
	return s.render(w, r, http.StatusOK, "calls", v)
}

type uiFile struct {
	*beifen.File
	Name string
}

type uiFilesData struct {
	Snapshot                     *beifen.Snapshot
	Photos, Videos, Audio, Other []uiFile
}

func (s *Server) handleUIFiles(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	sn, err := s.snapshotView(r, v, "files")
	if err != nil {
		return err
	}
	files, err := s.BackupService.SnapshotFiles(r.Context(), sn.ID)
	if err != nil {
		return err
	}
	d := &uiFilesData{Snapshot: sn}
	for _, f := range files {
		uf := uiFile{File: f, Name: path.Base(f.Path)}
		switch t := fileType(f.Path); {
		case strings.HasPrefix(t, "image/"):
			d.Photos = append(d.Photos, uf)
		case strings.HasPrefix(t, "video/"):
			d.Videos = append(d.Videos, uf)
		case strings.HasPrefix(t, "audio/"):
			d.Audio = append(d.Audio, uf)
		default:
			d.Other = append(d.Other, uf)
		}
	}
	v.Data = d
	return s.render(w, r, http.StatusOK, "files", v)
}

// fileType is the MIME type of a backed-up file by its name.
func fileType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	switch ext {
	case ".amr":
		return "audio/amr"
	case ".m4a":
		return "audio/mp4"
	case ".3gp":
		return "video/3gpp"
	case ".heic":
		return "image/heic"
	}
	return mime.TypeByExtension(ext)
}

// mediaType is the type a file is served as: only pictures, sound and video are shown inline;
// anything else downloads.
func mediaType(t string) (string, bool) {
	t = strings.ToLower(strings.TrimSpace(strings.Split(t, ";")[0]))
	for _, prefix := range []string{"image/", "audio/", "video/"} {
		if strings.HasPrefix(t, prefix) && t != "image/svg+xml" {
			return t, true
		}
	}
	return "application/octet-stream", false
}

// Thumbnailer makes gallery previews of pictures.
type Thumbnailer interface {
	Thumbnail(ctx context.Context, hash beifen.BlobKey) ([]byte, error)
}

// handleUIThumb serves a picture's preview; a file beifen cannot preview (HEIC, say) shows a
// placeholder, and a tap opens the file itself.
func (s *Server) handleUIThumb(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	b, err := s.Thumbnails.Thumbnail(r.Context(), beifen.BlobKey(r.PathValue("hash")))
	if beifen.ErrorCode(err) == beifen.EINVALID {
		http.Redirect(w, r, "/static/photo.svg", http.StatusFound)
		return nil
	} else if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
	return nil
}

// handleUIFile serves a file or an MMS attachment of the user, with ranges so audio and video
// seek.
func (s *Server) handleUIFile(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	hash := beifen.BlobKey(r.PathValue("hash"))
	size, err := s.BackupService.StatFile(r.Context(), hash)
	if err != nil {
		return err
	}
	t := r.URL.Query().Get("type")
	name := path.Base(r.URL.Query().Get("name"))
	if t == "" {
		t = fileType(name)
	}
	ct, inline := mediaType(t)
	if r.URL.Query().Get("download") != "" || !inline {
		if name == "." || name == "/" {
			name = string(hash)[:12]
		}
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	}
	rr := fileRange(r, s.BackupService, hash, size)
	defer func() {
		if rr.rc != nil {
			rr.rc.Close()
		}
	}()
	w.Header().Set("Content-Type", ct)
	http.ServeContent(w, r, "", zeroTime, rr)
	return nil
}

type uiDiffData struct {
	A, B int64
	Diff *beifen.SnapshotDiff
}

func (s *Server) handleUIDiff(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	a, _ := strconv.ParseInt(r.URL.Query().Get("a"), 10, 64)
	b, _ := strconv.ParseInt(r.URL.Query().Get("b"), 10, 64)
	d, err := s.BackupService.DiffSnapshots(r.Context(), a, b)
	if err != nil {
		return err
	}
	v.Data = &uiDiffData{A: a, B: b, Diff: d}
	return s.render(w, r, http.StatusOK, "diff", v)
}

// handleUIRestoreZip streams the parts of a snapshot the user picked as one zip: files a phone
// imports (contacts.vcf, sms.xml, calls.xml) and the plain files under files/.
func (s *Server) handleUIRestoreZip(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	sn, err := s.snapshotView(r, v, "restore")
	if err != nil {
		return err
	}
	parts := map[string]bool{}
	for _, p := range r.URL.Query()["part"] {
		parts[p] = true
	}
	if len(parts) == 0 {
		parts = map[string]bool{"contacts": true, "messages": true, "calls": true, "files": true}
	}
	var files []*beifen.File
	if parts["files"] {
		if files, err = s.BackupService.SnapshotFiles(r.Context(), sn.ID); err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{
		"filename": fmt.Sprintf("beifen-%d-%s.zip", sn.ID, sn.CreatedAt.Format("20060102-1504"))}))
	zw := zip.NewWriter(w)
	if err := s.writeSnapshotZip(r.Context(), zw, sn, parts, files, ""); err != nil {
		return err
	}
	return zw.Close()
}

// writeSnapshotZip writes the chosen parts of a snapshot into zw under prefix. Once
// the first byte is out, an error can only cut the zip short, which its reader will notice.
func (s *Server) writeSnapshotZip(ctx context.Context, zw *zip.Writer, sn *beifen.Snapshot, parts map[string]bool, files []*beifen.File, prefix string) error {
	exports := []struct {
		part, name string
		fn         func(id int64, w io.Writer) error
	}{
		{"contacts", "contacts.vcf", func(id int64, w io.Writer) error { return s.BackupService.ExportContacts(ctx, id, w) }},
		{"messages", "sms.xml", func(id int64, w io.Writer) error { return s.BackupService.ExportMessages(ctx, id, w) }},
		{"calls", "calls.xml", func(id int64, w io.Writer) error { return s.BackupService.ExportCalls(ctx, id, w) }},
	}
	for _, e := range exports {
		if !parts[e.part] {
			continue
		}
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: prefix + e.name, Method: zip.Deflate, Modified: sn.CreatedAt})
		if err != nil {
			return err
		}
		if err := e.fn(sn.ID, fw); err != nil {
			s.Logger.ErrorContext(ctx, "restore zip", "snapshot_id", sn.ID, "part", e.part, "err", err)
			return nil
		}
	}
	for _, f := range files {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: prefix + "files/" + f.Path, Method: zip.Store, Modified: f.ModTime})
		if err != nil {
			return err
		}
		rc, err := s.BackupService.OpenFile(ctx, f.Hash, 0, -1)
		if err != nil {
			s.Logger.ErrorContext(ctx, "restore zip", "snapshot_id", sn.ID, "err", err)
			return nil
		}
		_, err = io.Copy(fw, rc)
		rc.Close()
		if err != nil {
			return nil
		}
	}
	return nil
}

// uploadProgress is how far the server has read the files of one web upload.
type uploadProgress struct {
	user  int64
	total int64 // the request's size: the files and a little form framing
	read  atomic.Int64
}

// countingReader adds what is read through it to n.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// UploadProgressResponse says how far the server has read an upload, in percent.
type UploadProgressResponse struct {
	Percent int  `json:"percent"`
	Known   bool `json:"known"` // false: no such upload under way for this user (finished, or never)
}

// handleUIUploadProgress answers the page's polling while the server reads what it sent.
func (s *Server) handleUIUploadProgress(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	out := &UploadProgressResponse{}
	if p, ok := s.uploads.Load(r.URL.Query().Get("id")); ok {
		if prog := p.(*uploadProgress); prog.user == v.User.ID {
			out.Known, out.Percent = true, int(min(prog.read.Load()*100/max(prog.total, 1), 100))
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// searched remembers a search the user made (on the first page of its results) and returns
// their recent searches.
func (s *Server) searched(r *http.Request, q string) ([]string, error) {
	if s.Remember == nil {
		return nil, nil
	}
	if q != "" && r.URL.Query().Get("offset") == "" {
		if err := s.Remember.RememberSearch(r.Context(), q); err != nil {
			return nil, err
		}
	}
	return s.Remember.RecentSearches(r.Context())
}
