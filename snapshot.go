package beifen

import (
	"context"
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
	// registered since the previous snapshot and sets s.NewBlobs and s.NewBytes. Returns EINVALID
	// if a record is not the user's.
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
