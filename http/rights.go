package http

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/ui"
)

// RightsDesk keeps the signed-in user's rights requests (PIPL Art. 44-48).
type RightsDesk interface {
	Ask(ctx context.Context, kind beifen.RightsKind, detail string) (*beifen.RightsRequest, error)
	MyRequests(ctx context.Context) ([]*beifen.RightsRequest, error)
	Recorded(ctx context.Context, kind beifen.RightsKind, detail string) error
}

// ItemDeleter deletes items from the signed-in user's whole backup history.
type ItemDeleter interface {
	DeleteItems(ctx context.Context, ids []int64) (*beifen.DeleteReceipt, error)
}

// RequestsResponse lists a user's rights requests, newest first.
type RequestsResponse struct {
	Requests []*beifen.RightsRequest `json:"requests"`
}

// AskRequest files a rights request for the operator.
type AskRequest struct {
	Kind   beifen.RightsKind `json:"kind"`
	Detail string            `json:"detail"`
}

// DeleteItemsRequest names items (record IDs, as the browse API gives them) to delete from
// every snapshot.
type DeleteItemsRequest struct {
	IDs []int64 `json:"ids"`
}

func (s *Server) handleRequestList(w http.ResponseWriter, r *http.Request) {
	list, err := s.Rights.MyRequests(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, &RequestsResponse{Requests: list})
}

func (s *Server) handleRequestAsk(w http.ResponseWriter, r *http.Request) {
	var req AskRequest
	if err := readJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	rr, err := s.Rights.Ask(r.Context(), req.Kind, req.Detail)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, rr)
}

func (s *Server) handleItemsDelete(w http.ResponseWriter, r *http.Request) {
	var req DeleteItemsRequest
	if err := readJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	rc, err := s.ItemDeleter.DeleteItems(r.Context(), req.IDs)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rc)
}

// handleUIRequestAsk files a request from the privacy centre.
func (s *Server) handleUIRequestAsk(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	if _, err := s.Rights.Ask(r.Context(), beifen.RightsKind(r.FormValue("kind")), r.FormValue("detail")); err != nil {
		return err
	}
	redirectDone(w, r, "/privacy#requests", "flash.requested")
	return nil
}

// handleUIItemDelete deletes one item from the user's whole history and goes back to the page
// it was deleted from.
func (s *Server) handleUIItemDelete(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	id, err := strconv.ParseInt(r.FormValue("id"), 10, 64)
	if err != nil {
		return beifen.Errorf(beifen.EINVALID, "Choose the item to delete.")
	}
	if _, err := s.ItemDeleter.DeleteItems(r.Context(), []int64{id}); err != nil {
		return err
	}
	back := localPath(r.FormValue("back"))
	if !strings.HasPrefix(back, "/app/") {
		back = "/app"
	}
	redirectDone(w, r, back, "flash.item_deleted")
	return nil
}
