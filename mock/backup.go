package mock

import (
	"context"
	"io"

	"github.com/beifen/beifen"
)

var _ beifen.BackupService = (*BackupService)(nil)

// BackupService is a mock beifen.BackupService.
type BackupService struct {
	MissingFilesFn     func(ctx context.Context, hashes []beifen.BlobKey) ([]beifen.BlobKey, error)
	UploadedPartsFn    func(ctx context.Context, hash beifen.BlobKey, size int64) ([]int, error)
	UploadPartFn       func(ctx context.Context, hash beifen.BlobKey, size int64, n int, name string, r io.Reader) (*beifen.UploadResult, error)
	UploadFragmentFn   func(ctx context.Context, hash beifen.BlobKey, size int64, name string, line int, r io.Reader) (*beifen.UploadResult, error)
	CommitBackupFn     func(ctx context.Context, files []*beifen.File) (*beifen.Snapshot, error)
	FindSnapshotsFn    func(ctx context.Context, filter beifen.SnapshotFilter) ([]*beifen.Snapshot, int, error)
	FindSnapshotByIDFn func(ctx context.Context, id int64) (*beifen.Snapshot, error)
	DiffSnapshotsFn    func(ctx context.Context, a, b int64) (*beifen.SnapshotDiff, error)
	ExportContactsFn   func(ctx context.Context, id int64, w io.Writer) error
	ExportMessagesFn   func(ctx context.Context, id int64, w io.Writer) error
	ExportCallsFn      func(ctx context.Context, id int64, w io.Writer) error
	SnapshotFilesFn    func(ctx context.Context, id int64) ([]*beifen.File, error)
	StatFileFn         func(ctx context.Context, hash beifen.BlobKey) (int64, error)
	OpenFileFn         func(ctx context.Context, hash beifen.BlobKey, offset, length int64) (io.ReadCloser, error)
}

// MissingFiles calls MissingFilesFn.
func (s *BackupService) MissingFiles(ctx context.Context, hashes []beifen.BlobKey) ([]beifen.BlobKey, error) {
	return s.MissingFilesFn(ctx, hashes)
}

// UploadedParts calls UploadedPartsFn.
func (s *BackupService) UploadedParts(ctx context.Context, hash beifen.BlobKey, size int64) ([]int, error) {
	return s.UploadedPartsFn(ctx, hash, size)
}

// UploadFragment calls UploadFragmentFn.
func (s *BackupService) UploadFragment(ctx context.Context, hash beifen.BlobKey, size int64, name string, line int, r io.Reader) (*beifen.UploadResult, error) {
	return s.UploadFragmentFn(ctx, hash, size, name, line, r)
}

// UploadPart calls UploadPartFn.
func (s *BackupService) UploadPart(ctx context.Context, hash beifen.BlobKey, size int64, n int, name string, r io.Reader) (*beifen.UploadResult, error) {
	return s.UploadPartFn(ctx, hash, size, n, name, r)
}

// CommitBackup calls CommitBackupFn.
func (s *BackupService) CommitBackup(ctx context.Context, files []*beifen.File) (*beifen.Snapshot, error) {
	return s.CommitBackupFn(ctx, files)
}

// FindSnapshots calls FindSnapshotsFn.
func (s *BackupService) FindSnapshots(ctx context.Context, filter beifen.SnapshotFilter) ([]*beifen.Snapshot, int, error) {
	return s.FindSnapshotsFn(ctx, filter)
}

// FindSnapshotByID calls FindSnapshotByIDFn.
func (s *BackupService) FindSnapshotByID(ctx context.Context, id int64) (*beifen.Snapshot, error) {
	return s.FindSnapshotByIDFn(ctx, id)
}

// DiffSnapshots calls DiffSnapshotsFn.
func (s *BackupService) DiffSnapshots(ctx context.Context, a, b int64) (*beifen.SnapshotDiff, error) {
	return s.DiffSnapshotsFn(ctx, a, b)
}

// ExportContacts calls ExportContactsFn.
func (s *BackupService) ExportContacts(ctx context.Context, id int64, w io.Writer) error {
	return s.ExportContactsFn(ctx, id, w)
}

// ExportMessages calls ExportMessagesFn.
func (s *BackupService) ExportMessages(ctx context.Context, id int64, w io.Writer) error {
	return s.ExportMessagesFn(ctx, id, w)
}

// ExportCalls calls ExportCallsFn.
func (s *BackupService) ExportCalls(ctx context.Context, id int64, w io.Writer) error {
	return s.ExportCallsFn(ctx, id, w)
}

// SnapshotFiles calls SnapshotFilesFn.
func (s *BackupService) SnapshotFiles(ctx context.Context, id int64) ([]*beifen.File, error) {
	return s.SnapshotFilesFn(ctx, id)
}

// StatFile calls StatFileFn.
func (s *BackupService) StatFile(ctx context.Context, hash beifen.BlobKey) (int64, error) {
	return s.StatFileFn(ctx, hash)
}

// OpenFile calls OpenFileFn.
func (s *BackupService) OpenFile(ctx context.Context, hash beifen.BlobKey, offset, length int64) (io.ReadCloser, error) {
	return s.OpenFileFn(ctx, hash, offset, length)
}
