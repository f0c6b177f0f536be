package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

func testComplaint(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	s := open(t)
	u, _ := MustCreateUser(t, ctx, s)
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	a := &beifen.Complaint{UserID: u.ID, Sealed: []byte("a"), CreatedAt: now, DueAt: now.Add(21 * 24 * time.Hour)}
	b := &beifen.Complaint{UserID: u.ID, Sealed: []byte("b"), CreatedAt: now, DueAt: now.Add(24 * time.Hour)}
	for _, c := range []*beifen.Complaint{a, b} {
		if err := s.Complaints.CreateComplaint(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	late := now.Add(48 * time.Hour)
	got, err := s.Complaints.FindComplaints(ctx, beifen.ComplaintFilter{OpenDue: &late, NotReminded: true})
	if err != nil || len(got) != 1 || got[0].ID != b.ID || !got[0].DueAt.Equal(b.DueAt) {
		t.Fatalf("overdue=%v, %v; want complaint %d", got, err, b.ID)
	}
	if err := s.Complaints.MarkComplaintsReminded(ctx, []int64{b.ID}, now); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Complaints.FindComplaints(ctx, beifen.ComplaintFilter{OpenDue: &late, NotReminded: true}); err != nil || len(got) != 0 {
		t.Fatalf("overdue and not reminded after the reminder: %v, %v", got, err)
	}
	if err := s.Complaints.AnswerComplaint(ctx, b.ID, []byte("reply"), late); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Complaints.FindComplaints(ctx, beifen.ComplaintFilter{OpenDue: &late}); len(got) != 0 {
		t.Fatalf("an answered complaint is overdue: %v", got)
	}
	mine, err := s.Complaints.FindComplaints(ctx, beifen.ComplaintFilter{UserID: &u.ID})
	if err != nil || len(mine) != 2 || string(mine[1].Reply) != "reply" || !mine[1].AnsweredAt.Equal(late) {
		t.Fatalf("FindComplaints=%+v, %v", mine, err)
	}
	wantError(t, s.Complaints.AnswerComplaint(ctx, 9999, nil, late), beifen.ENOTFOUND, "Complaint not found.")
}
