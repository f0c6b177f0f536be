package http

import (
	"net/http"
	"sync"
	"time"

	"github.com/beifen/beifen"
)

// ErrorReportRequest is what a client reports: a crash, a script error or a slow operation.
type ErrorReportRequest struct {
	Kind    string `json:"kind"`
	App     string `json:"app"`
	Where   string `json:"where"`
	Message string `json:"message"`
}

// reportLimiter keeps a flood of reports (a page in an error loop) from filling the table: at most
// reportsPerMinute a minute from the whole server.
type reportLimiter struct {
	mu    sync.Mutex
	start time.Time
	n     int
}

const reportsPerMinute = 600

func (l *reportLimiter) allow(now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.start) > time.Minute {
		l.start, l.n = now, 0
	}
	l.n++
	return l.n <= reportsPerMinute
}

// handleErrorReport takes a client's report (clause 1.2.2b), signed in or not, and keeps it
// de-identified: nothing about who sent it, digits and e-mail addresses blanked, counted with the
// same ones before.
func (s *Server) handleErrorReport(w http.ResponseWriter, r *http.Request) {
	if s.Reports == nil {
		http.NotFound(w, r)
		return
	}
	if !s.reportLimit.allow(time.Now()) {
		s.Error(w, r, beifen.Errorf(beifen.ETOOMANY, "Too many reports."))
		return
	}
	var req ErrorReportRequest
	if err := readJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	rep := &beifen.ErrorReport{Kind: req.Kind, App: req.App, Where: req.Where, Message: req.Message}
	if err := rep.Clean(); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Reports.AddErrorReport(r.Context(), rep, time.Now()); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
