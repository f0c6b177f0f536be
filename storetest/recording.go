package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

func testRecording(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	at := time.Date(2026, 3, 1, 1, 30, 15, 0, time.UTC)
	t.Run("MatchAccessReview", func(t *testing.T) {
		s := open(t)
		team, admin := MustCreateMember(t, ctx, s, nil, beifen.RoleAdmin)
		_, staff := MustCreateMember(t, ctx, s, team, beifen.RoleStaff)
		sid := beifen.UserFromContext(staff).ID
		leads := newLeads("p", 1)
		if err := s.Leads.CreateLeads(admin, leads); err != nil {
			t.Fatal(err)
		}
		calls := []*beifen.PhoneCall{
			{StaffID: sid, PhoneHash: []byte("p0"), Sealed: []byte("s"), Type: "2", Date: at.Add(-10 * time.Minute)},
			{StaffID: sid, PhoneHash: []byte("p0"), Sealed: []byte("s"), Type: "2", Date: at.Add(-40 * time.Second)},
		}
		if _, err := s.Calls.AddPhoneCalls(staff, calls); err != nil {
			t.Fatal(err)
		}
		rec := &beifen.Recording{StaffID: sid, BlobName: "b1", Size: 10, PhoneHash: []byte("p0"), Sealed: []byte("s"), StartedAt: at}
		if err := s.Recs.CreateRecording(staff, rec, 120*time.Second); err != nil {
			t.Fatal(err)
		}
		if rec.CallID != calls[1].ID || rec.LeadID != leads[0].ID {
			t.Fatalf("matched call %d lead %d, want call %d lead %d", rec.CallID, rec.LeadID, calls[1].ID, leads[0].ID)
		}
		lone := &beifen.Recording{StaffID: sid, BlobName: "b2", Size: 10, PhoneHash: []byte("zz"), Sealed: []byte("s"), StartedAt: at}
		if err := s.Recs.CreateRecording(staff, lone, 120*time.Second); err != nil || lone.CallID != 0 {
			t.Fatalf("unknown number matched call %d, %v", lone.CallID, err)
		}
		got, n, err := s.Recs.FindRecordings(admin, beifen.RecordingFilter{Unmatched: true})
		if err != nil || n != 1 || got[0].ID != lone.ID || !got[0].StartedAt.Equal(at) {
			t.Fatalf("unmatched=%v n=%d, %v", got, n, err)
		}
		if err := s.Recs.LinkRecording(admin, lone.ID, calls[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, n, _ := s.Recs.FindRecordings(admin, beifen.RecordingFilter{Unmatched: true}); n != 0 {
			t.Fatalf("%d unmatched after linking", n)
		}
		boss := beifen.UserFromContext(admin).ID
		for _, kind := range []string{"play", "download"} {
			if err := s.Recs.LogAccess(admin, &beifen.RecordingAccess{RecordingID: rec.ID, UserID: boss, Kind: kind, At: at}); err != nil {
				t.Fatal(err)
			}
		}
		acc, err := s.Recs.FindAccesses(admin, rec.ID)
		if err != nil || len(acc) != 2 || acc[1].Kind != "download" || acc[0].UserID != boss {
			t.Fatalf("FindAccesses=%v, %v", acc, err)
		}
		rv := &beifen.Review{RecordingID: rec.ID, ReviewerID: boss, Passed: true,
			Items: []beifen.ReviewItem{{Name: "开场", Weight: 1, Score: 80}, {Name: "合规", Weight: 3, Score: 100}}}
		if err := s.Recs.PutReview(admin, rv, []byte("sealed")); err != nil || rv.Score != 95 {
			t.Fatalf("PutReview score=%v, %v; want 95", rv.Score, err)
		}
		task := &beifen.Task{Name: "质检", WindowEnd: 1440, MaxAttempts: 1, Lease: time.Minute}
		if err := s.Tasks.CreateTask(admin, task, []int64{leads[0].ID}); err != nil {
			t.Fatal(err)
		}
		var reviews []*beifen.TaskReview
		err = s.Tasks.ScanTaskReviews(admin, task.ID, func(v *beifen.TaskReview) error { reviews = append(reviews, v); return nil })
		if err != nil || len(reviews) != 1 || reviews[0].StaffID != sid || reviews[0].Score != 95 || !reviews[0].At.Equal(at) {
			t.Fatalf("ScanTaskReviews=%+v, %v", reviews, err)
		}
	})
	t.Run("ErrOtherTeam", func(t *testing.T) {
		s := open(t)
		_, a := MustCreateMember(t, ctx, s, nil, beifen.RoleAdmin)
		_, b := MustCreateMember(t, ctx, s, nil, beifen.RoleAdmin)
		rec := &beifen.Recording{StaffID: beifen.UserFromContext(a).ID, BlobName: "b", PhoneHash: []byte("x"), Sealed: []byte("s"), StartedAt: at}
		if err := s.Recs.CreateRecording(a, rec, time.Minute); err != nil {
			t.Fatal(err)
		}
		err := s.Recs.LogAccess(b, &beifen.RecordingAccess{RecordingID: rec.ID, UserID: 1, Kind: "play", At: at})
		wantError(t, err, beifen.ENOTFOUND, "Recording not found.")
		rv := &beifen.Review{RecordingID: rec.ID, ReviewerID: 1, Items: []beifen.ReviewItem{{Name: "x", Weight: 1, Score: 1}}}
		wantError(t, s.Recs.PutReview(b, rv, nil), beifen.ENOTFOUND, "Recording not found.")
		if _, n, _ := s.Recs.FindRecordings(b, beifen.RecordingFilter{}); n != 0 {
			t.Fatalf("another team sees %d recordings", n)
		}
	})
}

func testRecordingRetention(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	s := open(t)
	_, a := MustCreateMember(t, ctx, s, nil, beifen.RoleAdmin)
	_, b := MustCreateMember(t, ctx, s, nil, beifen.RoleAdmin)
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for i, c := range []context.Context{a, a, b} {
		r := &beifen.Recording{StaffID: beifen.UserFromContext(c).ID, BlobName: "b" + string(rune('0'+i)), PhoneHash: []byte("x"),
			Sealed: []byte("s"), StartedAt: at.Add(time.Duration(i) * 24 * time.Hour)}
		if err := s.Recs.CreateRecording(c, r, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	names, err := s.Recs.DeleteRecordingsBefore(a, at.Add(12*time.Hour))
	if err != nil || len(names) != 1 || names[0] != "b0" {
		t.Fatalf("DeleteRecordingsBefore=%v, %v; want [b0]", names, err)
	}
	if _, n, _ := s.Recs.FindRecordings(b, beifen.RecordingFilter{}); n != 1 {
		t.Fatalf("another team's recordings went too: %d left", n)
	}
}
