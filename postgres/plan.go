package postgres

import (
	"context"
	"database/sql"
	"errors"

	"github.com/beifen/beifen"
)

// PlanService stores teams' plans and orders in PostgreSQL.
type PlanService struct{ db *DB }

var _ beifen.PlanService = (*PlanService)(nil)

// NewPlanService returns a PlanService on db.
func NewPlanService(db *DB) *PlanService { return &PlanService{db: db} }

// FindTeamPlan returns a team's plan with its member and customer counts.
func (s *PlanService) FindTeamPlan(ctx context.Context, teamID int64) (*beifen.TeamPlan, error) {
	tp := &beifen.TeamPlan{TeamID: teamID, Plan: beifen.FreePlan}
	var plan sql.NullString
	var until sql.NullTime
	err := s.db.pool.QueryRowContext(ctx, `
		SELECT
			(SELECT plan FROM team_plans WHERE team_id = $1),
			(SELECT paid_until FROM team_plans WHERE team_id = $2),
			(SELECT COUNT(*) FROM users WHERE team_id = $3),
			(SELECT COUNT(*) FROM leads WHERE team_id = $4),
			(SELECT COALESCE(SUM(size), 0) FROM recordings WHERE team_id = $5)`, teamID, teamID, teamID, teamID, teamID,
	).Scan(&plan, &until, &tp.Members, &tp.Customers, &tp.RecordingBytes)
	if err != nil {
		return nil, FormatError(err)
	}
	if plan.Valid {
		tp.Plan, tp.PaidUntil = plan.String, until.Time.UTC()
	}
	return tp, nil
}

// CreateOrder stores a pending order and sets its ID and CreatedAt.
func (s *PlanService) CreateOrder(ctx context.Context, o *beifen.Order) error {
	o.CreatedAt, o.Status = s.db.now(), beifen.OrderPending
	err := s.db.pool.QueryRowContext(ctx, `
		INSERT INTO payments (
			team_id,
			user_id,
			plan,
			amount_fen,
			status,
			created_at
		) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		o.TeamID, o.UserID, o.Plan, o.AmountFen, o.Status, o.CreatedAt,
	).Scan(&o.ID)
	return FormatError(err)
}

// SetOrderRef records the provider's reference of an order.
func (s *PlanService) SetOrderRef(ctx context.Context, id int64, ref string) error {
	res, err := s.db.pool.ExecContext(ctx, `UPDATE payments SET provider_ref = $1 WHERE id = $2`, ref, id)
	if err != nil {
		return FormatError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return beifen.Errorf(beifen.ENOTFOUND, "Order not found.")
	}
	return nil
}

// FindOrderByID returns ENOTFOUND for another team's order.
func (s *PlanService) FindOrderByID(ctx context.Context, teamID, id int64) (*beifen.Order, error) {
	list, err := findOrders(ctx, s.db.pool, `WHERE team_id = $1 AND id = $2`, teamID, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "Order not found.")
	}
	return list[0], nil
}

// FindOrders returns a team's orders, newest first.
func (s *PlanService) FindOrders(ctx context.Context, teamID int64) ([]*beifen.Order, error) {
	return findOrders(ctx, s.db.pool, `WHERE team_id = $1`, teamID)
}

// PayOrder marks a pending order paid and extends its team's plan.
func (s *PlanService) PayOrder(ctx context.Context, id, amountFen int64) (*beifen.Order, bool, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, false, err
	}
	defer tx.Rollback()
	list, err := findOrders(ctx, tx, `WHERE id = $1`, id)
	if err != nil {
		return nil, false, err
	}
	if len(list) == 0 {
		return nil, false, beifen.Errorf(beifen.ENOTFOUND, "Order not found.")
	}
	o := list[0]
	if o.Status == beifen.OrderPaid {
		return o, false, nil
	}
	if o.AmountFen != amountFen {
		return nil, false, beifen.Errorf(beifen.EINVALID, "The amount paid is not the order's.")
	}
	if err := payOrder(ctx, tx, o); err == errPaid {
		return o, false, nil
	} else if err != nil {
		return nil, false, err
	}
	return o, true, FormatError(tx.Commit())
}

// payOrder marks o paid and sets its team's plan until a period after the later of now and the
// end of the period already paid for the same plan.
func payOrder(ctx context.Context, tx *Tx, o *beifen.Order) error {
	start := tx.now
	var plan sql.NullString
	var until sql.NullTime
	err := tx.QueryRowContext(ctx, `SELECT plan, paid_until FROM team_plans WHERE team_id = $1`, o.TeamID).Scan(&plan, &until)
	if err != nil && err != sql.ErrNoRows {
		return FormatError(err)
	}
	if t := until.Time; plan.String == o.Plan && t.After(start) {
		start = t
	}
	o.Status, o.PaidAt = beifen.OrderPaid, &tx.now
	// Only a pending order is paid: of two replays racing, one changes nothing.
	res, err := tx.ExecContext(ctx, `UPDATE payments SET status = $1, paid_at = $2 WHERE id = $3 AND status = $4`,
		o.Status, tx.now, o.ID, beifen.OrderPending)
	if err != nil {
		return FormatError(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errPaid
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO team_plans (team_id, plan, paid_until) VALUES ($1, $2, $3)
		ON CONFLICT (team_id) DO UPDATE SET plan = excluded.plan, paid_until = excluded.paid_until`,
		o.TeamID, o.Plan, start.Add(beifen.PlanPeriod))
	return FormatError(err)
}

// errPaid: another notification paid the order first.
var errPaid = errors.New("order already paid")

func findOrders(ctx context.Context, q queryer, where string, args ...any) ([]*beifen.Order, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT
			id,
			team_id,
			user_id,
			plan,
			amount_fen,
			status,
			provider_ref,
			created_at,
			paid_at
		FROM payments `+where+` ORDER BY id DESC LIMIT 100`, args...)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	var list []*beifen.Order
	for rows.Next() {
		var o beifen.Order
		var created, paid sql.NullTime
		if err := rows.Scan(&o.ID, &o.TeamID, &o.UserID, &o.Plan, &o.AmountFen, &o.Status, &o.ProviderRef, &created, &paid); err != nil {
			return nil, FormatError(err)
		}
		o.CreatedAt = parseTime(created)
		if paid.Valid {
			t := parseTime(paid)
			o.PaidAt = &t
		}
		list = append(list, &o)
	}
	return list, FormatError(rows.Err())
}
