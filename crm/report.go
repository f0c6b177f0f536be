package crm

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/xlsx"
)

// Report sums a task's calls per staff member and day (in the team's time zone), with a total
// per staff member and one for the task: dials, connected, connect rate, talk time, intent
// grades. Admins and managers only.
func (s *Service) Report(ctx context.Context, taskID int64) ([]*beifen.ReportRow, error) {
	if _, err := s.teamOf(ctx, beifen.RoleAdmin, beifen.RoleManager); err != nil {
		return nil, err
	}
	task, err := s.Store.Tasks.FindTaskByID(ctx, taskID)
	if err != nil {
		return nil, err
	}
	loc, err := s.teamZone(ctx, task.TeamID)
	if err != nil {
		return nil, err
	}
	rows := map[[2]string]*beifen.ReportRow{}
	row := func(day string, staff int64) *beifen.ReportRow {
		key := [2]string{day, strconv.FormatInt(staff, 10)}
		if rows[key] == nil {
			rows[key] = &beifen.ReportRow{Day: day, StaffID: staff}
		}
		return rows[key]
	}
	visible := map[int64]bool{}
	see := func(staff int64) bool { // a manager's report covers their group and staff in no group
		v, ok := visible[staff]
		if !ok {
			v = s.visibleStaff(ctx, staff)
			visible[staff] = v
		}
		return v
	}
	err = s.Store.Tasks.ScanTaskCalls(ctx, taskID, func(c *beifen.TaskCall) error {
		if !see(c.StaffID) {
			return nil
		}
		day := c.CreatedAt.In(loc).Format("2006-01-02")
		row(day, c.StaffID).Add(c)
		row("", c.StaffID).Add(c)
		row("", 0).Add(c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = s.Store.Tasks.ScanTaskReviews(ctx, taskID, func(v *beifen.TaskReview) error {
		if !see(v.StaffID) {
			return nil
		}
		day := v.At.In(loc).Format("2006-01-02")
		row(day, v.StaffID).AddReview(v.Score)
		row("", v.StaffID).AddReview(v.Score)
		row("", 0).AddReview(v.Score)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.sortedRows(ctx, rows), nil
}

// sortedRows orders a report: each staff member's days then their total, the task total last.
func (s *Service) sortedRows(ctx context.Context, rows map[[2]string]*beifen.ReportRow) []*beifen.ReportRow {
	out := make([]*beifen.ReportRow, 0, len(rows))
	for _, r := range rows {
		r.Staff = s.staffName(ctx, r.StaffID)
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if (a.StaffID == 0) != (b.StaffID == 0) {
			return b.StaffID == 0
		}
		if a.StaffID != b.StaffID {
			return a.StaffID < b.StaffID
		}
		return a.Day != "" && (b.Day == "" || a.Day < b.Day)
	})
	return out
}

// staffName is the name a report shows for a staff member: the profile name, else the masked
// number; "合计 Total" for the task's total.
func (s *Service) staffName(ctx context.Context, id int64) string {
	if id == 0 {
		return "合计 Total"
	}
	u, err := s.Store.Users.FindUserByID(ctx, id)
	if err != nil || s.Profile == nil || s.Profile(u) != nil {
		return "#" + strconv.FormatInt(id, 10)
	}
	if u.Name != "" {
		return u.Name
	}
	return maskPhone(u.Phone)
}

func (s *Service) teamZone(ctx context.Context, teamID int64) (*time.Location, error) {
	t, err := s.Store.Teams.FindTeamByID(ctx, teamID)
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(t.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("team %d time zone: %w", teamID, err)
	}
	return loc, nil
}

// ReportHeader is the header row of a report, in Chinese and English.
var ReportHeader = []string{"日期 Day", "员工 Staff", "拨打 Dials", "接通 Connected", "接通率 Connect rate",
	"通话时长(秒) Talk s", "平均时长(秒) Avg talk s", "A", "B", "C", "D", "短信 Texts", "质检数 Reviews", "质检均分 QA score"}

// ReportRecord is a report row as cells, in ReportHeader's order.
func ReportRecord(r *beifen.ReportRow) []string {
	day := r.Day
	if day == "" {
		day = "合计 Total"
	}
	return []string{day, r.Staff, strconv.Itoa(r.Dials), strconv.Itoa(r.Connected),
		strconv.FormatFloat(r.ConnectRate, 'f', 4, 64), strconv.Itoa(r.TalkSeconds),
		strconv.FormatFloat(r.AvgTalk, 'f', 1, 64), strconv.Itoa(r.Intents["A"]), strconv.Itoa(r.Intents["B"]),
		strconv.Itoa(r.Intents["C"]), strconv.Itoa(r.Intents["D"]), strconv.Itoa(r.Texts), strconv.Itoa(r.Reviews),
		strconv.FormatFloat(r.QAScore, 'f', 1, 64)}
}

// WriteReportCSV writes a report as CSV (UTF-8 with a byte order mark, so Excel reads it).
func WriteReportCSV(w io.Writer, rows []*beifen.ReportRow) error {
	io.WriteString(w, "\ufeff")
	cw := csv.NewWriter(w)
	cw.Write(ReportHeader)
	for _, r := range rows {
		cw.Write(ReportRecord(r))
	}
	cw.Flush()
	return cw.Error()
}

// ReportRows turns report rows into spreadsheet cells, numbers as numbers.
func ReportRows(rows []*beifen.ReportRow) func(add func([]any) error) error {
	return func(add func([]any) error) error {
		for _, r := range rows {
			rec := ReportRecord(r)
			cells := []any{rec[0], rec[1], r.Dials, r.Connected, r.ConnectRate, r.TalkSeconds, r.AvgTalk,
				r.Intents["A"], r.Intents["B"], r.Intents["C"], r.Intents["D"], r.Texts, r.Reviews, r.QAScore}
			if err := add(cells); err != nil {
				return err
			}
		}
		return nil
	}
}

// DetailHeader is the header of a report's sheet of calls.
var DetailHeader = []string{"时间 Time", "员工 Staff", "线索 Lead", "结果 Outcome", "意向 Intent", "通话(秒) Talk s"}

// DetailRows streams a task's calls as spreadsheet cells.
func (s *Service) DetailRows(ctx context.Context, taskID int64) (func(add func([]any) error) error, error) {
	if _, err := s.teamOf(ctx, beifen.RoleAdmin, beifen.RoleManager); err != nil {
		return nil, err
	}
	task, err := s.Store.Tasks.FindTaskByID(ctx, taskID)
	if err != nil {
		return nil, err
	}
	loc, err := s.teamZone(ctx, task.TeamID)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	return func(add func([]any) error) error {
		return s.Store.Tasks.ScanTaskCalls(ctx, taskID, func(c *beifen.TaskCall) error {
			if _, ok := names[c.StaffID]; !ok {
				names[c.StaffID] = s.staffName(ctx, c.StaffID)
			}
			return add([]any{c.CreatedAt.In(loc).Format("2006-01-02 15:04:05"), names[c.StaffID], c.LeadID,
				string(c.Outcome), c.Intent, c.TalkSeconds})
		})
	}, nil
}

// ReportCSV writes a task's report as CSV.
func (s *Service) ReportCSV(ctx context.Context, taskID int64, w io.Writer) error {
	rows, err := s.Report(ctx, taskID)
	if err != nil {
		return err
	}
	if err := s.audit(ctx, "report.export", "task:"+itoa(taskID)); err != nil {
		return err
	}
	return WriteReportCSV(w, rows)
}

// ReportXLSX writes a task's report as an .xlsx workbook: a summary sheet and a sheet of every
// call, streamed.
func (s *Service) ReportXLSX(ctx context.Context, taskID int64, w io.Writer) error {
	rows, err := s.Report(ctx, taskID)
	if err != nil {
		return err
	}
	detail, err := s.DetailRows(ctx, taskID)
	if err != nil {
		return err
	}
	if err := s.audit(ctx, "report.export", "task:"+itoa(taskID)); err != nil {
		return err
	}
	return xlsx.WriteReport(w, s.TempDir, xlsx.Sheet{Name: "汇总 Summary", Header: ReportHeader, Rows: ReportRows(rows)},
		xlsx.Sheet{Name: "明细 Detail", Header: DetailHeader, Rows: detail})
}
