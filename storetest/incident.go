package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

func testIncident(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	s := open(t)
	detected := time.Date(2026, 11, 28, 22, 0, 0, 0, time.UTC)
	wantError(t, s.Incidents.CreateIncident(ctx, &beifen.Incident{Title: "x", Body: "y", Scope: "some", Severity: "general", DetectedAt: detected}),
		beifen.EINVALID, "An incident affects all accounts or one team (team:ID).")
	wantError(t, s.Incidents.CreateIncident(ctx, &beifen.Incident{Title: "x", Body: "y", Scope: "all", Severity: "bad", DetectedAt: detected}),
		beifen.EINVALID, "An incident's level is general, larger, major or especially-major.")
	a := &beifen.Incident{Title: "备份服务器磁盘丢失", Body: "详情……", Scope: "all", Severity: "larger", DetectedAt: detected}
	b := &beifen.Incident{Title: "团队导出泄露", Body: "详情", Scope: "team:7", Severity: "general", DetectedAt: detected.Add(time.Hour)}
	for _, i := range []*beifen.Incident{a, b} {
		if err := s.Incidents.CreateIncident(ctx, i); err != nil {
			t.Fatal(err)
		}
	}
	if a.ID == 0 || b.ID <= a.ID || a.CreatedAt.IsZero() {
		t.Fatalf("ids %d %d, created %v", a.ID, b.ID, a.CreatedAt)
	}
	at, n := detected.Add(2*time.Hour), 42
	if err := s.Incidents.UpdateIncident(ctx, a.ID, beifen.IncidentUpdate{NotifiedAt: &at, Notified: &n}); err != nil {
		t.Fatal(err)
	}
	wantError(t, s.Incidents.UpdateIncident(ctx, 999, beifen.IncidentUpdate{ReportedAt: &at}), beifen.ENOTFOUND, "Incident not found.")
	list, err := s.Incidents.FindIncidents(ctx)
	if err != nil || len(list) != 2 || list[0].ID != b.ID || list[1].Notified != 42 || !list[1].NotifiedAt.Equal(at) ||
		!list[1].ReportedAt.IsZero() || !list[0].DetectedAt.Equal(b.DetectedAt) || list[1].Title != a.Title || list[1].Severity != "larger" {
		t.Fatalf("FindIncidents=%+v, %v", list, err)
	}
	if due, ok := list[1].ReportDue(); !ok || !due.Equal(detected.Add(4*time.Hour)) {
		t.Fatalf("report due %v %v", due, ok)
	}
	if _, ok := list[0].ReportDue(); ok {
		t.Fatal("a general incident has a regulator deadline")
	}
	if !list[0].Affects(&beifen.User{TeamID: 7}) || list[0].Affects(&beifen.User{TeamID: 8}) || list[0].Affects(&beifen.User{}) || !list[1].Affects(&beifen.User{}) {
		t.Fatal("Affects")
	}
}
