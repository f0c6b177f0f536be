package beifen

import (
	"context"
	"time"
)

// RecordKind says what a stored record holds.
type RecordKind string

// Record kinds.
const (
	KindContact RecordKind = "contact"
	KindSMS     RecordKind = "sms"
	KindMMS     RecordKind = "mms"
	KindCall    RecordKind = "call"
	KindFile    RecordKind = "file"
)

// RecordKinds lists every kind, in the order restores and diffs walk them.
var RecordKinds = []RecordKind{KindContact, KindSMS, KindMMS, KindCall, KindFile}

// Record is one backed-up item (a contact, a message, a call, a file entry), stored once per
// account however many snapshots hold it. Nothing in it is readable without the account key:
// Ident and Version are keyed hashes, Payload is sealed.
type Record struct {
	ID        int64
	UserID    int64
	Kind      RecordKind
	Ident     []byte // keyed hash of the item's identity: same Ident, same item
	Version   []byte // keyed hash of the item's whole content: same Version, same bytes
	Payload   []byte // the item, sealed under the account key
	CreatedAt time.Time
}

// RecordRef is a record without its payload: enough to diff snapshots.
type RecordRef struct {
	ID      int64
	Kind    RecordKind
	Ident   []byte
	Version []byte
}

// RecordService stores the records of the context's user.
type RecordService interface {
	// PutRecords stores each record not stored yet (by Kind and Version) and sets the ID of
	// every record, new or already stored. New records get increasing IDs in the order given:
	// snapshots list their records by ID, so an export comes back in its own order.
	PutRecords(ctx context.Context, recs []*Record) error

	// FindRecordsByIDs returns the context user's records with these IDs, in ID order. IDs of
	// other users' records are left out.
	FindRecordsByIDs(ctx context.Context, ids []int64) ([]*Record, error)

	// DeleteRecords erases records of the context's user from every snapshot that holds them,
	// in one transaction (a user deleting one message or contact from their whole history):
	// the records and their presence intervals go, each snapshot that held one counts one item
	// fewer of its kind (and, for a file, its bytes fewer), and the user's sources are
	// forgotten, so that the next backup reads its exports again instead of naming a deleted
	// record. It returns how many snapshots held at least one of them. Returns ENOTFOUND,
	// and deletes nothing, if a record is not the user's.
	DeleteRecords(ctx context.Context, dels []RecordDeletion) (int, error)

	// DeleteOrphanRecords deletes the context user's records that no snapshot holds and that
	// were stored before then (what an abandoned backup left), with the user's sources if any
	// went, and returns how many it deleted.
	DeleteOrphanRecords(ctx context.Context, before time.Time) (int, error)

	// ScanRecords calls fn for every record of the context's user, in ID order (for checks).
	ScanRecords(ctx context.Context, fn func(*Record) error) error
}

// RecordDeletion is one record for DeleteRecords, with its kind and, for a file, its size.
type RecordDeletion struct {
	ID    int64
	Kind  RecordKind
	Bytes int64
}

// SnapshotColumn is the snapshot count a record of kind adds to: contacts, messages, calls or
// files.
func (k RecordKind) SnapshotColumn() string {
	switch k {
	case KindContact:
		return "contacts"
	case KindSMS, KindMMS:
		return "messages"
	case KindCall:
		return "calls"
	default:
		return "files"
	}
}
