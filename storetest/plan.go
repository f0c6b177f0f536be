package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

func testPlan(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	s := open(t)
	team, actx := MustCreateMember(t, ctx, s, nil, beifen.RoleAdmin)
	admin := beifen.UserFromContext(actx)
	other, _ := MustCreateMember(t, ctx, s, nil, beifen.RoleAdmin)

	t.Run("FreeByDefault", func(t *testing.T) {
		tp, err := s.Plans.FindTeamPlan(ctx, team.ID)
		if err != nil || tp.Plan != beifen.FreePlan || tp.Members != 1 || tp.Customers != 0 || tp.RecordingBytes != 0 || !tp.PaidUntil.IsZero() {
			t.Fatalf("FindTeamPlan=%+v, %v", tp, err)
		}
	})
	o := &beifen.Order{TeamID: team.ID, UserID: admin.ID, Plan: "standard", AmountFen: 19900}
	t.Run("CreateOrder", func(t *testing.T) {
		if err := s.Plans.CreateOrder(ctx, o); err != nil || o.ID == 0 || o.Status != beifen.OrderPending {
			t.Fatalf("CreateOrder=%+v, %v", o, err)
		}
		if err := s.Plans.SetOrderRef(ctx, o.ID, "agg-1"); err != nil {
			t.Fatal(err)
		}
		got, err := s.Plans.FindOrderByID(ctx, team.ID, o.ID)
		if err != nil || got.ProviderRef != "agg-1" || got.AmountFen != 19900 || got.Plan != "standard" || got.PaidAt != nil {
			t.Fatalf("FindOrderByID=%+v, %v", got, err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := s.Plans.FindOrderByID(ctx, other.ID, o.ID)
		wantError(t, err, beifen.ENOTFOUND, "Order not found.")
		if list, err := s.Plans.FindOrders(ctx, other.ID); err != nil || len(list) != 0 {
			t.Fatalf("another team's orders: %+v, %v", list, err)
		}
		_, _, err = s.Plans.PayOrder(ctx, o.ID+1000, 19900)
		wantError(t, err, beifen.ENOTFOUND, "Order not found.")
	})
	t.Run("WrongAmount", func(t *testing.T) {
		_, _, err := s.Plans.PayOrder(ctx, o.ID, 1)
		wantError(t, err, beifen.EINVALID, "The amount paid is not the order's.")
		if tp, _ := s.Plans.FindTeamPlan(ctx, team.ID); tp.Plan != beifen.FreePlan {
			t.Fatalf("a wrong amount changed the plan: %+v", tp)
		}
	})
	t.Run("Pay", func(t *testing.T) {
		got, changed, err := s.Plans.PayOrder(ctx, o.ID, 19900)
		if err != nil || !changed || got.Status != beifen.OrderPaid || got.PaidAt == nil {
			t.Fatalf("PayOrder=%+v, %v, %v", got, changed, err)
		}
		tp, err := s.Plans.FindTeamPlan(ctx, team.ID)
		if err != nil || tp.Plan != "standard" || !near(tp.PaidUntil, time.Now().Add(beifen.PlanPeriod)) {
			t.Fatalf("FindTeamPlan=%+v, %v", tp, err)
		}
		if _, changed, err := s.Plans.PayOrder(ctx, o.ID, 19900); err != nil || changed {
			t.Fatalf("a replay: changed=%v, %v", changed, err)
		}
		if again, _ := s.Plans.FindTeamPlan(ctx, team.ID); !again.PaidUntil.Equal(tp.PaidUntil) {
			t.Fatalf("a replay moved paid-until from %v to %v", tp.PaidUntil, again.PaidUntil)
		}
		if list, err := s.Plans.FindOrders(ctx, team.ID); err != nil || len(list) != 1 || list[0].Status != beifen.OrderPaid {
			t.Fatalf("FindOrders=%+v, %v", list, err)
		}
	})
}
