package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

// mustTask creates n leads and a task over them in the team of ctx.
func mustTask(tb testing.TB, ctx context.Context, s Services, n int, t *beifen.Task) (*beifen.Task, []int64) {
	tb.Helper()
	leads := newLeads("t", n)
	if err := s.Leads.CreateLeads(ctx, leads); err != nil {
		tb.Fatal(err)
	}
	ids := make([]int64, n)
	for i, l := range leads {
		ids[i] = l.ID
	}
	if t == nil {
		t = &beifen.Task{}
	}
	if t.Name == "" {
		t.Name, t.WindowStart, t.WindowEnd = "三月回访", 0, 24*60
		t.RetryDelay, t.MaxAttempts, t.Lease = time.Hour, 2, 10*time.Minute
	}
	if err := s.Tasks.CreateTask(ctx, t, ids); err != nil {
		tb.Fatal(err)
	}
	return t, ids
}

func mustClaim(tb testing.TB, ctx context.Context, s Services, task int64, now time.Time) int64 {
	tb.Helper()
	id, err := s.Tasks.ClaimLead(ctx, task, now)
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

func testTask(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	t.Run("ExactlyOnce", func(t *testing.T) {
		s := open(t)
		team, admin := MustCreateMember(t, ctx, s, nil, beifen.RoleAdmin)
		task, ids := mustTask(t, admin, s, 300, nil)
		got, err := s.Tasks.FindTaskByID(admin, task.ID)
		if err != nil || got.Leads != 300 || got.Lease != 10*time.Minute || got.MaxAttempts != 2 {
			t.Fatalf("FindTaskByID=%+v, %v", got, err)
		}
		var mu sync.Mutex
		seen := map[int64]int{}
		var wg sync.WaitGroup
		for w := 0; w < 12; w++ {
			_, staff := MustCreateMember(t, ctx, s, team, beifen.RoleStaff)
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					id, err := s.Tasks.ClaimLead(staff, task.ID, now)
					if err != nil {
						t.Error(err)
						return
					}
					if id == 0 {
						return
					}
					mu.Lock()
					seen[id]++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(seen) != len(ids) {
			t.Fatalf("%d leads handed out, want %d", len(seen), len(ids))
		}
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("lead %d handed out %d times", id, n)
			}
		}
	})
	t.Run("LeaseRetryCallback", func(t *testing.T) {
		s := open(t)
		team, admin := MustCreateMember(t, ctx, s, nil, beifen.RoleAdmin)
		task, _ := mustTask(t, admin, s, 1, nil)
		_, a := MustCreateMember(t, ctx, s, team, beifen.RoleStaff)
		_, b := MustCreateMember(t, ctx, s, team, beifen.RoleStaff)
		lead := mustClaim(t, a, s, task.ID, now)
		if got := mustClaim(t, b, s, task.ID, now.Add(time.Minute)); got != 0 {
			t.Fatalf("a held lead went to another caller: %d", got)
		}
		// Not logged within the lease: it returns to the pool.
		if got := mustClaim(t, b, s, task.ID, now.Add(11*time.Minute)); got != lead {
			t.Fatalf("after the lease, claim=%d, want %d", got, lead)
		}
		err := s.Tasks.LogCall(a, task.ID, lead, &beifen.CallLog{Outcome: beifen.OutcomeBusy}, now.Add(12*time.Minute))
		wantError(t, err, beifen.ENOTFOUND, "You do not hold this lead of the task.")
		// No answer: back after the retry delay, to anyone.
		later := now.Add(12 * time.Minute)
		if err := s.Tasks.LogCall(b, task.ID, lead, &beifen.CallLog{Outcome: beifen.OutcomeNoAnswer}, later); err != nil {
			t.Fatal(err)
		}
		if got := mustClaim(t, a, s, task.ID, later.Add(59*time.Minute)); got != 0 {
			t.Fatal("a no-answer lead came back before the retry delay")
		}
		if got := mustClaim(t, a, s, task.ID, later.Add(time.Hour)); got != lead {
			t.Fatalf("after the retry delay, claim=%d, want %d", got, lead)
		}
		// A callback comes back at its time, to the same caller only.
		back := later.Add(3 * time.Hour)
		cb := &beifen.CallLog{Outcome: beifen.OutcomeCallback, NextFollow: back, Intent: "B"}
		if err := s.Tasks.LogCall(a, task.ID, lead, cb, later.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if cbs, err := s.Tasks.FindCallbacks(a); err != nil || len(cbs) != 1 || cbs[0].LeadID != lead || cbs[0].TaskID != task.ID || !cbs[0].DueAt.Equal(back) {
			t.Fatalf("FindCallbacks=%+v, %v", cbs, err)
		}
		if cbs, err := s.Tasks.FindCallbacks(b); err != nil || len(cbs) != 0 {
			t.Fatalf("another caller's callbacks=%+v, %v", cbs, err)
		}
		if got := mustClaim(t, b, s, task.ID, back.Add(time.Minute)); got != 0 {
			t.Fatal("a callback went to another caller")
		}
		if got := mustClaim(t, a, s, task.ID, back); got != lead {
			t.Fatalf("callback claim=%d, want %d", got, lead)
		}
		// Second no-answer reaches the maximum of two attempts: done.
		if err := s.Tasks.LogCall(a, task.ID, lead, &beifen.CallLog{Outcome: beifen.OutcomeBusy}, back); err != nil {
			t.Fatal(err)
		}
		if got := mustClaim(t, a, s, task.ID, back.Add(48*time.Hour)); got != 0 {
			t.Fatal("a lead came back after its last attempt")
		}
	})
	t.Run("ConnectedBecomesCustomer", func(t *testing.T) {
		s := open(t)
		team, admin := MustCreateMember(t, ctx, s, nil, beifen.RoleAdmin)
		task, _ := mustTask(t, admin, s, 1, nil)
		_, a := MustCreateMember(t, ctx, s, team, beifen.RoleStaff)
		lead := mustClaim(t, a, s, task.ID, now)
		if err := s.Tasks.LogCall(a, task.ID, lead, &beifen.CallLog{Outcome: beifen.OutcomeConnected, Intent: "A", TalkSeconds: 95}, now); err != nil {
			t.Fatal(err)
		}
		owner := beifen.UserFromContext(a).ID
		if _, n, _ := s.Leads.FindLeads(admin, beifen.LeadFilter{OwnerID: &owner}); n != 1 {
			t.Fatalf("the caller owns %d leads, want 1", n)
		}
		var calls []*beifen.TaskCall
		err := s.Tasks.ScanTaskCalls(admin, task.ID, func(c *beifen.TaskCall) error { calls = append(calls, c); return nil })
		if err != nil || len(calls) != 1 || calls[0].Outcome != beifen.OutcomeConnected || calls[0].Intent != "A" ||
			calls[0].TalkSeconds != 95 || calls[0].StaffID != owner || calls[0].LeadID != lead || !calls[0].CreatedAt.Equal(now) {
			t.Fatalf("ScanTaskCalls=%+v, %v", calls, err)
		}
	})
	t.Run("ErrOtherTeam", func(t *testing.T) {
		s := open(t)
		_, admin := MustCreateMember(t, ctx, s, nil, beifen.RoleAdmin)
		_, other := MustCreateMember(t, ctx, s, nil, beifen.RoleAdmin)
		task, ids := mustTask(t, admin, s, 2, nil)
		_, err := s.Tasks.FindTaskByID(other, task.ID)
		wantError(t, err, beifen.ENOTFOUND, "Task not found.")
		if list, err := s.Tasks.FindTasks(other); err != nil || len(list) != 0 {
			t.Fatalf("FindTasks of another team=%+v, %v", list, err)
		}
		second := &beifen.Task{Name: "第二轮", WindowEnd: 1440, MaxAttempts: 1, Lease: time.Minute}
		if err := s.Tasks.CreateTask(admin, second, ids[:1]); err != nil {
			t.Fatal(err)
		}
		if list, err := s.Tasks.FindTasks(admin); err != nil || len(list) != 2 || list[0].ID != second.ID || list[1].ID != task.ID || list[1].Leads != 2 {
			t.Fatalf("FindTasks=%+v, %v", list, err)
		}
		_, err = s.Tasks.ClaimLead(other, task.ID, now)
		wantError(t, err, beifen.ENOTFOUND, "Task not found.")
		err = s.Tasks.CreateTask(other, &beifen.Task{Name: "x", WindowEnd: 1440, MaxAttempts: 1, Lease: time.Minute}, ids)
		wantError(t, err, beifen.EINVALID, "The task refers to leads the team does not have.")
	})
}

func testTaskDNC(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	s := open(t)
	team, admin := MustCreateMember(t, ctx, s, nil, beifen.RoleAdmin)
	task, _ := mustTask(t, admin, s, 2, nil)
	_, a := MustCreateMember(t, ctx, s, team, beifen.RoleStaff)
	if err := s.DNC.AddDNC(admin, [][]byte{[]byte("t0")}); err != nil {
		t.Fatal(err)
	}
	first := mustClaim(t, a, s, task.ID, now)
	leads, _, _ := s.Leads.FindLeads(admin, beifen.LeadFilter{ID: &first})
	if len(leads) != 1 || string(leads[0].PhoneHash) != "t1" {
		t.Fatalf("claimed %v, want the lead not on the do-not-call list", leads)
	}
	if got := mustClaim(t, a, s, task.ID, now); got != 0 {
		t.Fatalf("a do-not-call lead was handed out: %d", got)
	}
}

func testPublicPool(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	s := open(t)
	team := &beifen.Team{Name: "限额", TimeZone: "Asia/Shanghai", PoolDays: 30, MaxCustomers: 1, WrappedKey: randBytes(60)}
	if err := s.Teams.CreateTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	_, admin := MustCreateMember(t, ctx, s, team, beifen.RoleAdmin)
	task, _ := mustTask(t, admin, s, 2, nil)
	_, a := MustCreateMember(t, ctx, s, team, beifen.RoleStaff)
	me := beifen.UserFromContext(a).ID
	for i := 0; i < 2; i++ {
		lead := mustClaim(t, a, s, task.ID, now)
		if err := s.Tasks.LogCall(a, task.ID, lead, &beifen.CallLog{Outcome: beifen.OutcomeConnected}, now); err != nil {
			t.Fatal(err)
		}
	}
	if _, n, _ := s.Leads.FindLeads(admin, beifen.LeadFilter{OwnerID: &me}); n != 1 {
		t.Fatalf("staff holds %d customers, want the limit of 1", n)
	}
	if n, err := s.Leads.ReleaseIdle(admin, now.Add(-time.Hour)); err != nil || n != 0 {
		t.Fatalf("ReleaseIdle of a fresh customer=%d, %v", n, err)
	}
	if n, err := s.Leads.ReleaseIdle(admin, now.Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("ReleaseIdle=%d, %v; want 1", n, err)
	}
	if _, n, _ := s.Leads.FindLeads(admin, beifen.LeadFilter{OwnerID: &me}); n != 0 {
		t.Fatalf("staff still holds %d customers", n)
	}
	teams, err := s.Teams.FindTeams(ctx)
	if err != nil || len(teams) != 1 || teams[0].MaxCustomers != 1 || teams[0].PoolDays != 30 {
		t.Fatalf("FindTeams=%v, %v", teams, err)
	}
}
