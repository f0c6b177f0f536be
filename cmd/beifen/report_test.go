package main_test

import (
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/beifen/beifen"
	beifenhttp "github.com/beifen/beifen/http"
)

// TestPolicy_9_storage_write_ReportToExcel: a task's report exported as .xlsx and opened by a
// real office suite (LibreOffice, headless, converted to CSV) shows the same figures as the API.
func TestPolicy_9_storage_write_ReportToExcel(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("REQUIRE_OFFICE") == "1" {
			t.Fatal("soffice not found, but REQUIRE_OFFICE=1")
		}
		t.Skip("LibreOffice (soffice) not installed")
	}
	s := MustRunMain(t, "")
	team, admin := mustTeam(t, s, beifen.RoleAdmin, "13911110000")
	mustImport(t, admin, mustLeadFile(t, 6))
	ctx := context.Background()
	var staff []*beifenhttp.Client
	for i, name := range []string{"王芳", "刘强"} {
		_, tok, err := s.Auth.CreateMember(ctx, "1370000000"+strconv.Itoa(i), name, team, beifen.RoleStaff)
		if err != nil {
			t.Fatal(err)
		}
		staff = append(staff, beifenhttp.NewClient(s.URL, tok))
	}
	boss := beifenhttp.NewClient(s.URL, admin["BEIFEN_TOKEN"])
	s.CRM.SMS = &smsRecorder{}
	if err := boss.PutTemplate(ctx, &beifen.SMSTemplate{Outcome: beifen.OutcomeConnected, Body: "{name}您好"}); err != nil {
		t.Fatal(err)
	}
	task := lastInt(t, mustCLI(t, admin, "task", "create", "--name", "月度", "--window", "00:00-24:00"))
	calls := []struct {
		who int
		log beifen.CallLog
	}{
		{0, beifen.CallLog{Outcome: beifen.OutcomeConnected, Intent: "A", TalkSeconds: 60}},
		{0, beifen.CallLog{Outcome: beifen.OutcomeConnected, Intent: "B", TalkSeconds: 121}},
		{0, beifen.CallLog{Outcome: beifen.OutcomeNoAnswer}},
		{0, beifen.CallLog{Outcome: beifen.OutcomeRefused, Intent: "D"}},
		{1, beifen.CallLog{Outcome: beifen.OutcomeConnected, Intent: "A", TalkSeconds: 30}},
		{1, beifen.CallLog{Outcome: beifen.OutcomeBusy}},
	}
	for _, c := range calls {
		d, err := staff[c.who].NextLead(ctx, task)
		if err != nil || d == nil {
			t.Fatalf("next lead: %v %v", d, err)
		}
		if _, err := staff[c.who].LogOutcome(ctx, task, d.LeadID, &c.log); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := beifenhttp.NewClient(s.URL, admin["BEIFEN_TOKEN"]).ReportRows(ctx, task)
	if err != nil {
		t.Fatal(err)
	}
	total := rows[len(rows)-1]
	if total.StaffID != 0 || total.Dials != 6 || total.Connected != 3 || total.TalkSeconds != 211 || total.Intents["A"] != 2 || total.Texts != 3 {
		t.Fatalf("task total %+v", total)
	}
	dir := t.TempDir()
	xlsxPath := filepath.Join(dir, "report.xlsx")
	mustCLI(t, admin, "report", "--task", strconv.FormatInt(task, 10), "--out", xlsxPath)
	if _, err := runCLI(t, clientEnv(s, staff[0].Token), "report", "--task", strconv.FormatInt(task, 10), "--out", filepath.Join(dir, "x.csv")); err == nil {
		t.Fatal("a staff member downloaded the report")
	}
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "lo-profile"),
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", dir, xlsxPath)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	done := make(chan error, 1)
	go func() {
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Log(string(out))
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("soffice: %v", err)
		}
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatal("soffice took over two minutes")
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.csv"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(rows)+1 {
		t.Fatalf("LibreOffice shows %d rows, the API %d (+ header)", len(got), len(rows))
	}
	for i, r := range rows {
		cells := got[i+1]
		for j, want := range map[int]float64{2: float64(r.Dials), 3: float64(r.Connected), 4: r.ConnectRate,
			5: float64(r.TalkSeconds), 6: r.AvgTalk, 7: float64(r.Intents["A"]), 10: float64(r.Intents["D"]), 11: float64(r.Texts)} {
			v, err := strconv.ParseFloat(cells[j], 64)
			if err != nil || v < want-0.01 || v > want+0.01 {
				t.Fatalf("row %d column %d: LibreOffice shows %q, the API %v (row %q)", i, j, cells[j], want, cells)
			}
		}
		if cells[1] != r.Staff {
			t.Fatalf("row %d: staff %q, API %q", i, cells[1], r.Staff)
		}
	}
}
