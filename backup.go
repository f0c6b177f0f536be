package beifen

import (
	"context"
	"io"
)

// UploadPartSize is the size of every part of a file uploaded in parts but the last. A file no
// larger than this goes up in one request.
const UploadPartSize = 32 << 20

// UploadResult says what the server made of an uploaded file.
type UploadResult struct {
	Hash     BlobKey       `json:"hash"`
	Complete bool          `json:"complete"`          // every part has arrived and was stored
	Format   ExportFormat  `json:"format,omitempty"`  // what the file was read as
	Items    int           `json:"items,omitempty"`   // records read from an export
	Skipped  int           `json:"skipped,omitempty"` // items that could not be read
	Errors   []*ParseError `json:"errors,omitempty"`  // the first few of those, with file and line
}

// SnapshotDiff says what changed between two snapshots, per kind of item.
type SnapshotDiff struct {
	Contacts DiffCount `json:"contacts"`
	Messages DiffCount `json:"messages"`
	Calls    DiffCount `json:"calls"`
	Files    DiffCount `json:"files"`
}

// DiffCount counts items added, removed and changed (same identity, other content).
type DiffCount struct {
	Added   int `json:"added"`
	Removed int `json:"removed"`
	Changed int `json:"changed"`
}

// BackupService backs up and restores the phone data of the context's user. The server reads
// every export (vCard, SMS Backup & Restore, SMS Import/Export) itself, so a web upload or a
// WebDAV drop takes the same path as the CLI.
type BackupService interface {
	// MissingFiles returns the content hashes, of those given, that the server has neither as
	// a blob nor as an export it already read: the ones the client must upload.
	MissingFiles(ctx context.Context, hashes []BlobKey) ([]BlobKey, error)

	// UploadedParts returns the parts of a file in parts that have arrived.
	UploadedParts(ctx context.Context, hash BlobKey, size int64) ([]int, error)

	// UploadPart stores part n of the file with content hash and total size; name is the
	// file's path in the export, used in error messages. When the last missing part arrives the
	// file is checked against hash and stored or read. Returns EINVALID if the content does not
	// match its hash or size and ETOOLARGE if it is too big.
	UploadPart(ctx context.Context, hash BlobKey, size int64, n int, name string, r io.Reader) (*UploadResult, error)

	// UploadFragment reads one chunk of a large export that the client cut at item boundaries
	// (SMS Backup & Restore elements, vCard cards): the root's opening (with the XML header),
	// a run of whole items, or the root's end. line is the chunk's first line in the file, for
	// error messages. A chunk already read is not read again, so a re-upload of an sms.xml with
	// ten new messages reads only the chunks that changed. Returns EINVALID for a chunk that is
	// not part of an export and ETOOLARGE for one over UploadPartSize.
	UploadFragment(ctx context.Context, hash BlobKey, size int64, name string, line int, r io.Reader) (*UploadResult, error)

	// CommitBackup creates a snapshot holding exactly these files (exports by their records).
	// Returns ECONFLICT if content a file stands for is not on the server (never sent, or
	// removed by gc or lost in a restart since): the client sends what is missing again.
	CommitBackup(ctx context.Context, files []*File) (*Snapshot, error)

	// FindSnapshots returns the user's snapshots, newest first.
	FindSnapshots(ctx context.Context, filter SnapshotFilter) ([]*Snapshot, int, error)

	// FindSnapshotByID returns ENOTFOUND if there is no such snapshot of the user.
	FindSnapshotByID(ctx context.Context, id int64) (*Snapshot, error)

	// DiffSnapshots says what changed from snapshot a to snapshot b.
	DiffSnapshots(ctx context.Context, a, b int64) (*SnapshotDiff, error)

	// ExportContacts writes the snapshot's contacts as vCard 3.0.
	ExportContacts(ctx context.Context, id int64, w io.Writer) error

	// ExportMessages writes the snapshot's SMS and MMS as SMS Backup & Restore XML.
	ExportMessages(ctx context.Context, id int64, w io.Writer) error

	// ExportCalls writes the snapshot's call log as SMS Backup & Restore XML.
	ExportCalls(ctx context.Context, id int64, w io.Writer) error

	// SnapshotFiles lists the snapshot's plain files, by path.
	SnapshotFiles(ctx context.Context, id int64) ([]*File, error)

	// StatFile returns the size of a file's content. Returns ENOTFOUND if the user has no such
	// content.
	StatFile(ctx context.Context, hash BlobKey) (int64, error)

	// OpenFile returns length bytes of a file's content from offset (length < 0: to the end).
	// Returns ENOTFOUND if the user has no such content.
	OpenFile(ctx context.Context, hash BlobKey, offset, length int64) (io.ReadCloser, error)
}
