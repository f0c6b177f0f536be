package http

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/beifen/beifen"
)

var zeroTime time.Time

// CommitRequest is the manifest of a backup.
type CommitRequest struct {
	Files []*beifen.File `json:"files"`
}

// SnapshotsResponse lists snapshots.
type SnapshotsResponse struct {
	Snapshots []*beifen.Snapshot `json:"snapshots"`
	Total     int                `json:"total"`
}

// FilesResponse lists a snapshot's files.
type FilesResponse struct {
	Files []*beifen.File `json:"files"`
}

func (s *Server) handleSnapshotCreate(w http.ResponseWriter, r *http.Request) {
	var req CommitRequest
	if err := readJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	sn, err := s.BackupService.CommitBackup(r.Context(), req.Files)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, sn)
}

func (s *Server) handleSnapshotList(w http.ResponseWriter, r *http.Request) {
	f, err := snapshotFilter(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	snaps, n, err := s.BackupService.FindSnapshots(r.Context(), f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, &SnapshotsResponse{Snapshots: append([]*beifen.Snapshot{}, snaps...), Total: n})
}

// snapshotFilter reads the optional id, offset and limit query parameters.
func snapshotFilter(r *http.Request) (beifen.SnapshotFilter, error) {
	var f beifen.SnapshotFilter
	q := r.URL.Query()
	if q.Has("id") {
		id, err := queryInt(r, "id")
		if err != nil {
			return f, err
		}
		f.ID = &id
	}
	for name, p := range map[string]*int{"offset": &f.Offset, "limit": &f.Limit} {
		if q.Has(name) {
			v, err := queryInt(r, name)
			if err != nil {
				return f, err
			}
			*p = int(v)
		}
	}
	return f, nil
}

// snapshotID reads a snapshot ID from the path; "latest" is the newest snapshot.
func (s *Server) snapshotID(r *http.Request, name string) (int64, error) {
	if r.PathValue(name) != "latest" {
		return pathID(r, name, "Snapshot not found.")
	}
	snaps, _, err := s.BackupService.FindSnapshots(r.Context(), beifen.SnapshotFilter{Limit: 1})
	if err != nil {
		return 0, err
	} else if len(snaps) == 0 {
		return 0, beifen.Errorf(beifen.ENOTFOUND, "There are no snapshots yet.")
	}
	return snaps[0].ID, nil
}

func (s *Server) handleSnapshotView(w http.ResponseWriter, r *http.Request) {
	id, err := s.snapshotID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	sn, err := s.BackupService.FindSnapshotByID(r.Context(), id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sn)
}

func (s *Server) handleSnapshotDiff(w http.ResponseWriter, r *http.Request) {
	a, err := s.snapshotID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	b, err := s.snapshotID(r, "other")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d, err := s.BackupService.DiffSnapshots(r.Context(), a, b)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) handleSnapshotFiles(w http.ResponseWriter, r *http.Request) {
	id, err := s.snapshotID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	files, err := s.BackupService.SnapshotFiles(r.Context(), id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, &FilesResponse{Files: files})
}

func (s *Server) handleExportContacts(w http.ResponseWriter, r *http.Request) {
	s.export(w, r, "text/vcard; charset=utf-8", s.BackupService.ExportContacts)
}

func (s *Server) handleExportMessages(w http.ResponseWriter, r *http.Request) {
	s.export(w, r, "application/xml; charset=utf-8", s.BackupService.ExportMessages)
}

func (s *Server) handleExportCalls(w http.ResponseWriter, r *http.Request) {
	s.export(w, r, "application/xml; charset=utf-8", s.BackupService.ExportCalls)
}

// export streams a snapshot export. The snapshot is checked first, so a wrong ID still gets a
// clean 404; an error halfway through a stream can only cut it short, which the client detects
// by the missing trailer.
func (s *Server) export(w http.ResponseWriter, r *http.Request, ctype string, fn func(ctx context.Context, id int64, w io.Writer) error) {
	id, err := s.snapshotID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if _, err := s.BackupService.FindSnapshotByID(r.Context(), id); err != nil {
		s.Error(w, r, err)
		return
	}
	lw := &lazyWriter{w: w, ctype: ctype}
	if err := fn(r.Context(), id, lw); err != nil {
		if !lw.started {
			s.Error(w, r, err) // nothing sent yet: the client gets a proper error
			return
		}
		s.Logger.ErrorContext(r.Context(), "export failed", "route", r.Pattern, "user_id",
			beifen.UserIDFromContext(r.Context()), "err", err)
		return
	}
	lw.start()
	w.Header().Set(CompleteTrailer, "1")
}

// lazyWriter sends the export's headers with its first byte, so that an error found before any
// output (a destroyed key, say) still reaches the client as an error response.
type lazyWriter struct {
	w       http.ResponseWriter
	ctype   string
	started bool
}

func (lw *lazyWriter) start() {
	if !lw.started {
		lw.started = true
		lw.w.Header().Set("Content-Type", lw.ctype)
		lw.w.Header().Set("Trailer", CompleteTrailer)
	}
}

func (lw *lazyWriter) Write(p []byte) (int, error) {
	lw.start()
	return lw.w.Write(p)
}

// CompleteTrailer is set on an export stream that ended well.
const CompleteTrailer = "X-Beifen-Complete"
