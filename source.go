package beifen

import (
	"context"
	"time"
)

// Source is a phone export file that was read into records (a contacts.vcf, an sms.xml), or a
// run of consecutive items inside one (a chunk). A source lets a later backup that holds the same
// file skip uploading and reading it, and a chunk lets a re-read of a file that changed a little
// (a few new messages) skip storing again the items it already holds.
type Source struct {
	UserID    int64
	Hash      []byte // keyed hash of the file's content hash
	Records   []byte // sealed, sorted list of the record IDs it yielded
	Skipped   int    // items that could not be read
	CreatedAt time.Time
}

// SourceService stores the context user's sources.
type SourceService interface {
	// FindSource returns ENOTFOUND if no such source was read for the user.
	FindSource(ctx context.Context, hash []byte) (*Source, error)

	// FindSources returns the user's sources with these hashes, in no set order; hashes with
	// no source are left out.
	FindSources(ctx context.Context, hashes [][]byte) ([]*Source, error)

	// PutSources stores sources in one transaction, replacing those with the same hashes.
	PutSources(ctx context.Context, srcs []*Source) error

	// DeleteSources forgets every source of the user: the next backup uploads and reads their
	// exports again. A commit that found a source naming records gone (gc collected them while a
	// backup that reused them ran) clears them so, or every later commit would fail the same way.
	DeleteSources(ctx context.Context) error
}

// BlobEntry registers a blob an account stored, so that an upload can be skipped and a check can
// find what is missing.
type BlobEntry struct {
	UserID     int64
	Name       string // the blob's name in the blob store (a keyed hash)
	Size       int64  // plaintext size
	SnapshotID int64  // the snapshot that first held it; 0 until one did
	CreatedAt  time.Time
}

// BlobEntryService stores the context user's blob registry.
type BlobEntryService interface {
	// FindBlobEntry returns ENOTFOUND if the user has no blob of that name.
	FindBlobEntry(ctx context.Context, name string) (*BlobEntry, error)

	// PutBlobEntries registers blobs, all or none; registering one again (in the same call or an
	// earlier one) changes nothing.
	PutBlobEntries(ctx context.Context, entries []*BlobEntry) error

	// ScanBlobEntries calls fn for each of the user's blobs.
	ScanBlobEntries(ctx context.Context, fn func(*BlobEntry) error) error

	// DeleteBlobEntries forgets the user's blobs of these names (their content deleted with
	// the last item that held it); names the user has not are ignored.
	DeleteBlobEntries(ctx context.Context, names []string) error
}
