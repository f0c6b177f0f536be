package backup

import (
	"context"
	"time"

	"github.com/beifen/beifen"
)

// Receipt says what erasing an account removed (clause 6.4).
type Receipt struct {
	UserID   int64     `json:"user_id"`
	ErasedAt time.Time `json:"erased_at"`
	Blobs    int       `json:"blobs"`
	Records  int       `json:"records"`
}

// EraseAccount erases an account for good: its blobs are deleted, its records, snapshots,
// sources and tokens removed, and its data key destroyed, so any copy of its data (a database
// backup, say) can no longer be read. The account row stays as a pseudonymous tombstone with the
// anonymous number and profile given; team data keeps its history without the person.
func (s *Service) EraseAccount(ctx context.Context, u *beifen.User, phoneHash, sealed []byte) (*Receipt, error) {
	s.WaitIndexing()    // no index of this account is written after it is gone
	s.writer.sync(u.ID) // nor any of its records; a failed write only means fewer to erase
	l := s.indexLock(u.ID)
	l.Lock() // nor is one being built or stored meanwhile
	defer l.Unlock()
	s.threads.forget(u.ID) // names and snippets must not outlive the account in memory
	r := &Receipt{UserID: u.ID}
	uctx := beifen.NewContextWithUser(ctx, u)
	var names []string
	if err := s.Store.Blobs.ScanBlobEntries(uctx, func(e *beifen.BlobEntry) error {
		names = append(names, e.Name, thumbName(e.Name))
		return nil
	}); err != nil {
		return nil, err
	}
	if err := s.Store.Records.ScanRecords(uctx, func(*beifen.Record) error { r.Records++; return nil }); err != nil {
		return nil, err
	}
	// The conversation indexes of the snapshots, kept beside the blobs.
	if a, err := s.accountOf(u); err == nil {
		snaps, _, err := s.Store.Snapshots.FindSnapshots(uctx, beifen.SnapshotFilter{Limit: 1 << 30})
		if err != nil {
			return nil, err
		}
		for _, sn := range snaps {
			names = append(names, a.indexName(sn))
		}
	}
	// The key goes first, in the same transaction as the rows: from then on nothing is readable.
	if err := s.Store.Users.EraseUser(ctx, u.ID, phoneHash, sealed); err != nil {
		return nil, err
	}
	for _, name := range names {
		err := s.Blobs.Delete(ctx, name)
		if beifen.ErrorCode(err) == beifen.ENOTFOUND {
			continue // a preview or index never made
		} else if err != nil {
			return nil, err
		}
		r.Blobs++
	}
	r.ErasedAt = time.Now().UTC()
	s.Logger.InfoContext(ctx, "account erased", "user_id", u.ID, "blobs", r.Blobs, "records", r.Records)
	return r, nil
}
