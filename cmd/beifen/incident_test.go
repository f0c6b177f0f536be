package main_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/support"
)

// TestPolicy_5f_IncidentsNotifiedAndReported: an operator records a security incident; every
// affected account (all of them, or one team's members) is texted a notice that names no one and
// finds it in its privacy centre; the regulator's report counts the affected and the notified and
// names no one. No one but an operator can record, notify or report.
func TestPolicy_5f_IncidentsNotifiedAndReported(t *testing.T) {
	s := MustRunMain(t, "")
	s.Config.Operators = []string{"13600136000"}
	texts := &smsRecorder{}
	s.Auth.SMS, s.Support.SMS = texts, texts
	person := s.mustUIUser(t, "13800138061")
	team, env := mustTeam(t, s, beifen.RoleStaff, "13911113333")
	member := &uiClient{tb: t, base: s.URL, token: env["BEIFEN_TOKEN"], lang: "zh-CN"}
	member.post("/welcome", url.Values{"version": {"1"}})
	op := s.mustUIUser(t, "13600136000")

	if resp := person.post("/ops/incidents", url.Values{"title": {"x"}, "body": {"y"}, "detected_at": {"2026-11-29T08:00"}}); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("a user recorded an incident: %d", resp.StatusCode)
	}
	record := func(title, team string) int64 {
		t.Helper()
		resp := op.post("/ops/incidents", url.Values{"title": {title}, "body": {"备份服务器的一块磁盘在维修时遗失。磁盘上的数据已加密，密钥不在其中。请留意可疑短信。"},
			"detected_at": {time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02T15:04")}, "team": {team}, "severity": {"larger"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("record: %d %s", resp.StatusCode, body(resp))
		}
		list, err := s.Support.Incidents(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		return list[0].ID
	}
	all := record("备份磁盘遗失", "")
	// A "larger" incident must reach the regulator within four hours: the console counts down.
	if page := body(op.get("/ops")); !strings.Contains(page, "须在") || !strings.Contains(page, "较大") {
		t.Fatal("the console does not show the regulator deadline")
	}
	if resp := person.post("/ops/incidents/"+itoa(all)+"/notify", nil); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("a user sent notices: %d", resp.StatusCode)
	}
	if resp := op.post("/ops/incidents/"+itoa(all)+"/notify", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("notify: %d %s", resp.StatusCode, body(resp))
	}
	sent := texts.texts()
	if len(sent) != 3 {
		t.Fatalf("texts %v, want one to each of the 3 accounts", sent)
	}
	for _, x := range sent {
		to, text, _ := strings.Cut(x, "|")
		if !strings.Contains(text, "备份磁盘遗失") || strings.Contains(text, to[3:]) || strings.Contains(text, "138") {
			t.Errorf("notice text %q to %s", text, to)
		}
	}
	if page := body(person.get("/privacy")); !strings.Contains(page, "安全事件通知") || !strings.Contains(page, "请留意可疑短信") {
		t.Fatal("the notice is not in the person's privacy centre")
	}

	// An incident of one team reaches its members only.
	teamOnly := record("团队导出文件误发", itoa(team))
	op.post("/ops/incidents/"+itoa(teamOnly)+"/notify", nil)
	if sent := texts.texts()[3:]; len(sent) != 1 || !strings.HasPrefix(sent[0], "+8613911113333|") {
		t.Fatalf("team incident texts %v", sent)
	}
	if page := body(person.get("/privacy")); strings.Contains(page, "团队导出文件误发") {
		t.Fatal("a team's incident shows to someone outside it")
	}
	if page := body(member.get("/privacy")); !strings.Contains(page, "团队导出文件误发") {
		t.Fatal("the team member does not see the team's notice")
	}

	resp := op.get("/ops/incidents/" + itoa(all) + "/report.json")
	raw := body(resp)
	var rep support.IncidentReport
	if err := json.Unmarshal([]byte(raw), &rep); err != nil || resp.StatusCode != 200 {
		t.Fatalf("report: %d %s", resp.StatusCode, raw)
	}
	if rep.Affected != 3 || rep.Notified != 3 || rep.ReportedAt.IsZero() || rep.Incident.NotifiedAt.IsZero() ||
		!rep.DueBy.Equal(rep.Incident.DetectedAt.Add(4*time.Hour)) {
		t.Fatalf("report %+v", rep)
	}
	for _, personal := range []string{"13800138061", "13911113333", "13600136000"} {
		if strings.Contains(raw, personal) {
			t.Errorf("the report names %s", personal)
		}
	}
	if page := body(op.get("/ops")); !strings.Contains(page, "已通知 3 个账户") || !strings.Contains(page, "已生成监管报告") {
		t.Fatal("the console does not show the notice and the report")
	}
}
