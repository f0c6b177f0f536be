package beifen

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"
)

// Snapshot is a phone's state at one backup: the set of records present at that time. A
// snapshot costs only what changed since the one before it.
type Snapshot struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"-"`
	CreatedAt time.Time `json:"time"`
	Contacts  int       `json:"contacts"`
	Messages  int       `json:"messages"` // SMS + MMS
	Calls     int       `json:"calls"`
	Files     int       `json:"files"`
	Bytes     int64     `json:"bytes"`     // total size of the snapshot's files
	NewBlobs  int       `json:"new_blobs"` // blobs first stored by this backup
	NewBytes  int64     `json:"new_bytes"`
	Skipped   int       `json:"skipped,omitempty"` // items of the export that could not be read

	// Revision counts the changes to the snapshot's content since its backup: deleting an item
	// it holds adds one. What is derived from the content (a conversation index) is kept per
	// revision, so that no replica serves one made before a deletion.
	Revision int64 `json:"-"`
}

// SnapshotFilter selects snapshots of the context's user.
type SnapshotFilter struct {
	ID     *int64
	Offset int
	Limit  int
}

// SnapshotService stores snapshots of the context's user.
type SnapshotService interface {
	// FindSnapshotByID returns ENOTFOUND if the snapshot does not exist or is not the user's.
	FindSnapshotByID(ctx context.Context, id int64) (*Snapshot, error)

	// FindSnapshots returns the user's snapshots, newest first, and how many there are.
	FindSnapshots(ctx context.Context, filter SnapshotFilter) ([]*Snapshot, int, error)

	// CreateSnapshot commits s as a snapshot whose content is exactly recordIDs (sorted,
	// distinct), in one transaction: until it returns, nothing of it is visible. It sets the
	// counts of contacts, messages, calls and files from the records, claims every blob
	// registered since the previous snapshot and sets s.NewBlobs and s.NewBytes. Returns
	// ECONFLICT if a record is not the user's (or no longer exists: gc removed it meanwhile).
	CreateSnapshot(ctx context.Context, s *Snapshot, recordIDs []int64) error

	// SnapshotRecords calls fn for each record of kind in snapshot id, in ID order, with its
	// ID, Kind, Version and Payload set. The record is reused from call to call: fn must not
	// keep it or its slices. Returns ENOTFOUND if the snapshot does not exist or is not the user's.
	SnapshotRecords(ctx context.Context, id int64, kind RecordKind, fn func(*Record) error) error

	// SnapshotRefs returns the refs of every record in snapshot id, in ID order.
	// Returns ENOTFOUND if the snapshot does not exist or is not the user's.
	SnapshotRefs(ctx context.Context, id int64) ([]RecordRef, error)
}

// DiffSorted compares two sorted lists of distinct IDs and returns the IDs only in a (gone) and
// those only in b (new).
func DiffSorted(a, b []int64) (onlyA, onlyB []int64) {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			onlyA = append(onlyA, a[i])
			i++
		case a[i] > b[j]:
			onlyB = append(onlyB, b[j])
			j++
		default:
			i, j = i+1, j+1
		}
	}
	return append(onlyA, a[i:]...), append(onlyB, b[j:]...)
}

// RecordRun is a run of consecutive record IDs of one user and one kind. Stores keep a
// snapshot's content as runs with the snapshots they are present in, so that a first backup of
// hundreds of thousands of records writes a handful of rows, and a later one writes rows only
// where something changed.
type RecordRun struct {
	Kind  RecordKind
	First int64
	Last  int64
}

// Len is how many records the run holds.
func (r RecordRun) Len() int64 { return r.Last - r.First + 1 }

// PlanRuns compares the runs open before a new snapshot (sorted by First, disjoint) with its
// records (sorted, distinct). A run whose records are all still present stays open. Any other
// run closes (closed holds its First), and what remains of it opens again as reopen. IDs in no
// open run are fresh: their kinds are still to be looked up.
func PlanRuns(open []RecordRun, ids []int64) (closed []int64, reopen []RecordRun, fresh []int64) {
	i := 0
	for _, run := range open {
		for i < len(ids) && ids[i] < run.First {
			fresh = append(fresh, ids[i])
			i++
		}
		j := i
		for j < len(ids) && ids[j] <= run.Last {
			j++
		}
		if int64(j-i) == run.Len() {
			i = j
			continue
		}
		closed = append(closed, run.First)
		for i < j {
			n := consecutive(ids[i:j])
			reopen = append(reopen, RecordRun{Kind: run.Kind, First: ids[i], Last: ids[i+n-1]})
			i += n
		}
	}
	return closed, reopen, append(fresh, ids[i:]...)
}

// consecutive returns how many IDs from the start of ids follow one another without a gap.
func consecutive(ids []int64) int {
	n := 1
	for n < len(ids) && ids[n] == ids[n-1]+1 {
		n++
	}
	return n
}

// ConsecutiveRuns splits sorted, distinct IDs into runs of consecutive IDs, each given as the
// first and last ID.
func ConsecutiveRuns(ids []int64) [][2]int64 {
	var out [][2]int64
	for len(ids) > 0 {
		n := consecutive(ids)
		out = append(out, [2]int64{ids[0], ids[n-1]})
		ids = ids[n:]
	}
	return out
}

// MergeRuns sorts runs by First and joins those that touch and share a kind.
func MergeRuns(runs []RecordRun) []RecordRun {
	slices.SortFunc(runs, func(a, b RecordRun) int { return cmp.Compare(a.First, b.First) })
	var out []RecordRun
	for _, r := range runs {
		if n := len(out); n > 0 && out[n-1].Kind == r.Kind && out[n-1].Last+1 == r.First {
			out[n-1].Last = r.Last
			continue
		}
		out = append(out, r)
	}
	return out
}

// SplitRun removes id from run and returns what is left of it: none, one or two runs.
func SplitRun(run RecordRun, id int64) []RecordRun {
	var out []RecordRun
	if id > run.First {
		out = append(out, RecordRun{Kind: run.Kind, First: run.First, Last: id - 1})
	}
	if id < run.Last {
		out = append(out, RecordRun{Kind: run.Kind, First: id + 1, Last: run.Last})
	}
	return out
}

// KindRuns makes runs of records given by their sorted, distinct IDs and their kinds: each run
// holds consecutive IDs of one kind.
func KindRuns(ids []int64, kinds []RecordKind) []RecordRun {
	var out []RecordRun
	for i, id := range ids {
		if n := len(out); n > 0 && out[n-1].Kind == kinds[i] && out[n-1].Last+1 == id {
			out[n-1].Last = id
			continue
		}
		out = append(out, RecordRun{Kind: kinds[i], First: id, Last: id})
	}
	return out
}

// Uncovered returns the IDs (sorted) that no run holds. The runs may overlap (runs of different
// snapshots) and come in any order.
func Uncovered(ids []int64, runs []RecordRun) []int64 {
	runs = slices.Clone(runs)
	slices.SortFunc(runs, func(a, b RecordRun) int { return cmp.Compare(a.First, b.First) })
	var out []int64
	j := 0
	var reach int64 = math.MinInt64 // the highest ID held by the runs starting at or before id
	for _, id := range ids {
		for j < len(runs) && runs[j].First <= id {
			reach = max(reach, runs[j].Last)
			j++
		}
		if reach < id {
			out = append(out, id)
		}
	}
	return out
}
