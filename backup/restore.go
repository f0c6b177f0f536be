package backup

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"sort"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/sbr"
	"github.com/beifen/beifen/vcard"
	"golang.org/x/sync/errgroup"
)

// FindSnapshots returns the user's snapshots, newest first.
func (s *Service) FindSnapshots(ctx context.Context, f beifen.SnapshotFilter) ([]*beifen.Snapshot, int, error) {
	return s.Store.Snapshots.FindSnapshots(ctx, f)
}

// FindSnapshotByID returns ENOTFOUND if there is no such snapshot of the user.
func (s *Service) FindSnapshotByID(ctx context.Context, id int64) (*beifen.Snapshot, error) {
	return s.Store.Snapshots.FindSnapshotByID(ctx, id)
}

// each opens every record of kind in snapshot id into a new T and calls fn with it, in ID order.
// Three stages run at once, a few batches apart: reading the records from the store, decrypting
// and decoding them, and fn. An export (sms.xml: 200,000 messages) is then no longer one serial
// loop, which made it the last part of a restore to finish.
func each[T any](ctx context.Context, s *Service, a *account, id int64, kind beifen.RecordKind, fn func(*T) error) error {
	g, gctx := errgroup.WithContext(ctx)
	sealed := make(chan []beifen.Record, eachAhead)
	opened := make(chan []*T, eachAhead)
	g.Go(func() (err error) {
		defer recovered(&err)
		defer close(sealed)
		batch := make([]beifen.Record, 0, eachBatch)
		send := func() error {
			select {
			case sealed <- batch:
				batch = make([]beifen.Record, 0, eachBatch)
				return nil
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		err = s.Store.Snapshots.SnapshotRecords(gctx, id, kind, func(r *beifen.Record) error {
			// The store reuses r and its slices: keep copies.
			batch = append(batch, beifen.Record{ID: r.ID, Kind: r.Kind,
				Version: bytes.Clone(r.Version), Payload: bytes.Clone(r.Payload)})
			if len(batch) == eachBatch {
				return send()
			}
			return nil
		})
		if err == nil && len(batch) > 0 {
			err = send()
		}
		return err
	})
	g.Go(func() (err error) {
		defer recovered(&err)
		defer close(opened)
		names := map[string]string{}
		for recs := range sealed {
			vs := make([]*T, len(recs))
			for i := range recs {
				vs[i] = new(T)
				if err := a.open(&recs[i], vs[i], names); err != nil {
					return err
				}
			}
			select {
			case opened <- vs:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	g.Go(func() (err error) {
		defer recovered(&err)
		for vs := range opened {
			if err := gctx.Err(); err != nil {
				return err
			}
			for _, v := range vs {
				if err := fn(v); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return g.Wait()
}

// recovered turns a panic in one of each's goroutines into its error: the server's recovery
// of panics covers only the goroutine serving the request.
func recovered(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("panic: %v", r)
	}
}

// Records go from one stage of each to the next eachBatch at a time, at most eachAhead batches
// ahead.
const (
	eachBatch = 256
	eachAhead = 4
)

// open decrypts and decodes a record's payload into v.
func (a *account) open(r *beifen.Record, v any, names map[string]string) error {
	pt, err := a.keys.Open(a.recordAAD(r.Kind, r.Version), r.Payload)
	if err != nil {
		return fmt.Errorf("record %d: %w", r.ID, err)
	}
	if err := decodePayload(pt, v, names); err != nil {
		return fmt.Errorf("record %d: %w", r.ID, err)
	}
	switch x := v.(type) {
	case *beifen.Contact:
		x.RecordID = r.ID
	case *beifen.Message:
		x.RecordID = r.ID
	case *beifen.Call:
		x.RecordID = r.ID
	case *beifen.File:
		x.RecordID = r.ID
	}
	return nil
}

// ExportContacts writes the snapshot's contacts as vCard 3.0.
func (s *Service) ExportContacts(ctx context.Context, id int64, w io.Writer) error {
	a, err := s.account(ctx)
	if err != nil {
		return err
	}
	if err := s.audit(ctx, "snapshot.export", fmt.Sprintf("snapshot:%d/contacts", id)); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	vw := vcard.NewWriter(bw)
	if err := each(ctx, s, a, id, beifen.KindContact, vw.Write); err != nil {
		return err
	}
	return bw.Flush()
}

// ExportMessages writes the snapshot's SMS and MMS as SMS Backup & Restore XML.
func (s *Service) ExportMessages(ctx context.Context, id int64, w io.Writer) error {
	return s.exportXML(ctx, id, w, func(a *account, sn *beifen.Snapshot, bw io.Writer) (xmlWriter, error) {
		open := func(key beifen.BlobKey) (io.ReadCloser, error) { return a.blobs.Open(ctx, a.blobName(key)) }
		mw, err := sbr.NewMessageWriter(bw, sn.Messages, open)
		if err != nil {
			return nil, err
		}
		for _, kind := range []beifen.RecordKind{beifen.KindSMS, beifen.KindMMS} {
			if err := each(ctx, s, a, id, kind, mw.Write); err != nil {
				return nil, err
			}
		}
		return mw, nil
	})
}

// ExportCalls writes the snapshot's call log as SMS Backup & Restore XML.
func (s *Service) ExportCalls(ctx context.Context, id int64, w io.Writer) error {
	return s.exportXML(ctx, id, w, func(a *account, sn *beifen.Snapshot, bw io.Writer) (xmlWriter, error) {
		cw, err := sbr.NewCallWriter(bw, sn.Calls)
		if err != nil {
			return nil, err
		}
		return cw, each(ctx, s, a, id, beifen.KindCall, cw.Write)
	})
}

// xmlWriter is an SMS Backup & Restore writer that has had its items.
type xmlWriter interface{ Close() error }

// exportXML runs write with the snapshot and a buffered writer, then closes the document.
func (s *Service) exportXML(ctx context.Context, id int64, w io.Writer, write func(*account, *beifen.Snapshot, io.Writer) (xmlWriter, error)) error {
	a, err := s.account(ctx)
	if err != nil {
		return err
	}
	sn, err := s.Store.Snapshots.FindSnapshotByID(ctx, id)
	if err != nil {
		return err
	}
	if err := s.audit(ctx, "snapshot.export", fmt.Sprintf("snapshot:%d", id)); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	xw, err := write(a, sn, bw)
	if err != nil {
		return err
	}
	if err := xw.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

// SnapshotFiles lists the snapshot's plain files, by path.
func (s *Service) SnapshotFiles(ctx context.Context, id int64) ([]*beifen.File, error) {
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	files := []*beifen.File{}
	err = each(ctx, s, a, id, beifen.KindFile, func(f *beifen.File) error { files = append(files, f); return nil })
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, err
}

// StatFile returns the size of a file's content. Returns ENOTFOUND if the user has no such
// content.
func (s *Service) StatFile(ctx context.Context, hash beifen.BlobKey) (int64, error) {
	a, err := s.account(ctx)
	if err != nil {
		return 0, err
	}
	e, err := s.fileEntry(ctx, a, hash)
	if err != nil {
		return 0, err
	}
	return e.Size, nil
}

func (s *Service) fileEntry(ctx context.Context, a *account, hash beifen.BlobKey) (*beifen.BlobEntry, error) {
	if !hash.Valid() {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "File not found.")
	}
	e, err := s.Store.Blobs.FindBlobEntry(ctx, a.blobName(hash))
	if beifen.ErrorCode(err) == beifen.ENOTFOUND {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "File not found.")
	}
	return e, err
}

// OpenFile returns part of a file's content. Returns ENOTFOUND if the user has no such content.
func (s *Service) OpenFile(ctx context.Context, hash beifen.BlobKey, offset, length int64) (io.ReadCloser, error) {
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := s.fileEntry(ctx, a, hash); err != nil {
		return nil, err
	}
	return a.blobs.OpenRange(ctx, a.blobName(hash), offset, length)
}

// DiffSnapshots says what changed from snapshot a to snapshot b.
func (s *Service) DiffSnapshots(ctx context.Context, a, b int64) (*beifen.SnapshotDiff, error) {
	ra, err := s.Store.Snapshots.SnapshotRefs(ctx, a)
	if err != nil {
		return nil, err
	}
	rb, err := s.Store.Snapshots.SnapshotRefs(ctx, b)
	if err != nil {
		return nil, err
	}
	return diffRefs(ra, rb), nil
}

func diffRefs(a, b []beifen.RecordRef) *beifen.SnapshotDiff {
	d := &beifen.SnapshotDiff{}
	counts := map[beifen.RecordKind]*beifen.DiffCount{beifen.KindContact: &d.Contacts,
		beifen.KindSMS: &d.Messages, beifen.KindMMS: &d.Messages, beifen.KindCall: &d.Calls, beifen.KindFile: &d.Files}
	key := func(r beifen.RecordRef) string { return string(r.Kind) + "\x00" + string(r.Ident) }
	before := make(map[string]string, len(a))
	for _, r := range a {
		before[key(r)] = string(r.Version)
	}
	after := make(map[string]bool, len(b))
	for _, r := range b {
		after[key(r)] = true
		v, ok := before[key(r)]
		switch {
		case !ok:
			counts[r.Kind].Added++
		case v != string(r.Version):
			counts[r.Kind].Changed++
		}
	}
	for _, r := range a {
		if !after[key(r)] {
			counts[r.Kind].Removed++
		}
	}
	return d
}
