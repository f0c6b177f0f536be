package main_test

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	main "github.com/beifen/beifen/cmd/beifen"
)

// TestPolicy_1_2_2b_ClientReportsDeidentifiedAndAggregated: crash, error and slowness reports
// from the pages and the apps are taken signed in or not, kept without anything about who sent
// them (numbers and e-mail addresses blanked, IDs out of paths), counted rather than repeated,
// and shown to the operator; nothing of them is readable in the database.
func TestPolicy_1_2_2b_ClientReportsDeidentifiedAndAggregated(t *testing.T) {
	s := MustRunMainConfig(t, "", func(c *main.Config) { c.Operators = []string{"13600136000"} })
	tok := s.MustCreateUser(t, "13800138301", "")
	send := func(token, body string) int {
		t.Helper()
		_, st := apiDo(t, "POST", s.URL+"/api/v1/reports", token, strings.NewReader(body), map[string]string{"Content-Type": "application/json"})
		return st
	}
	report := `{"kind":"error","app":"web","where":"/app/s/7/messages/+8613912345678?offset=50","message":"TypeError: cannot read 13912345678 of li.lei@example.com"}`
	for _, token := range []string{tok, "", tok} {
		if st := send(token, report); st != http.StatusNoContent {
			t.Fatalf("report: %d", st)
		}
	}
	if st := send("", `{"kind":"crash","app":"cli 1.4.2","where":"backup","message":"panic: index out of range [3] with length 3"}`); st != http.StatusNoContent {
		t.Fatalf("crash report: %d", st)
	}
	if st := send("", `{"kind":"gossip","message":"x"}`); st != http.StatusBadRequest {
		t.Fatalf("an unknown kind: %d", st)
	}
	op := s.mustUIUser(t, "13600136000")
	page := body(op.get("/ops"))
	i := strings.Index(page, `id="error-reports"`)
	if i < 0 {
		t.Fatal("no reports on the console")
	}
	table := page[i : i+1500]
	if !strings.Contains(table, "TypeError: cannot read # of @") || !strings.Contains(table, "/app/s/:id/messages/&#43;#") ||
		!strings.Contains(table, "<td>3</td>") || !strings.Contains(table, "crash · cli 1.4.2") {
		t.Fatalf("reports table: %s", table)
	}
	s.Close()
	for _, name := range []string{"beifen.db", "beifen.db-wal"} {
		b, _ := os.ReadFile(filepath.Join(s.Config.DataDir, name))
		for _, p := range []string{"13912345678", "li.lei@example.com", "offset=50"} {
			if bytes.Contains(b, []byte(p)) {
				t.Fatalf("%s holds %q from a report", name, p)
			}
		}
	}
}
