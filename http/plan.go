package http

import (
	"context"
	"net/http"
	"time"

	"github.com/beifen/beifen"
)

// PlanManager is the team admin's side of team plans and their payment (clause 3.1.2d), and the
// payment provider's callback.
type PlanManager interface {
	TeamPlan(ctx context.Context) (*beifen.TeamPlan, error)
	Upgrade(ctx context.Context, plan string) (*beifen.Order, string, error)
	Orders(ctx context.Context) ([]*beifen.Order, error)
	Order(ctx context.Context, id int64) (*beifen.Order, error)
	PaymentNotified(r *http.Request) error
}

// PlanRequest is the body of POST /api/v1/team/plan: the plan to upgrade to.
type PlanRequest struct {
	Plan string `json:"plan"`
}

// PlanResponse is the team's plan: its name, the limits in force, until when it is paid, what
// the team uses, and the plans on offer.
type PlanResponse struct {
	*beifen.TeamPlan
	Current beifen.Plan   `json:"current"`
	Plans   []beifen.Plan `json:"plans"`
}

// CheckoutResponse is an upgrade's order and the payment provider's page to pay it on.
type CheckoutResponse struct {
	Order  *beifen.Order `json:"order"`
	PayURL string        `json:"pay_url"`
}

func (s *Server) handleTeamPlan(w http.ResponseWriter, r *http.Request) {
	tp, err := s.Plans.TeamPlan(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, &PlanResponse{TeamPlan: tp, Current: tp.Current(time.Now()), Plans: beifen.Plans})
}

func (s *Server) handleTeamUpgrade(w http.ResponseWriter, r *http.Request) {
	var req PlanRequest
	if err := readJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	o, payURL, err := s.Plans.Upgrade(r.Context(), req.Plan)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, &CheckoutResponse{Order: o, PayURL: payURL})
}

func (s *Server) handleTeamOrders(w http.ResponseWriter, r *http.Request) {
	list, err := s.Plans.Orders(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"orders": list})
}

func (s *Server) handleTeamOrder(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", "Order not found.")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	o, err := s.Plans.Order(r.Context(), id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, o)
}

// handlePaymentNotify is the payment provider's server-to-server callback: no sign-in, the
// provider's signature instead (checked by the provider adapter).
func (s *Server) handlePaymentNotify(w http.ResponseWriter, r *http.Request) {
	if err := s.Plans.PaymentNotified(r); err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}
