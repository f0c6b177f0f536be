package main_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/beifen/beifen"
	main "github.com/beifen/beifen/cmd/beifen"
	"github.com/beifen/beifen/pay"
)

// fakeAggregator is a payment aggregator: it opens checkouts and, when the payer "pays", posts
// a signed notification to beifen, with a masked card number beifen must not keep.
type fakeAggregator struct {
	secret, notifyURL string
	mu                sync.Mutex
	orders            map[string]map[string]any // by ref
}

const maskedCard = "6222 **** **** 4321"

func (a *fakeAggregator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer agg-token" {
		http.Error(w, "no", http.StatusUnauthorized)
		return
	}
	var o map[string]any
	json.NewDecoder(r.Body).Decode(&o)
	a.mu.Lock()
	defer a.mu.Unlock()
	ref := fmt.Sprintf("agg-%d", len(a.orders)+1)
	a.orders[ref] = o
	json.NewEncoder(w).Encode(map[string]string{"pay_url": "https://pay.example/checkout/" + ref, "ref": ref})
}

// notification is the callback of a payment of ref for amount.
func (a *fakeAggregator) notification(ref string, amount int64) []byte {
	a.mu.Lock()
	defer a.mu.Unlock()
	b, _ := json.Marshal(map[string]any{"order_id": a.orders[ref]["order_id"], "ref": ref, "amount_fen": amount,
		"status": "paid", "card": maskedCard, "bank": "某某银行"})
	return b
}

// notify posts body to beifen signed with secret.
func (a *fakeAggregator) notify(t *testing.T, body []byte, secret string) ([]byte, int) {
	t.Helper()
	return apiDo(t, "POST", a.notifyURL, "", strings.NewReader(string(body)),
		map[string]string{pay.SignatureHeader: pay.Sign(secret, body), "Content-Type": "application/json"})
}

func teamPlan(t *testing.T, s *Server, tok string) map[string]any {
	t.Helper()
	b, st := apiDo(t, "GET", s.URL+"/api/v1/team/plan", tok, nil, nil)
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil || st != 200 {
		t.Fatalf("team plan: %d %s", st, b)
	}
	return out
}

func upgrade(t *testing.T, s *Server, tok, plan string) ([]byte, int) {
	t.Helper()
	return apiDo(t, "POST", s.URL+"/api/v1/team/plan", tok, strings.NewReader(`{"plan":"`+plan+`"}`), nil)
}

// importNumbers imports n new numbers from start as a text file.
func importNumbers(t *testing.T, s *Server, tok string, start, n int) ([]byte, int) {
	t.Helper()
	var sb strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "1390000%04d\n", start+i)
	}
	return apiDo(t, "POST", s.URL+"/api/v1/leads/import", tok, strings.NewReader(sb.String()), map[string]string{"X-Beifen-Name": "leads.txt"})
}

// TestPolicy_3_1_2d_PlansPaidThroughAProvider: payments are off by default (no upgrade, no
// quota); with an aggregator configured, a team on the free plan meets its member and customer
// quotas with a clear error; its admin upgrades through the aggregator's page, whose signed
// callback moves the team to the paid plan once; a forged signature, a wrong amount and a replay
// change nothing; no card data is kept; another team's order is not found, and only admins see
// the plan.
func TestPolicy_3_1_2d_PlansPaidThroughAProvider(t *testing.T) {
	ctx := context.Background()
	t.Run("OffByDefault", func(t *testing.T) {
		s := MustRunMain(t, "")
		team := s.mustFeedTeam(t, "销售部")
		_, tok, err := s.Auth.CreateMember(ctx, "13800138200", "", team, beifen.RoleAdmin)
		if err != nil {
			t.Fatal(err)
		}
		if b, st := upgrade(t, s, tok, "standard"); st != http.StatusForbidden || !strings.Contains(string(b), "Payments are not configured") {
			t.Fatalf("upgrade while payments are off: %d %s, want 403", st, b)
		}
		for i := 1; i <= 4; i++ {
			if _, _, err := s.Auth.CreateMember(ctx, "1380013821"+strconv.Itoa(i), "", team, beifen.RoleStaff); err != nil {
				t.Fatalf("member %d without plans: %v", i, err)
			}
		}
		if b, st := apiDo(t, "POST", s.URL+"/api/v1/payments/notify", "", strings.NewReader(`{}`), nil); st != http.StatusForbidden {
			t.Fatalf("notify while payments are off: %d %s", st, b)
		}
	})

	agg := &fakeAggregator{secret: "shared-secret", orders: map[string]map[string]any{}}
	aggSrv := httptest.NewServer(agg)
	t.Cleanup(aggSrv.Close)
	s := MustRunMainConfig(t, "", func(c *main.Config) {
		c.PayURL, c.PayToken, c.PaySecret, c.PayProvider = aggSrv.URL, "agg-token", agg.secret, "某某支付"
	})
	agg.notifyURL = s.URL + "/api/v1/payments/notify"
	team := s.mustFeedTeam(t, "销售一部")
	admin, tok, err := s.Auth.CreateMember(ctx, "13800138300", "", team, beifen.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	_, staff, err := s.Auth.CreateMember(ctx, "13800138301", "", team, beifen.RoleStaff)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("Quotas", func(t *testing.T) {
		if _, _, err := s.Auth.CreateMember(ctx, "13800138302", "", team, beifen.RoleStaff); err != nil {
			t.Fatal(err)
		}
		_, _, err := s.Auth.CreateMember(ctx, "13800138303", "", team, beifen.RoleStaff)
		if beifen.ErrorCode(err) != beifen.EFORBIDDEN || beifen.ErrorMessage(err) != "Your plan allows 3 members; upgrade to add more." {
			t.Fatalf("a 4th member on the free plan: %v", err)
		}
		b, st := importNumbers(t, s, tok, 0, 150)
		var res struct{ Imported, Rejected int }
		if json.Unmarshal(b, &res); st != 200 || res.Imported != 150 {
			t.Fatalf("import of 150 on the free plan: %d %s, want 150 imported", st, b)
		}
		// The same 150 again with 55 new: the team's numbers take no room, 50 new ones fit.
		b, st = importNumbers(t, s, tok, 0, 205)
		if json.Unmarshal(b, &res); st != 200 || res.Imported != 50 || res.Rejected != 155 {
			t.Fatalf("import of 150 known and 55 new numbers on the free plan: %d %s, want 50 imported", st, b)
		}
		if b, st := importNumbers(t, s, tok, 500, 1); st != http.StatusForbidden || !strings.Contains(string(b), "Your plan allows 200 customers; upgrade to add more.") {
			t.Fatalf("import when full: %d %s, want 403", st, b)
		}
		if p := teamPlan(t, s, tok); p["plan"] != "free" || p["members"] != float64(3) || p["customers"] != float64(200) {
			t.Fatalf("plan %v", p)
		}
	})

	t.Run("OnlyAdmins", func(t *testing.T) {
		if b, st := upgrade(t, s, staff, "standard"); st != http.StatusForbidden {
			t.Fatalf("a staff member's upgrade: %d %s", st, b)
		}
		if b, st := apiDo(t, "GET", s.URL+"/api/v1/team/orders", staff, nil, nil); st != http.StatusForbidden {
			t.Fatalf("a staff member's orders: %d %s", st, b)
		}
		if b, st := upgrade(t, s, tok, "gold"); st != http.StatusBadRequest {
			t.Fatalf("an unknown plan: %d %s", st, b)
		}
	})

	var orderID int64
	var ref string
	t.Run("Upgrade", func(t *testing.T) {
		b, st := upgrade(t, s, tok, "standard")
		var co struct {
			Order  beifen.Order
			PayURL string `json:"pay_url"`
		}
		if json.Unmarshal(b, &co); st != http.StatusCreated || co.Order.Status != "pending" || co.Order.AmountFen != 19900 || co.PayURL != "https://pay.example/checkout/agg-1" {
			t.Fatalf("upgrade: %d %s", st, b)
		}
		orderID, ref = co.Order.ID, co.Order.ProviderRef
		if got := agg.orders[ref]; got["amount_fen"] != float64(19900) || got["plan"] != "standard" || got["order_id"] != strconv.FormatInt(orderID, 10) {
			t.Fatalf("aggregator got %v", got)
		}
		list, _ := s.Store.Transfers.FindTransfers(ctx, admin.PhoneHash, 10)
		if len(list) != 1 || list[0].Party != "pay" {
			t.Fatalf("transfers %+v, want the checkout logged", list)
		}
	})

	t.Run("ForgedAndWrongAmountRefused", func(t *testing.T) {
		if b, st := agg.notify(t, agg.notification(ref, 19900), "guessed"); st != http.StatusUnauthorized {
			t.Fatalf("a forged signature: %d %s, want 401", st, b)
		}
		if b, st := agg.notify(t, agg.notification(ref, 1), agg.secret); st != http.StatusBadRequest {
			t.Fatalf("a wrong amount: %d %s, want 400", st, b)
		}
		if p := teamPlan(t, s, tok); p["plan"] != "free" {
			t.Fatalf("plan after refused notifications: %v", p)
		}
	})

	var paidUntil any
	t.Run("Paid", func(t *testing.T) {
		if b, st := agg.notify(t, agg.notification(ref, 19900), agg.secret); st != 200 {
			t.Fatalf("notify: %d %s", st, b)
		}
		p := teamPlan(t, s, tok)
		if p["plan"] != "standard" || p["current"].(map[string]any)["seats"] != float64(20) {
			t.Fatalf("plan after payment: %v", p)
		}
		paidUntil = p["paid_until"]
		if _, _, err := s.Auth.CreateMember(ctx, "13800138303", "", team, beifen.RoleStaff); err != nil {
			t.Fatalf("a 4th member on the standard plan: %v", err)
		}
		if b, st := importNumbers(t, s, tok, 500, 1); st != 200 {
			t.Fatalf("import on the standard plan: %d %s", st, b)
		}
	})

	t.Run("ManagePage", func(t *testing.T) {
		c, _ := s.mustUIMember(t, "13800138304", "", team, beifen.RoleAdmin)
		page := body(c.get("/manage"))
		if !strings.Contains(page, `id="plan"`) || !strings.Contains(page, "标准版") || !strings.Contains(page, "199.00") {
			t.Fatalf("manage page without the plan section: %.2000s", page)
		}
		resp := c.post("/manage/plan", url.Values{"plan": {"pro"}})
		if page := body(resp); resp.StatusCode != 200 || !strings.Contains(page, `href="https://pay.example/checkout/agg-2"`) {
			t.Fatalf("upgrade from the page: %d %.2000s", resp.StatusCode, page)
		}
		mc, _ := s.mustUIMember(t, "13800138305", "", team, beifen.RoleManager)
		if page := body(mc.get("/manage")); strings.Contains(page, `id="plan"`) {
			t.Fatal("a manager sees the plan")
		}
	})

	t.Run("ReplayChangesNothing", func(t *testing.T) {
		if b, st := agg.notify(t, agg.notification(ref, 19900), agg.secret); st != 200 {
			t.Fatalf("replay: %d %s", st, b)
		}
		if p := teamPlan(t, s, tok); p["paid_until"] != paidUntil {
			t.Fatalf("a replay moved paid-until from %v to %v", paidUntil, p["paid_until"])
		}
		b, _ := apiDo(t, "GET", s.URL+"/api/v1/team/orders", tok, nil, nil)
		if strings.Count(string(b), `"status":"paid"`) != 1 {
			t.Fatalf("orders %s, want one paid", b)
		}
	})

	t.Run("NoCardData", func(t *testing.T) {
		mustNotStorePlain(t, s, maskedCard)
		mustNotStorePlain(t, s, "4321")
		mustNotStorePlain(t, s, "某某银行")
		if log := s.Log.String(); strings.Contains(log, "4321") || strings.Contains(log, "13800138300") {
			t.Fatal("the log holds a card or phone number")
		}
	})

	t.Run("AnotherTeamsOrderNotFound", func(t *testing.T) {
		other := s.mustFeedTeam(t, "销售二部")
		_, otok, err := s.Auth.CreateMember(ctx, "13800138400", "", other, beifen.RoleAdmin)
		if err != nil {
			t.Fatal(err)
		}
		if b, st := apiDo(t, "GET", s.URL+"/api/v1/team/orders/"+strconv.FormatInt(orderID, 10), otok, nil, nil); st != http.StatusNotFound || strings.Contains(string(b), "standard") {
			t.Fatalf("another team's order: %d %s, want 404", st, b)
		}
		if b, st := apiDo(t, "GET", s.URL+"/api/v1/team/orders/"+strconv.FormatInt(orderID, 10), tok, nil, nil); st != 200 || !strings.Contains(string(b), `"paid"`) {
			t.Fatalf("own order: %d %s", st, b)
		}
	})
}
