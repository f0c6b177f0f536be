package beifen

import (
	"context"
	"net/http"
	"time"
)

// Plan is what a team pays for (clause 3.1.2d): the most members (Seats), customers and bytes
// of call recordings it may hold, and its price per period in fen. Zero means no limit.
type Plan struct {
	ID             string `json:"id"`
	PriceFen       int64  `json:"price_fen"`
	Seats          int    `json:"seats"`
	Customers      int    `json:"customers"`
	RecordingBytes int64  `json:"recording_bytes"`
}

// FreePlan is the plan of a team that never paid, or whose paid period ended.
const FreePlan = "free"

// PlanPeriod is how long one payment keeps a plan.
const PlanPeriod = 31 * 24 * time.Hour

// Plans are the plans on offer, cheapest first.
var Plans = []Plan{
	{ID: FreePlan, Seats: 3, Customers: 200, RecordingBytes: 1 << 30},
	{ID: "standard", PriceFen: 19900, Seats: 20, Customers: 5000, RecordingBytes: 100 << 30},
	{ID: "pro", PriceFen: 59900, Seats: 100, Customers: 50000},
}

// FindPlan returns the plan with id. Returns EINVALID for an unknown plan.
func FindPlan(id string) (Plan, error) {
	for _, p := range Plans {
		if p.ID == id {
			return p, nil
		}
	}
	return Plan{}, Errorf(EINVALID, "Unknown plan.")
}

// TeamPlan is a team's plan, until when it is paid, and what the team uses of its quotas.
type TeamPlan struct {
	TeamID    int64     `json:"-"`
	Plan      string    `json:"plan"`
	PaidUntil time.Time `json:"paid_until"`
	Members   int       `json:"members"`
	Customers int       `json:"customers"`
	// RecordingBytes is the size of the team's call recordings.
	RecordingBytes int64 `json:"recording_bytes"`
}

// Current returns the plan in force at now: the free plan once the paid period has ended. A
// downgrade deletes nothing; it only blocks new additions beyond the quotas.
func (tp *TeamPlan) Current(now time.Time) Plan {
	if tp.Plan != FreePlan && now.Before(tp.PaidUntil) {
		if p, err := FindPlan(tp.Plan); err == nil {
			return p
		}
	}
	p, _ := FindPlan(FreePlan)
	return p
}

// CheckSeats returns EFORBIDDEN if one more member would exceed the plan in force.
func (tp *TeamPlan) CheckSeats(now time.Time) error {
	if p := tp.Current(now); p.Seats > 0 && tp.Members >= p.Seats {
		return Errorf(EFORBIDDEN, "Your plan allows %d members; upgrade to add more.", p.Seats)
	}
	return nil
}

// CheckCustomers returns EFORBIDDEN if adding customers would exceed the plan in force.
func (tp *TeamPlan) CheckCustomers(now time.Time, adding int) error {
	if p := tp.Current(now); p.Customers > 0 && tp.Customers+adding > p.Customers {
		return Errorf(EFORBIDDEN, "Your plan allows %d customers; upgrade to add more.", p.Customers)
	}
	return nil
}

// CheckRecording returns EFORBIDDEN if a recording of size bytes would exceed the plan in force.
func (tp *TeamPlan) CheckRecording(now time.Time, size int64) error {
	if p := tp.Current(now); p.RecordingBytes > 0 && tp.RecordingBytes+max(size, 0) > p.RecordingBytes {
		return Errorf(EFORBIDDEN, "Your plan allows %d GB of call recordings; upgrade to add more.", p.RecordingBytes>>30)
	}
	return nil
}

// Order statuses.
const (
	OrderPending = "pending"
	OrderPaid    = "paid"
)

// Order is one upgrade a team admin started. beifen keeps only the plan, the amount, the status
// and the payment provider's reference: never card or bank data, which only the provider sees.
type Order struct {
	ID          int64      `json:"id"`
	TeamID      int64      `json:"-"`
	UserID      int64      `json:"-"`
	Plan        string     `json:"plan"`
	AmountFen   int64      `json:"amount_fen"`
	Status      string     `json:"status"`
	ProviderRef string     `json:"provider_ref,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	PaidAt      *time.Time `json:"paid_at,omitempty"`
}

// PaymentEvent is what a provider's verified server-to-server notification says about an order.
type PaymentEvent struct {
	OrderID     int64
	ProviderRef string
	AmountFen   int64
	Paid        bool
}

// PaymentProvider is a third-party payment institution (clause 3.1.2d): it takes the payment on
// its own page and tells beifen the outcome.
type PaymentProvider interface {
	// CreateCheckout opens a payment of o at the provider and returns the page to send the
	// payer to and the provider's reference. Returns EFORBIDDEN if payments are not configured.
	CreateCheckout(ctx context.Context, o *Order) (payURL, providerRef string, err error)

	// VerifyNotification reads the provider's signed callback. Returns EUNAUTHORIZED if the
	// signature is not the provider's, EINVALID if the body cannot be read.
	VerifyNotification(r *http.Request) (*PaymentEvent, error)
}

// PlanService stores teams' plans and orders.
type PlanService interface {
	// FindTeamPlan returns a team's plan (the free plan if it never paid) with its member and
	// customer counts.
	FindTeamPlan(ctx context.Context, teamID int64) (*TeamPlan, error)

	// CreateOrder stores a pending order and sets its ID and CreatedAt.
	CreateOrder(ctx context.Context, o *Order) error

	// SetOrderRef records the provider's reference of an order. Returns ENOTFOUND if there is none.
	SetOrderRef(ctx context.Context, id int64, ref string) error

	// FindOrderByID returns one of a team's orders. Returns ENOTFOUND if there is no such order
	// or it is another team's.
	FindOrderByID(ctx context.Context, teamID, id int64) (*Order, error)

	// FindOrders returns a team's orders, newest first.
	FindOrders(ctx context.Context, teamID int64) ([]*Order, error)

	// PayOrder marks a pending order paid and extends its team's plan by PlanPeriod, at once.
	// It returns the order and whether it changed anything: an order already paid changes
	// nothing (a replayed notification). Returns ENOTFOUND if there is no such order and
	// EINVALID if amountFen is not the order's.
	PayOrder(ctx context.Context, id, amountFen int64) (*Order, bool, error)
}
