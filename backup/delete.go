package backup

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/vcard"
)

// DeleteItems erases items (contacts, messages, calls, files, by their record IDs as the browse
// pages give them) from every snapshot of the signed-in user's history, at once: a user's right
// to delete specific data (clause 6.3), not only their whole account. A file's content and an
// MMS's attachments are deleted with the last item that holds them, and every snapshot's
// conversation index is dropped (it is rebuilt when next read), so no name or snippet of a
// deleted message is left. IDs of other users' items read as not found, and nothing is deleted.
func (s *Service) DeleteItems(ctx context.Context, ids []int64) (*beifen.DeleteReceipt, error) {
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	// No conversation index of the account is built or stored while its items go.
	l := s.indexLock(a.id)
	l.Lock()
	defer l.Unlock()
	// A legal hold keeps everything of the account (clause 1.9), items included.
	if held, err := s.Store.Holds.IsHeld(ctx, a.id); err != nil {
		return nil, err
	} else if held {
		return nil, beifen.Errorf(beifen.EFORBIDDEN, "This account is under a legal hold: nothing of it can be deleted until the hold is lifted.")
	}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	if len(ids) == 0 {
		return nil, beifen.Errorf(beifen.EINVALID, "Choose the items to delete.")
	}
	if len(ids) > 1000 {
		return nil, beifen.Errorf(beifen.EINVALID, "Delete at most 1000 items at a time.")
	}
	recs, err := s.Store.Records.FindRecordsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	if len(recs) != len(ids) {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "Item not found.")
	}
	// Every version of each item goes: a message or call stored again, a contact with its UID,
	// a photo backed up again with another date. A file is its path and its content: another
	// file that once had the same name (a new phone's IMG_0001.jpg) is another item and stays.
	names := map[string]string{}
	itemKey := func(r *beifen.Record) (string, error) {
		key := string(r.Kind) + "\x00" + string(r.Ident)
		if r.Kind == beifen.KindFile {
			var f beifen.File
			if err := a.open(r, &f, names); err != nil {
				return "", err
			}
			key += "\x00" + string(f.Hash)
		}
		return key, nil
	}
	items := map[string]bool{}
	var people []person // the contacts chosen, to find their edited versions
	for _, r := range recs {
		k, err := itemKey(r)
		if err != nil {
			return nil, err
		}
		items[k] = true
		if r.Kind == beifen.KindContact {
			var c beifen.Contact
			if err := a.open(r, &c, names); err != nil {
				return nil, err
			}
			people = append(people, personOf(&c))
		}
	}
	recs = recs[:0]
	err = s.Store.Records.ScanRecords(ctx, func(r *beifen.Record) error {
		k, err := itemKey(r)
		if err != nil {
			return err
		}
		if !items[k] && r.Kind == beifen.KindContact && len(people) > 0 {
			// A card without a UID is identified by its content, so each edit is another
			// record: versions with the same name and a number in common (or no number on
			// either) are the same person, and go too.
			var c beifen.Contact
			if err := a.open(r, &c, names); err != nil {
				return err
			}
			p := personOf(&c)
			for _, q := range people {
				if p.same(q) {
					items[k] = true
				}
			}
		}
		if items[k] {
			c := *r
			c.Payload = slices.Clone(r.Payload)
			recs = append(recs, &c)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	ids = ids[:0]
	for _, r := range recs {
		ids = append(ids, r.ID)
	}
	gone := map[beifen.BlobKey]bool{} // contents the deleted items held
	cards := map[string]bool{}        // the deleted contacts as a share link holds them
	for _, r := range recs {
		if r.Kind != beifen.KindContact {
			continue
		}
		var c beifen.Contact
		if err := a.open(r, &c, names); err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := vcard.NewWriter(&buf).Write(&c); err != nil {
			return nil, err
		}
		cards[buf.String()] = true
	}
	dels := make([]beifen.RecordDeletion, 0, len(recs))
	for _, r := range recs {
		d := beifen.RecordDeletion{ID: r.ID, Kind: r.Kind}
		keys, err := blobsOf(a, r, names, &d)
		if err != nil {
			return nil, err
		}
		for _, k := range keys {
			gone[k] = true
		}
		dels = append(dels, d)
	}
	snaps, _, err := s.Store.Snapshots.FindSnapshots(ctx, beifen.SnapshotFilter{Limit: 1 << 30})
	if err != nil {
		return nil, err
	}
	rc := &beifen.DeleteReceipt{Items: len(dels)}

	// An index being built now may name the items: the account's index lock, taken above, waits
	// for it (waiting for the indexes commits build in the background would wait for this).
	if err := s.writer.sync(a.id); err != nil {
		return nil, err
	}
	if rc.Snapshots, err = s.Store.Records.DeleteRecords(ctx, dels); err != nil {
		return nil, err
	}
	// Contents still held by another item (the same photo under two names) stay.
	if len(gone) > 0 {
		err := s.Store.Records.ScanRecords(ctx, func(r *beifen.Record) error {
			if r.Kind == beifen.KindFile || r.Kind == beifen.KindMMS {
				keys, err := blobsOf(a, r, names, nil)
				if err != nil {
					return err // unsure what it holds: keep everything
				}
				for _, k := range keys {
					delete(gone, k)
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	var contents []string
	for k := range gone {
		contents = append(contents, a.blobName(k))
	}
	if rc.Blobs, err = s.deleteContents(ctx, contents); err != nil {
		return nil, err
	}
	// A link to a deleted contact, or to a file whose content went, stops working.
	shares, err := s.Store.Shares.FindShares(ctx)
	if err != nil {
		return nil, err
	}
	for _, sh := range shares {
		if !sh.RevokedAt.IsZero() {
			continue
		}
		ref, err := a.openShare(sh)
		if err != nil {
			return nil, err
		}
		if (len(ref.VCard) > 0 && cards[string(ref.VCard)]) || (ref.Hash != "" && gone[ref.Hash]) {
			if err := s.RevokeShare(ctx, sh.ID); err != nil {
				return nil, err
			}
		}
	}
	s.threads.forget(a.id)
	// The stored conversation index of each snapshot that held a deleted item goes (its
	// revision changed, and with it the name its index is stored under from now on); the others
	// stay valid and are not built again.
	after, _, err := s.Store.Snapshots.FindSnapshots(ctx, beifen.SnapshotFilter{Limit: 1 << 30})
	if err != nil {
		return nil, err
	}
	revision := make(map[int64]int64, len(after))
	for _, sn := range after {
		revision[sn.ID] = sn.Revision
	}
	for _, sn := range snaps {
		if rev, ok := revision[sn.ID]; ok && rev == sn.Revision {
			continue
		}
		if err := s.Blobs.Delete(ctx, a.indexName(sn)); err != nil && beifen.ErrorCode(err) != beifen.ENOTFOUND {
			return nil, err
		}
	}
	if err := s.audit(ctx, "items.delete", fmt.Sprintf("records:%d", len(dels))); err != nil {
		return nil, err
	}
	if s.Requests != nil {
		if err := s.Requests.Recorded(ctx, beifen.RightDelete, fmt.Sprintf("%d items", len(dels))); err != nil {
			return nil, err
		}
	}
	s.Logger.InfoContext(ctx, "items deleted", "user_id", a.id, "items", rc.Items, "snapshots", rc.Snapshots, "blobs", rc.Blobs)
	return rc, nil
}

// blobsOf returns the stored contents a record holds (a file's, an MMS's attachments) and, when
// d is not nil, sets the bytes it counts for. A record that cannot be opened is an error: the
// callers sweep what no record holds, and must not take "unreadable" for "holds nothing".
func blobsOf(a *account, r *beifen.Record, names map[string]string, d *beifen.RecordDeletion) ([]beifen.BlobKey, error) {
	switch r.Kind {
	case beifen.KindFile:
		var f beifen.File
		if err := a.open(r, &f, names); err != nil {
			return nil, err
		}
		if d != nil {
			d.Bytes = f.Size
		}
		return []beifen.BlobKey{f.Hash}, nil
	case beifen.KindMMS:
		var m beifen.Message
		if err := a.open(r, &m, names); err != nil {
			return nil, err
		}
		var keys []beifen.BlobKey
		for _, p := range m.Parts {
			if p.Blob != nil {
				keys = append(keys, p.Blob.Key)
			}
		}
		return keys, nil
	}
	return nil, nil
}

// person is what tells two versions of a card apart from two people: the name and the numbers.
type person struct {
	name string
	tels map[string]bool
}

func personOf(c *beifen.Contact) person {
	p := person{name: strings.TrimSpace(c.DisplayName()), tels: map[string]bool{}}
	for _, t := range c.PropValues("TEL") {
		if d := digits(strings.TrimPrefix(t, "tel:")); len(d) >= 5 {
			p.tels[d[max(len(d)-11, 0):]] = true // the national number, with or without +86
		}
	}
	return p
}

// same reports whether two cards are versions of one person's card.
func (p person) same(q person) bool {
	if p.name == "" || p.name != q.name {
		return false
	}
	if len(p.tels) == 0 && len(q.tels) == 0 {
		return true
	}
	for t := range p.tels {
		if q.tels[t] {
			return true
		}
	}
	return false
}
