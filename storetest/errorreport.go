package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

func testErrorReport(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	s := open(t)
	at := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	a := &beifen.ErrorReport{Kind: "error", App: "web", Where: "/app/s/12/messages/+8613912345678", Message: "TypeError at 13912345678 for li@example.com"}
	if err := a.Clean(); err != nil {
		t.Fatal(err)
	}
	if a.Message != "TypeError at # for @" || a.Where != "/app/s/:id/messages/+#" {
		t.Fatalf("cleaned %q %q", a.Message, a.Where)
	}
	for i := 0; i < 3; i++ {
		if err := s.Reports.AddErrorReport(ctx, a, at.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	b := &beifen.ErrorReport{Kind: "slow", App: "web", Where: "/app", Message: "page took 9000 ms"}
	b.Clean()
	s.Reports.AddErrorReport(ctx, b, at)
	list, err := s.Reports.FindErrorReports(ctx, at.Add(-time.Hour), 10)
	if err != nil || len(list) != 2 || list[0].Count != 3 || !list[0].LastSeen.Equal(at.Add(2*time.Minute)) || !list[0].FirstSeen.Equal(at) || list[1].Kind != "slow" {
		t.Fatalf("FindErrorReports=%+v, %v", list, err)
	}
	if list, _ := s.Reports.FindErrorReports(ctx, at.Add(time.Hour), 10); len(list) != 0 {
		t.Fatalf("old reports %+v", list)
	}
}
