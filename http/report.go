package http

import (
	"context"
	"io"
	"net/http"

	"github.com/beifen/beifen"
)

// Reporter builds task reports.
type Reporter interface {
	Report(ctx context.Context, taskID int64) ([]*beifen.ReportRow, error)
	ReportCSV(ctx context.Context, taskID int64, w io.Writer) error
	ReportXLSX(ctx context.Context, taskID int64, w io.Writer) error
}

// ReportResponse is a task report as JSON.
type ReportResponse struct {
	Rows []*beifen.ReportRow `json:"rows"`
}

func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	id, err := taskPathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	rows, err := s.Reporter.Report(r.Context(), id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, &ReportResponse{Rows: append([]*beifen.ReportRow{}, rows...)})
}

func (s *Server) handleReportCSV(w http.ResponseWriter, r *http.Request) {
	s.report(w, r, "text/csv; charset=utf-8", s.Reporter.ReportCSV)
}

func (s *Server) handleReportXLSX(w http.ResponseWriter, r *http.Request) {
	s.report(w, r, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", s.Reporter.ReportXLSX)
}

// report streams a report file; an error before its first byte is a proper error response.
func (s *Server) report(w http.ResponseWriter, r *http.Request, ctype string, fn func(context.Context, int64, io.Writer) error) {
	id, err := taskPathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	lw := &lazyWriter{w: w, ctype: ctype}
	if err := fn(r.Context(), id, lw); err != nil {
		if !lw.started {
			s.Error(w, r, err)
			return
		}
		s.Logger.ErrorContext(r.Context(), "report failed", "route", r.Pattern, "err", err)
	}
}
