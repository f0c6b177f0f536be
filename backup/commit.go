package backup

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/beifen/beifen"
)

// CommitBackup creates a snapshot holding exactly these files: an export by the records read
// from it, any other file as a file entry pointing at its blob.
func (s *Service) CommitBackup(ctx context.Context, files []*beifen.File) (*beifen.Snapshot, error) {
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	var ids []int64
	var entries []*beifen.Record
	sn := &beifen.Snapshot{}
	for _, f := range files {
		if err := checkFile(f); err != nil {
			return nil, err
		}
		if len(f.Chunks) > 0 {
			got, skipped, err := s.chunkIDs(ctx, a, f)
			if err != nil {
				return nil, err
			}
			ids, sn.Skipped = append(ids, got...), sn.Skipped+skipped
			continue
		}
		src, err := s.Store.Sources.FindSource(ctx, a.sourceHash(f.Hash))
		if err == nil {
			got, err := s.sourceIDs(a, src)
			if err != nil {
				return nil, err
			}
			ids, sn.Skipped = append(ids, got...), sn.Skipped+src.Skipped
			continue
		} else if beifen.ErrorCode(err) != beifen.ENOTFOUND {
			return nil, err
		}
		if _, err := s.Store.Blobs.FindBlobEntry(ctx, a.blobName(f.Hash)); beifen.ErrorCode(err) == beifen.ENOTFOUND {
			return nil, beifen.Errorf(beifen.EINVALID, "File %q has not been uploaded.", f.Path)
		} else if err != nil {
			return nil, err
		}
		rec, err := a.newRecord(beifen.KindFile, f.Identity(), f)
		if err != nil {
			return nil, err
		}
		entries, sn.Bytes = append(entries, rec), sn.Bytes+f.Size
	}
	if err := s.Store.Records.PutRecords(ctx, entries); err != nil {
		return nil, err
	}
	for _, r := range entries {
		ids = append(ids, r.ID)
	}
	if err := s.Store.Snapshots.CreateSnapshot(ctx, sn, sortedUnique(ids)); err != nil {
		return nil, err
	}
	s.Logger.InfoContext(ctx, "snapshot committed", "user_id", a.id, "snapshot_id", sn.ID,
		"records", len(ids), "new_blobs", sn.NewBlobs)
	return sn, nil
}

// chunkIDs returns the records read from the chunks an export was uploaded as.
func (s *Service) chunkIDs(ctx context.Context, a *account, f *beifen.File) ([]int64, int, error) {
	var ids []int64
	skipped := 0
	for _, c := range f.Chunks {
		if !c.Key.Valid() {
			return nil, 0, beifen.Errorf(beifen.EINVALID, "Not a SHA-256 hash: %q.", c.Key)
		}
		src, err := s.Store.Sources.FindSource(ctx, a.sourceHash(c.Key))
		if beifen.ErrorCode(err) == beifen.ENOTFOUND {
			return nil, 0, beifen.Errorf(beifen.EINVALID, "A chunk of %q has not been uploaded.", f.Path)
		} else if err != nil {
			return nil, 0, err
		}
		got, err := s.sourceIDs(a, src)
		if err != nil {
			return nil, 0, err
		}
		ids, skipped = append(ids, got...), skipped+src.Skipped
	}
	return ids, skipped, nil
}

func (s *Service) sourceIDs(a *account, src *beifen.Source) ([]int64, error) {
	list, err := a.keys.Open(src.Hash, src.Records)
	if err != nil {
		return nil, fmt.Errorf("open source: %w", err)
	}
	return decodeIDs(list)
}

// checkFile refuses paths that could escape the restore folder.
func checkFile(f *beifen.File) error {
	switch {
	case !f.Hash.Valid():
		return beifen.Errorf(beifen.EINVALID, "Not a SHA-256 hash: %q.", f.Hash)
	case f.Path == "" || strings.HasPrefix(f.Path, "/") || strings.Contains(f.Path, "\\") ||
		path.Clean(f.Path) != f.Path || f.Path == ".." || strings.HasPrefix(f.Path, "../"):
		return beifen.Errorf(beifen.EINVALID, "File path %q must be relative and clean.", f.Path)
	case f.Size < 0:
		return beifen.Errorf(beifen.EINVALID, "File size must not be negative.")
	}
	return nil
}
