package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/beifen/beifen"
)

// TaskService stores dial tasks in SQLite. Claims run in the single writer's transactions, so
// no two callers ever get the same lead.
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
		) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		tid, t.Name, t.WindowStart, t.WindowEnd, int64(t.RetryDelay/time.Second), t.MaxAttempts,
		int64(t.Lease/time.Second), formatTime(tx.now),
	).Scan(&t.ID)
	if err != nil {
		return FormatError(err)
	}
	for _, uid := range t.Staff {
		if _, err := tx.ExecContext(ctx, `INSERT INTO task_staff (task_id, user_id)
			SELECT ?, id FROM users WHERE id = ? AND team_id = ?`, t.ID, uid, tid); err != nil {
			return FormatError(err)
		}
	}
	if err := addTaskLeads(ctx, tx, tid, t.ID, leadIDs); err != nil {
		return err
	}
	return tx.Commit()
}

func addTaskLeads(ctx context.Context, tx *Tx, tid, taskID int64, leadIDs []int64) error {
	for i := 0; i < len(leadIDs); i += batchSize {
		batch := leadIDs[i:min(i+batchSize, len(leadIDs))]
		args := []any{taskID, formatTime(time.Time{}), tid}
		for _, id := range batch {
			args = append(args, id)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO task_leads (task_id, lead_id, state, due_at)
			SELECT ?, id, 'pending', ? FROM leads WHERE team_id = ? AND id IN (`+placeholders(len(batch))+`)`, args...)
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
	tid, err := teamID(ctx)
	if err != nil {
		return nil, err
	}
	var t beifen.Task
	var retry, lease int64
	var created sql.NullString
	err = s.db.read.QueryRowContext(ctx, `
		SELECT
			id,
			team_id,
			name,
			window_start,
			window_end,
			retry_delay,
			max_attempts,
			lease,
			created_at,
			(SELECT COUNT(*) FROM task_leads WHERE task_id = tasks.id)
		FROM tasks WHERE id = ? AND team_id = ?`, id, tid,
	).Scan(&t.ID, &t.TeamID, &t.Name, &t.WindowStart, &t.WindowEnd, &retry, &t.MaxAttempts, &lease, &created, &t.Leads)
	if err == sql.ErrNoRows {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "Task not found.")
	} else if err != nil {
		return nil, FormatError(err)
	}
	t.RetryDelay, t.Lease, t.CreatedAt = time.Duration(retry)*time.Second, time.Duration(lease)*time.Second, parseTime(created)
	t.Staff, err = taskStaff(ctx, s.db.read, t.ID)
	return &t, err
}

func taskStaff(ctx context.Context, q queryer, taskID int64) ([]int64, error) {
	return queryIDs(ctx, q, `SELECT user_id FROM task_staff WHERE task_id = ? ORDER BY user_id`, taskID)
}

// claimOrder lists where the next lead comes from, in order: a callback kept for the caller, a
// pending lead whose time has come, a lead whose lease ran out. A lead whose number is on the
// team's do-not-call list is never handed out (notDNC).
var claimOrder = []string{
	`state = 'pending' AND staff_id = ? AND due_at <= ?`,
	`state = 'pending' AND staff_id IS NULL AND due_at <= ?`,
	`state = 'assigned' AND due_at <= ?`,
}

const notDNC = ` AND NOT EXISTS (SELECT 1 FROM leads AS l JOIN dnc AS d
	ON d.team_id = l.team_id AND d.phone_hash = l.phone_hash WHERE l.id = task_leads.lead_id)`

// ClaimLead hands the caller the next lead of the task, exactly once.
func (s *TaskService) ClaimLead(ctx context.Context, taskID int64, now time.Time) (int64, error) {
	t, err := s.FindTaskByID(ctx, taskID)
	if err != nil {
		return 0, err
	}
	uid, _ := userID(ctx)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	at := formatTime(now)
	var leadID int64
	for i, where := range claimOrder {
		args := []any{taskID, at}
		if i == 0 {
			args = []any{taskID, uid, at}
		}
		err = tx.QueryRowContext(ctx, `SELECT lead_id FROM task_leads WHERE task_id = ? AND `+where+notDNC+`
			ORDER BY due_at, lead_id LIMIT 1`, args...).Scan(&leadID)
		if err == nil {
			break
		} else if err != sql.ErrNoRows {
			return 0, FormatError(err)
		}
	}
	if leadID == 0 {
		return 0, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE task_leads SET state = 'assigned', staff_id = ?, due_at = ?
		WHERE task_id = ? AND lead_id = ?`, uid, formatTime(now.Add(t.Lease)), taskID, leadID); err != nil {
		return 0, FormatError(err)
	}
	return leadID, tx.Commit()
}

// LogCall records a call and settles the lead.
func (s *TaskService) LogCall(ctx context.Context, taskID, leadID int64, c *beifen.CallLog, now time.Time) error {
	t, err := s.FindTaskByID(ctx, taskID)
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
	var attempts int
	err = tx.QueryRowContext(ctx, `SELECT attempts FROM task_leads
		WHERE task_id = ? AND lead_id = ? AND state = 'assigned' AND staff_id = ?`, taskID, leadID, uid).Scan(&attempts)
	if err == sql.ErrNoRows {
		return beifen.Errorf(beifen.ENOTFOUND, "You do not hold this lead of the task.")
	} else if err != nil {
		return FormatError(err)
	}
	if _, err := tx.ExecContext(ctx, `
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
		) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		taskID, leadID, uid, string(c.Outcome), c.Intent, c.SealedNote, nullTime(c.NextFollow), c.TalkSeconds,
		c.TextSent, formatTime(now)); err != nil {
		return FormatError(err)
	}
	state, staff, due, attempts := beifen.SettleLead(t, c, uid, attempts, now)
	if _, err := tx.ExecContext(ctx, `UPDATE task_leads SET state = ?, staff_id = ?, due_at = ?, attempts = ?, outcome = ?
		WHERE task_id = ? AND lead_id = ?`, state, nullID(staff), formatTime(due), attempts, string(c.Outcome),
		taskID, leadID); err != nil {
		return FormatError(err)
	}
	// Any call by the owner is a follow-up; a connected lead becomes the caller's customer while
	// they hold fewer than the team's limit.
	if _, err := tx.ExecContext(ctx, `UPDATE leads SET followed_at = ? WHERE id = ? AND owner_id = ?`,
		formatTime(now), leadID, uid); err != nil {
		return FormatError(err)
	}
	if c.Outcome == beifen.OutcomeConnected {
		if _, err := tx.ExecContext(ctx, `UPDATE leads SET owner_id = ?1, followed_at = ?2
			WHERE id = ?3 AND team_id = ?4 AND owner_id IS NULL
				AND ((SELECT max_customers FROM teams WHERE id = ?4) = 0
					OR (SELECT COUNT(*) FROM leads WHERE team_id = ?4 AND owner_id = ?1) < (SELECT max_customers FROM teams WHERE id = ?4))`,
			uid, formatTime(now), leadID, t.TeamID); err != nil {
			return FormatError(err)
		}
	}
	return tx.Commit()
}

// ScanTaskCalls calls fn for each logged call of the task, in time order.
func (s *TaskService) ScanTaskCalls(ctx context.Context, taskID int64, fn func(*beifen.TaskCall) error) error {
	if _, err := s.FindTaskByID(ctx, taskID); err != nil {
		return err
	}
	rows, err := s.db.read.QueryContext(ctx, `
		SELECT
			id,
			lead_id,
			staff_id,
			outcome,
			intent,
			talk_seconds,
			text_sent,
			created_at
		FROM task_calls WHERE task_id = ? ORDER BY created_at, id`, taskID)
	if err != nil {
		return FormatError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var c beifen.TaskCall
		var staff sql.NullInt64
		var outcome string
		var created sql.NullString
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

// ScanTaskReviews calls fn for each review of a recording of one of the task's leads.
func (s *TaskService) ScanTaskReviews(ctx context.Context, taskID int64, fn func(*beifen.TaskReview) error) error {
	if _, err := s.FindTaskByID(ctx, taskID); err != nil {
		return err
	}
	rows, err := s.db.read.QueryContext(ctx, `
		SELECT r.staff_id, v.score, r.started_at
		FROM reviews AS v
		JOIN recordings AS r ON r.id = v.recording_id
		JOIN task_leads AS tl ON tl.lead_id = r.lead_id AND tl.task_id = ?
		ORDER BY r.started_at`, taskID)
	if err != nil {
		return FormatError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var v beifen.TaskReview
		var at sql.NullString
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
	ids, err := queryIDs(ctx, s.db.read, `SELECT id FROM tasks WHERE team_id = ? ORDER BY id DESC LIMIT 100`, tid)
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
	rows, err := s.db.read.QueryContext(ctx, `
		SELECT tl.task_id, tl.lead_id, tl.due_at
		FROM task_leads AS tl JOIN tasks AS t ON t.id = tl.task_id
		WHERE t.team_id = ? AND tl.state = 'pending' AND tl.staff_id = ?
		ORDER BY tl.due_at, tl.lead_id LIMIT 200`, tid, uid)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	out := []*beifen.Callback{}
	for rows.Next() {
		c := &beifen.Callback{}
		var due sql.NullString
		if err := rows.Scan(&c.TaskID, &c.LeadID, &due); err != nil {
			return nil, err
		}
		c.DueAt = parseTime(due)
		out = append(out, c)
	}
	return out, rows.Err()
}
