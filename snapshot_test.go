package beifen_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/beifen/beifen"
)

// expand lists the IDs a set of runs holds, sorted.
func expand(runs []beifen.RecordRun) []int64 {
	var ids []int64
	for _, r := range runs {
		for id := r.First; id <= r.Last; id++ {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// TestPlanRuns checks PlanRuns against sets: after closing, reopening and adding the fresh IDs,
// the open runs hold exactly the new snapshot's IDs, no run holds an ID twice, every run keeps
// its kind, and a run with all of its IDs still present is left alone.
func TestPlanRuns(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	kinds := []beifen.RecordKind{beifen.KindSMS, beifen.KindCall}
	for trial := range 2000 {
		// Open runs over IDs 1..60 with gaps, and a kind per ID.
		kindOf := map[int64]beifen.RecordKind{}
		var open []beifen.RecordRun
		for id := int64(1); id <= 60; {
			n := int64(1 + rng.IntN(8))
			if rng.IntN(3) > 0 {
				k := kinds[rng.IntN(2)]
				open = append(open, beifen.RecordRun{Kind: k, First: id, Last: id + n - 1})
				for i := id; i < id+n; i++ {
					kindOf[i] = k
				}
			}
			id += n + int64(rng.IntN(2))
		}
		var ids []int64
		for id := int64(1); id <= 70; id++ {
			if rng.IntN(5) > 0 {
				ids = append(ids, id)
			}
		}
		closed, reopen, fresh := beifen.PlanRuns(open, ids)
		var kept []beifen.RecordRun
		for _, r := range open {
			if !slices.Contains(closed, r.First) {
				kept = append(kept, r)
				for id := r.First; id <= r.Last; id++ {
					if !slices.Contains(ids, id) {
						t.Fatalf("trial %d: run %+v kept open without %d", trial, r, id)
					}
				}
			}
		}
		for _, r := range reopen {
			for id := r.First; id <= r.Last; id++ {
				if kindOf[id] != r.Kind {
					t.Fatalf("trial %d: reopened %+v holds %d of kind %q", trial, r, id, kindOf[id])
				}
			}
		}
		for _, id := range fresh {
			if _, ok := kindOf[id]; ok && slices.ContainsFunc(kept, func(r beifen.RecordRun) bool { return r.First <= id && id <= r.Last }) {
				t.Fatalf("trial %d: %d is fresh but in an open run", trial, id)
			}
		}
		got := append(expand(slices.Concat(kept, reopen)), fresh...)
		slices.Sort(got)
		if !slices.Equal(got, ids) {
			t.Fatalf("trial %d: open runs and fresh IDs hold\n%v\nwant\n%v", trial, got, ids)
		}
	}
}

func TestRunHelpers(t *testing.T) {
	sms, call := beifen.KindSMS, beifen.KindCall
	run := func(k beifen.RecordKind, f, l int64) beifen.RecordRun {
		return beifen.RecordRun{Kind: k, First: f, Last: l}
	}
	if got := beifen.MergeRuns([]beifen.RecordRun{run(sms, 5, 6), run(sms, 1, 4), run(call, 7, 8), run(call, 10, 10)}); !slices.Equal(got,
		[]beifen.RecordRun{run(sms, 1, 6), run(call, 7, 8), run(call, 10, 10)}) {
		t.Errorf("MergeRuns = %v", got)
	}
	for _, tt := range []struct {
		id   int64
		want []beifen.RecordRun
	}{{1, []beifen.RecordRun{run(sms, 2, 3)}}, {2, []beifen.RecordRun{run(sms, 1, 1), run(sms, 3, 3)}}, {3, []beifen.RecordRun{run(sms, 1, 2)}}} {
		if got := beifen.SplitRun(run(sms, 1, 3), tt.id); !slices.Equal(got, tt.want) {
			t.Errorf("SplitRun(1-3, %d) = %v, want %v", tt.id, got, tt.want)
		}
	}
	if got := beifen.SplitRun(run(sms, 4, 4), 4); len(got) != 0 {
		t.Errorf("SplitRun of a one-record run = %v", got)
	}
	if got := beifen.KindRuns([]int64{1, 2, 3, 5, 6}, []beifen.RecordKind{sms, sms, call, call, call}); !slices.Equal(got,
		[]beifen.RecordRun{run(sms, 1, 2), run(call, 3, 3), run(call, 5, 6)}) {
		t.Errorf("KindRuns = %v", got)
	}
	if got := beifen.ConsecutiveRuns([]int64{1, 2, 3, 7, 9, 10}); !slices.Equal(got, [][2]int64{{1, 3}, {7, 7}, {9, 10}}) {
		t.Errorf("ConsecutiveRuns = %v", got)
	}
	// Overlapping runs of different snapshots, out of order; a long run reaching past a short one.
	runs := []beifen.RecordRun{run(sms, 10, 12), run(sms, 1, 8), run(call, 3, 4), run(sms, 20, 20)}
	if got := beifen.Uncovered([]int64{1, 5, 8, 9, 11, 13, 19, 20, 21}, runs); !slices.Equal(got, []int64{9, 13, 19, 21}) {
		t.Errorf("Uncovered = %v", got)
	}
}
