package postgres

import (
	"context"
	"database/sql"
	"time"

	"github.com/beifen/beifen"
)

// TaskService stores dial tasks in PostgreSQL. A claim is one statement that locks the lead it
// picks and skips leads other callers hold locked, so replicas sharing the database never hand
// out a lead twice and never wait on one another.
type TaskService struct{ db *DB }

var _ beifen.TaskService = (*TaskService)(nil)

// NewTaskService returns a TaskService on db.
func NewTaskService(db *DB) *TaskService { return &TaskService{db: db} }

// CreateTask creates a task over the team's leads and sets its ID.
func (s *TaskService) CreateTask(ctx context.Context, t *beifen.Task, leadIDs []int64) error {
	tid, err := teamID(ctx)
	if err != nil {
		return err
	}
	if err := t.Validate(); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	t.TeamID, t.CreatedAt, t.Leads = tid, tx.now, len(leadIDs)
	err = tx.QueryRowContext(ctx, `
		INSERT INTO tasks (
			team_id,
			name,
			window_start,
			window_end,
			retry_delay,
			max_attempts,
			lease,
			created_at
		) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		tid, t.Name, t.WindowStart, t.WindowEnd, int64(t.RetryDelay/time.Second), t.MaxAttempts,
		int64(t.Lease/time.Second), tx.now,
	).Scan(&t.ID)
	if err != nil {
		return FormatError(err)
	}
	if err := addTaskStaff(ctx, tx, tid, t.ID, t.Staff); err != nil {
		return err
	}
	if err := addTaskLeads(ctx, tx, tid, t.ID, leadIDs); err != nil {
		return err
	}
	return tx.Commit()
}

// addTaskStaff lists who may call the task; users outside the team are left out.
func addTaskStaff(ctx context.Context, tx *Tx, tid, taskID int64, staff []int64) error {
	if len(staff) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO task_staff (task_id, user_id)
		SELECT $1, id FROM users WHERE team_id = $2 AND id = ANY($3)`, taskID, tid, staff)
	return FormatError(err)
}

// addTaskLeads adds the leads to the task, due at once; EINVALID if one is not the team's.
func addTaskLeads(ctx context.Context, tx *Tx, tid, taskID int64, leadIDs []int64) error {
	for i := 0; i < len(leadIDs); i += batchSize {
		batch := leadIDs[i:min(i+batchSize, len(leadIDs))]
		res, err := tx.ExecContext(ctx, `INSERT INTO task_leads (task_id, lead_id, state, due_at)
			SELECT $1, id, 'pending', '-infinity' FROM leads WHERE team_id = $2 AND id = ANY($3)`,
			taskID, tid, batch)
		if err != nil {
			return FormatError(err)
		}
		if n, _ := res.RowsAffected(); n != int64(len(batch)) {
			return beifen.Errorf(beifen.EINVALID, "The task refers to leads the team does not have.")
		}
	}
	return nil
}

// FindTaskByID returns ENOTFOUND if there is no such task in the team.
func (s *TaskService) FindTaskByID(ctx context.Context, id int64) (*beifen.Task, error) {
	t, err := findTask(ctx, s.db.pool, id)
	if err != nil {
		return nil, err
	}
	err = s.db.pool.QueryRowContext(ctx, `SELECT COUNT(*) FROM task_leads WHERE task_id = $1`, t.ID).Scan(&t.Leads)
	if err != nil {
		return nil, FormatError(err)
	}
	t.Staff, err = taskStaff(ctx, s.db.pool, t.ID)
	return t, err
}

// findTask returns the task's settings, without its staff and lead count, for the team of ctx.
func findTask(ctx context.Context, q queryer, id int64) (*beifen.Task, error) {
	tid, err := teamID(ctx)
	if err != nil {
		return nil, err
	}
	var t beifen.Task
	var retry, lease int64
	var created sql.NullTime
	err = q.QueryRowContext(ctx, `
		SELECT
			id,
			team_id,
			name,
			window_start,
			window_end,
			retry_delay,
			max_attempts,
			lease,
			created_at
		FROM tasks WHERE id = $1 AND team_id = $2`, id, tid,
	).Scan(&t.ID, &t.TeamID, &t.Name, &t.WindowStart, &t.WindowEnd, &retry, &t.MaxAttempts, &lease, &created)
	if err == sql.ErrNoRows {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "Task not found.")
	} else if err != nil {
		return nil, FormatError(err)
	}
	t.RetryDelay, t.Lease = time.Duration(retry)*time.Second, time.Duration(lease)*time.Second
	t.CreatedAt = parseTime(created)
	return &t, nil
}

func taskStaff(ctx context.Context, q queryer, taskID int64) ([]int64, error) {
	return queryIDs(ctx, q, `SELECT user_id FROM task_staff WHERE task_id = $1 ORDER BY user_id`, taskID)
}

// claimLead picks and leases the next lead in one statement. The ORDER BY keeps the priority of
// TaskService.ClaimLead: a callback kept for the caller ($2), a pending lead whose time has come,
// a lead whose lease ran out. FOR UPDATE SKIP LOCKED makes concurrent claimers pass over a row
// another one is taking; READ COMMITTED rechecks the WHERE on the row's newest version once it
// is locked, so a lead just claimed elsewhere is skipped rather than handed out again.
const claimLead = `
	UPDATE task_leads SET state = 'assigned', staff_id = $2, due_at = $4
	WHERE (task_id, lead_id) = (
		SELECT task_id, lead_id FROM task_leads
		WHERE task_id = $1 AND due_at <= $3
			AND ((state = 'pending' AND (staff_id IS NULL OR staff_id = $2)) OR state = 'assigned')
			AND NOT EXISTS (SELECT 1 FROM leads AS l JOIN dnc AS d
				ON d.team_id = l.team_id AND d.phone_hash = l.phone_hash WHERE l.id = task_leads.lead_id)
		ORDER BY
			(state = 'pending' AND staff_id IS NOT DISTINCT FROM $2) DESC,
			(state = 'pending') DESC,
			due_at,
			lead_id
		LIMIT 1
		FOR UPDATE SKIP LOCKED
	)
	RETURNING lead_id`

// ClaimLead hands the caller the next lead of the task, exactly once.
func (s *TaskService) ClaimLead(ctx context.Context, taskID int64, now time.Time) (int64, error) {
	t, err := findTask(ctx, s.db.pool, taskID)
	if err != nil {
		return 0, err
	}
	uid, _ := userID(ctx)
	var leadID int64
	err = s.db.pool.QueryRowContext(ctx, claimLead, taskID, uid, now, now.Add(t.Lease)).Scan(&leadID)
	if err == sql.ErrNoRows {
		return 0, nil
	} else if err != nil {
		return 0, FormatError(err)
	}
	return leadID, nil
}

// LogCall records a call and settles the lead.
func (s *TaskService) LogCall(ctx context.Context, taskID, leadID int64, c *beifen.CallLog, now time.Time) error {
	t, err := findTask(ctx, s.db.pool, taskID)
	if err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	uid, _ := userID(ctx)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// The row lock keeps a claim of an expired lease from taking the lead while it settles.
	var attempts int
	err = tx.QueryRowContext(ctx, `SELECT attempts FROM task_leads
		WHERE task_id = $1 AND lead_id = $2 AND state = 'assigned' AND staff_id = $3
		FOR UPDATE`, taskID, leadID, uid).Scan(&attempts)
	if err == sql.ErrNoRows {
		return beifen.Errorf(beifen.ENOTFOUND, "You do not hold this lead of the task.")
	} else if err != nil {
		return FormatError(err)
	}
	if err := insertTaskCall(ctx, tx, taskID, leadID, uid, c, now); err != nil {
		return err
	}
	state, staff, due, attempts := beifen.SettleLead(t, c, uid, attempts, now)
	if _, err := tx.ExecContext(ctx, `UPDATE task_leads SET state = $1, staff_id = $2, due_at = $3, attempts = $4, outcome = $5
		WHERE task_id = $6 AND lead_id = $7`, state, nullID(staff), due, attempts, string(c.Outcome),
		taskID, leadID); err != nil {
		return FormatError(err)
	}
	// Any call by the owner is a follow-up; a connected lead becomes the caller's customer while
	// they hold fewer than the team's limit.
	if _, err := tx.ExecContext(ctx, `UPDATE leads SET followed_at = $1 WHERE id = $2 AND owner_id = $3`,
		now, leadID, uid); err != nil {
		return FormatError(err)
	}
	if c.Outcome == beifen.OutcomeConnected {
		if _, err := tx.ExecContext(ctx, `UPDATE leads SET owner_id = $1, followed_at = $2
			WHERE id = $3 AND team_id = $4 AND owner_id IS NULL
				AND ((SELECT max_customers FROM teams WHERE id = $4) = 0
					OR (SELECT COUNT(*) FROM leads WHERE team_id = $4 AND owner_id = $1) < (SELECT max_customers FROM teams WHERE id = $4))`,
			uid, now, leadID, t.TeamID); err != nil {
			return FormatError(err)
		}
	}
	return tx.Commit()
}

func insertTaskCall(ctx context.Context, tx *Tx, taskID, leadID, uid int64, c *beifen.CallLog, now time.Time) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO task_calls (
			task_id,
			lead_id,
			staff_id,
			outcome,
			intent,
			note,
			next_follow,
			talk_seconds,
			text_sent,
			created_at
		) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		taskID, leadID, uid, string(c.Outcome), c.Intent, c.SealedNote, nullTime(c.NextFollow), c.TalkSeconds,
		boolInt(c.TextSent), now)
	return FormatError(err)
}

// ScanTaskCalls calls fn for each logged call of the task, in time order.
func (s *TaskService) ScanTaskCalls(ctx context.Context, taskID int64, fn func(*beifen.TaskCall) error) error {
	if _, err := s.FindTaskByID(ctx, taskID); err != nil {
		return err
	}
	rows, err := s.db.pool.QueryContext(ctx, `
		SELECT
			id,
			lead_id,
			staff_id,
			outcome,
			intent,
			talk_seconds,
			text_sent,
			created_at
		FROM task_calls WHERE task_id = $1 ORDER BY created_at, id`, taskID)
	if err != nil {
		return FormatError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var c beifen.TaskCall
		var staff sql.NullInt64
		var outcome string
		var created sql.NullTime
		if err := rows.Scan(&c.ID, &c.LeadID, &staff, &outcome, &c.Intent, &c.TalkSeconds, &c.TextSent, &created); err != nil {
			return err
		}
		c.StaffID, c.Outcome, c.CreatedAt = staff.Int64, beifen.Outcome(outcome), parseTime(created)
		if err := fn(&c); err != nil {
			return err
		}
	}
	return rows.Err()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ScanTaskReviews calls fn for each review of a recording of one of the task's leads.
func (s *TaskService) ScanTaskReviews(ctx context.Context, taskID int64, fn func(*beifen.TaskReview) error) error {
	if _, err := s.FindTaskByID(ctx, taskID); err != nil {
		return err
	}
	rows, err := s.db.pool.QueryContext(ctx, `
		SELECT r.staff_id, v.score, r.started_at
		FROM reviews AS v
		JOIN recordings AS r ON r.id = v.recording_id
		JOIN task_leads AS tl ON tl.lead_id = r.lead_id AND tl.task_id = $1
		ORDER BY r.started_at`, taskID)
	if err != nil {
		return FormatError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var v beifen.TaskReview
		var at sql.NullTime
		if err := rows.Scan(&v.StaffID, &v.Score, &at); err != nil {
			return err
		}
		v.At = parseTime(at)
		if err := fn(&v); err != nil {
			return err
		}
	}
	return rows.Err()
}

// FindTasks returns the team's newest tasks (at most 100), newest first.
func (s *TaskService) FindTasks(ctx context.Context) ([]*beifen.Task, error) {
	tid, err := teamID(ctx)
	if err != nil {
		return nil, err
	}
	ids, err := queryIDs(ctx, s.db.pool, `SELECT id FROM tasks WHERE team_id = $1 ORDER BY id DESC LIMIT 100`, tid)
	if err != nil {
		return nil, err
	}
	out := make([]*beifen.Task, 0, len(ids))
	for _, id := range ids {
		t, err := s.FindTaskByID(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// FindCallbacks returns the callbacks reserved for the context user, soonest first.
func (s *TaskService) FindCallbacks(ctx context.Context) ([]*beifen.Callback, error) {
	tid, err := teamID(ctx)
	if err != nil {
		return nil, err
	}
	uid, err := userID(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.pool.QueryContext(ctx, `
		SELECT tl.task_id, tl.lead_id, tl.due_at
		FROM task_leads AS tl JOIN tasks AS t ON t.id = tl.task_id
		WHERE t.team_id = $1 AND tl.state = 'pending' AND tl.staff_id = $2
		ORDER BY tl.due_at, tl.lead_id LIMIT 200`, tid, uid)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	out := []*beifen.Callback{}
	for rows.Next() {
		c := &beifen.Callback{}
		var due sql.NullTime
		if err := rows.Scan(&c.TaskID, &c.LeadID, &due); err != nil {
			return nil, err
		}
		c.DueAt = parseTime(due)
		out = append(out, c)
	}
	return out, rows.Err()
}
