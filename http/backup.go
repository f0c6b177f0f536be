package http

import (
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/beifen/beifen"
)

// CheckRequest asks which file contents the server still needs.
type CheckRequest struct {
	Hashes []beifen.BlobKey `json:"hashes"`
}

// CheckResponse lists the contents to upload.
type CheckResponse struct {
	Missing []beifen.BlobKey `json:"missing"`
}

// PartsResponse lists the parts of a file that have arrived.
type PartsResponse struct {
	Parts []int `json:"parts"`
}

// NameHeader carries the file's path in the export (URL-escaped), used in error messages.
const NameHeader = "X-Beifen-Name"

func (s *Server) handleUploadCheck(w http.ResponseWriter, r *http.Request) {
	var req CheckRequest
	if err := readJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	missing, err := s.BackupService.MissingFiles(r.Context(), req.Hashes)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, &CheckResponse{Missing: missing})
}

func (s *Server) handleUploadParts(w http.ResponseWriter, r *http.Request) {
	size, err := queryInt(r, "size")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	got, err := s.BackupService.UploadedParts(r.Context(), beifen.BlobKey(r.PathValue("hash")), size)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, &PartsResponse{Parts: append([]int{}, got...)})
}

func (s *Server) handleUploadPart(w http.ResponseWriter, r *http.Request) {
	size, err := queryInt(r, "size")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	part, err := queryInt(r, "part")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	name, _ := url.PathUnescape(r.Header.Get(NameHeader))
	body := http.MaxBytesReader(w, r.Body, beifen.UploadPartSize)
	res, err := s.BackupService.UploadPart(r.Context(), beifen.BlobKey(r.PathValue("hash")), size, int(part), name, body)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) handleUploadFragment(w http.ResponseWriter, r *http.Request) {
	size, err := queryInt(r, "size")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	line, err := queryInt(r, "line")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	name, _ := url.PathUnescape(r.Header.Get(NameHeader))
	body := http.MaxBytesReader(w, r.Body, beifen.UploadPartSize)
	res, err := s.BackupService.UploadFragment(r.Context(), beifen.BlobKey(r.PathValue("hash")), size, name, int(line), body)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func queryInt(r *http.Request, name string) (int64, error) {
	v, err := strconv.ParseInt(r.URL.Query().Get(name), 10, 64)
	if err != nil {
		return 0, beifen.Errorf(beifen.EINVALID, "Query parameter %s must be a number.", name)
	}
	return v, nil
}

// rangeReader is an io.ReadSeeker over a stored file that opens it at the position of the first
// Read, so http.ServeContent can answer range requests by decrypting only what is asked.
type rangeReader struct {
	open func(offset int64) (io.ReadCloser, error) // from offset to the end
	size int64
	pos  int64
	rc   io.ReadCloser
}

// fileRange reads a stored file of the request's user.
func fileRange(r *http.Request, svc beifen.BackupService, hash beifen.BlobKey, size int64) *rangeReader {
	return &rangeReader{size: size, open: func(off int64) (io.ReadCloser, error) {
		return svc.OpenFile(r.Context(), hash, off, -1)
	}}
}

func (rr *rangeReader) Read(p []byte) (int, error) {
	if rr.rc == nil {
		if rr.pos >= rr.size {
			return 0, io.EOF
		}
		rc, err := rr.open(rr.pos)
		if err != nil {
			return 0, err
		}
		rr.rc = rc
	}
	n, err := rr.rc.Read(p)
	rr.pos += int64(n)
	return n, err
}

func (rr *rangeReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += rr.pos
	case io.SeekEnd:
		offset += rr.size
	}
	if offset != rr.pos && rr.rc != nil {
		rr.rc.Close()
		rr.rc = nil
	}
	rr.pos = offset
	return offset, nil
}

func (s *Server) handleFileContent(w http.ResponseWriter, r *http.Request) {
	hash := beifen.BlobKey(r.PathValue("hash"))
	size, err := s.BackupService.StatFile(r.Context(), hash)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	rr := fileRange(r, s.BackupService, hash, size)
	defer func() {
		if rr.rc != nil {
			rr.rc.Close()
		}
	}()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Cache-Control", "private, no-store")
	http.ServeContent(w, r, "", zeroTime, rr)
}
