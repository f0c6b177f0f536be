package backup

import (
	"context"
	"errors"
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
	ids, sn, err := s.collect(ctx, a, files)
	if err != nil {
		return nil, err
	}
	return s.create(ctx, a, sn, ids)
}

// create stores a snapshot of these records.
func (s *Service) create(ctx context.Context, a *account, sn *beifen.Snapshot, ids []int64) (*beifen.Snapshot, error) {
	if err := s.Store.Snapshots.CreateSnapshot(ctx, sn, sortedUnique(ids)); err != nil {
		if beifen.ErrorCode(err) == beifen.ECONFLICT {
			// Records that the sources named are gone (gc collected an abandoned backup's records
			// while this one reused them): forget the sources, so that the client's next ask finds
			// their exports missing and sends them again, instead of failing the same way forever.
			if derr := s.Store.Sources.DeleteSources(ctx); derr != nil {
				return nil, errors.Join(err, derr)
			}
			s.Logger.WarnContext(ctx, "snapshot refers to records gone; sources forgotten", "user_id", a.id)
		}
		return nil, err
	}
	s.Logger.InfoContext(ctx, "snapshot committed", "user_id", a.id, "snapshot_id", sn.ID,
		"records", len(ids), "new_blobs", sn.NewBlobs)
	// Index the conversations in the background, so the first page the user opens is quick even
	// after a restart, without the backup waiting for it. A failure here loses nothing: the
	// first page builds it instead.
	if sn.Messages > 0 {
		bctx := context.WithoutCancel(ctx)
		s.indexing.Add(1)
		go func() {
			defer s.indexing.Done()
			if _, err := s.index(bctx, a, sn.ID); err != nil {
				s.Logger.WarnContext(bctx, "conversation index", "user_id", a.id, "snapshot_id", sn.ID, "err", err)
			}
		}()
	}
	return sn, nil
}

// collect returns the records that files stand for, storing the file entries of plain files. It
// first waits for the records of the exports read so far: a failed write fails the commit.
func (s *Service) collect(ctx context.Context, a *account, files []*beifen.File) ([]int64, *beifen.Snapshot, error) {
	if err := s.writer.sync(a.id); err != nil {
		return nil, nil, err
	}
	var ids []int64
	var entries []*beifen.Record
	sn := &beifen.Snapshot{}
	for _, f := range files {
		if err := checkFile(f); err != nil {
			return nil, nil, err
		}
		if len(f.Chunks) > 0 {
			got, skipped, err := s.chunkIDs(ctx, a, f)
			if err != nil {
				return nil, nil, err
			}
			ids, sn.Skipped = append(ids, got...), sn.Skipped+skipped
			continue
		}
		src, err := s.Store.Sources.FindSource(ctx, a.sourceHash(f.Hash))
		if err == nil {
			got, err := s.sourceIDs(a, src)
			if err != nil {
				return nil, nil, err
			}
			ids, sn.Skipped = append(ids, got...), sn.Skipped+src.Skipped
			continue
		} else if beifen.ErrorCode(err) != beifen.ENOTFOUND {
			return nil, nil, err
		}
		if _, err := s.Store.Blobs.FindBlobEntry(ctx, a.blobName(f.Hash)); beifen.ErrorCode(err) == beifen.ENOTFOUND {
			return nil, nil, notUploaded("File %q", f.Path)
		} else if err != nil {
			return nil, nil, err
		}
		rec, err := a.newRecord(beifen.KindFile, f.Identity(), f)
		if err != nil {
			return nil, nil, err
		}
		entries, sn.Bytes = append(entries, rec), sn.Bytes+f.Size
	}
	if err := s.Store.Records.PutRecords(ctx, entries); err != nil {
		return nil, nil, err
	}
	for _, r := range entries {
		ids = append(ids, r.ID)
	}
	return ids, sn, nil
}

// notUploaded is the error for a manifest naming content the server does not have: never sent,
// or sent and then lost (collected by gc while the backup ran, or queued when the server
// stopped). ECONFLICT tells the client to ask what is missing and send it again.
func notUploaded(what, path string) error {
	return beifen.Errorf(beifen.ECONFLICT, what+" is not on the server (not sent, or removed before this backup finished): send it again.", path)
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
			return nil, 0, notUploaded("A chunk of %q", f.Path)
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

// AddToBackup creates a snapshot of the newest one with these files added, for uploads from the
// web: an export replaces every item of the kinds it holds (a new sms.xml replaces the messages,
// a .vcf the contacts), and a plain file replaces the file at its path. With no snapshot yet it
// is CommitBackup.
func (s *Service) AddToBackup(ctx context.Context, files []*beifen.File) (*beifen.Snapshot, error) {
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	ids, sn, err := s.collect(ctx, a, files)
	if err != nil {
		return nil, err
	}
	latest, _, err := s.Store.Snapshots.FindSnapshots(ctx, beifen.SnapshotFilter{Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(latest) == 0 {
		return s.create(ctx, a, sn, ids)
	}
	replaced := map[beifen.RecordKind]bool{}
	paths := map[string]bool{}
	for i := 0; i < len(ids); i += 1000 {
		recs, err := s.Store.Records.FindRecordsByIDs(ctx, ids[i:min(i+1000, len(ids))])
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			if r.Kind == beifen.KindFile {
				paths[string(r.Ident)] = true
				continue
			}
			replaced[r.Kind] = true
			if r.Kind == beifen.KindSMS || r.Kind == beifen.KindMMS {
				replaced[beifen.KindSMS], replaced[beifen.KindMMS] = true, true
			}
		}
	}
	refs, err := s.Store.Snapshots.SnapshotRefs(ctx, latest[0].ID)
	if err != nil {
		return nil, err
	}
	for _, ref := range refs {
		if replaced[ref.Kind] || (ref.Kind == beifen.KindFile && paths[string(ref.Ident)]) {
			continue
		}
		ids = append(ids, ref.ID)
	}
	return s.create(ctx, a, sn, ids)
}
