package http

import (
	"net/http"
	"net/url"

	"github.com/beifen/beifen"
)

// MaxLeadFile bounds one lead file upload.
const MaxLeadFile = 1 << 30

// LeadsResponse lists leads.
type LeadsResponse struct {
	Leads []*beifen.Lead `json:"leads"`
	Total int            `json:"total"`
}

func (s *Server) handleLeadImport(w http.ResponseWriter, r *http.Request) {
	name, _ := url.PathUnescape(r.Header.Get(NameHeader))
	body := http.MaxBytesReader(w, r.Body, MaxLeadFile)
	res, err := s.LeadImportService.ImportLeads(r.Context(), name, body, nil)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) handleLeadRejected(w http.ResponseWriter, r *http.Request) {
	lw := &lazyWriter{w: w, ctype: "text/csv; charset=utf-8"}
	if err := s.LeadImportService.RejectedRows(r.Context(), r.PathValue("id"), lw); err != nil && !lw.started {
		s.Error(w, r, err)
	}
}

func (s *Server) handleLeadList(w http.ResponseWriter, r *http.Request) {
	leads, n, err := s.LeadService.FindLeads(r.Context(), beifen.LeadFilter{Limit: 1000})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, &LeadsResponse{Leads: append([]*beifen.Lead{}, leads...), Total: n})
}

func (s *Server) handleCustomersVCard(w http.ResponseWriter, r *http.Request) {
	lw := &lazyWriter{w: w, ctype: "text/vcard; charset=utf-8"}
	if err := s.LeadService.ExportCustomers(r.Context(), lw); err != nil && !lw.started {
		s.Error(w, r, err)
		return
	}
	lw.start()
}
