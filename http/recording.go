package http

import (
	"context"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"time"

	"github.com/beifen/beifen"
)

// Recorder takes call recordings, plays them back with an audit trail, and takes reviews.
type Recorder interface {
	UploadRecording(ctx context.Context, name, number string, start time.Time, size int64, r io.Reader) (*beifen.Recording, error)
	FindRecordings(ctx context.Context, f beifen.RecordingFilter) ([]*beifen.Recording, int, error)
	OpenRecording(ctx context.Context, id, offset, length int64, kind string) (io.ReadCloser, error)
	LinkRecording(ctx context.Context, id, callID int64) error
	ReviewRecording(ctx context.Context, r *beifen.Review) error
	RecordingAccesses(ctx context.Context, id int64) ([]*beifen.RecordingAccess, error)
}

// RecordingsResponse lists recordings.
type RecordingsResponse struct {
	Recordings []*beifen.Recording `json:"recordings"`
	Total      int                 `json:"total"`
}

// LinkRequest links a recording to a call.
type LinkRequest struct {
	CallID int64 `json:"call_id"`
}

// MaxRecording bounds one recording upload.
const MaxRecording = 512 << 20

func (s *Server) handleRecordingUpload(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var start time.Time
	if v := q.Get("time"); v != "" {
		var err error
		if start, err = time.Parse(time.RFC3339, v); err != nil {
			s.Error(w, r, beifen.Errorf(beifen.EINVALID, "time must be RFC 3339, like 2026-03-01T09:30:15+08:00."))
			return
		}
	}
	if r.ContentLength < 0 || r.ContentLength > MaxRecording {
		s.Error(w, r, beifen.Errorf(beifen.ETOOLARGE, "A recording must be sent with its length, at most %d MiB.", MaxRecording>>20))
		return
	}
	name, _ := url.PathUnescape(r.Header.Get(NameHeader))
	rec, err := s.Recorder.UploadRecording(r.Context(), name, q.Get("number"), start, r.ContentLength, r.Body)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, rec)
}

func (s *Server) handleRecordingList(w http.ResponseWriter, r *http.Request) {
	recs, n, err := s.Recorder.FindRecordings(r.Context(), beifen.RecordingFilter{Unmatched: r.URL.Query().Get("unmatched") == "1", Limit: 500})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, &RecordingsResponse{Recordings: append([]*beifen.Recording{}, recs...), Total: n})
}

// handleRecordingAudio serves a recording with range requests, so a browser can seek; each
// request is recorded as a playback (a range) or a download (the whole file).
func (s *Server) handleRecordingAudio(w http.ResponseWriter, r *http.Request) {
	id, err := recordingID(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	recs, _, err := s.Recorder.FindRecordings(r.Context(), beifen.RecordingFilter{ID: &id})
	if err != nil {
		s.Error(w, r, err)
		return
	} else if len(recs) == 0 {
		s.Error(w, r, beifen.Errorf(beifen.ENOTFOUND, "Recording not found."))
		return
	}
	size := recs[0].Size
	kind := "download"
	if r.Header.Get("Range") != "" {
		kind = "play"
	}
	open := func(ctx context.Context, offset, length int64) (io.ReadCloser, error) {
		return s.Recorder.OpenRecording(ctx, id, offset, length, kind)
	}
	rs := &seekableBlob{ctx: r.Context(), open: open, size: size}
	defer rs.Close()
	w.Header().Set("Cache-Control", "private, no-store")
	// A known type keeps ServeContent from reading the start to sniff one (a second access).
	ctype := mime.TypeByExtension(path.Ext(recs[0].FileName))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ctype)
	http.ServeContent(w, r, "", zeroTime, rs)
}

func (s *Server) handleRecordingLink(w http.ResponseWriter, r *http.Request) {
	id, err := recordingID(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var req LinkRequest
	if err := readJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Recorder.LinkRecording(r.Context(), id, req.CallID); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleRecordingReview(w http.ResponseWriter, r *http.Request) {
	id, err := recordingID(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var rv beifen.Review
	if err := readJSON(w, r, &rv); err != nil {
		s.Error(w, r, err)
		return
	}
	rv.RecordingID = id
	if err := s.Recorder.ReviewRecording(r.Context(), &rv); err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, &rv)
}

func (s *Server) handleRecordingAccesses(w http.ResponseWriter, r *http.Request) {
	id, err := recordingID(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	acc, err := s.Recorder.RecordingAccesses(r.Context(), id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"accesses": append([]*beifen.RecordingAccess{}, acc...)})
}

func recordingID(r *http.Request) (int64, error) {
	id, err := taskPathID(r, "id")
	if err != nil {
		return 0, beifen.Errorf(beifen.ENOTFOUND, "Recording not found.")
	}
	return id, nil
}

// seekableBlob is an io.ReadSeeker over a stored blob that opens it at the position of the
// first Read, so http.ServeContent can answer range requests by reading only what is asked.
type seekableBlob struct {
	ctx  context.Context
	open func(ctx context.Context, offset, length int64) (io.ReadCloser, error)
	size int64
	pos  int64
	rc   io.ReadCloser
}

func (b *seekableBlob) Read(p []byte) (int, error) {
	if b.rc == nil {
		if b.pos >= b.size {
			return 0, io.EOF
		}
		rc, err := b.open(b.ctx, b.pos, -1)
		if err != nil {
			return 0, err
		}
		b.rc = rc
	}
	n, err := b.rc.Read(p)
	b.pos += int64(n)
	return n, err
}

func (b *seekableBlob) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		offset += b.pos
	case io.SeekEnd:
		offset += b.size
	}
	if offset != b.pos {
		b.Close()
	}
	b.pos = offset
	return offset, nil
}

// Close closes the open reader, if any.
func (b *seekableBlob) Close() error {
	if b.rc == nil {
		return nil
	}
	err := b.rc.Close()
	b.rc = nil
	return err
}
