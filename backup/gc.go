package backup

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/beifen/beifen"
)

// GCStats counts what a collection removed.
type GCStats struct {
	Parts   int // staged parts and spilled attachments of uploads that never finished
	Temps   int // temporary files of writes that crashed
	Records int // records no snapshot holds, stored by backups that never committed
	Blobs   int // stored contents no record names any more
}

// cleaner is implemented by blob stores that leave temporary files behind on a crash.
type cleaner interface {
	Clean(olderThan time.Duration) (int, error)
}

// Collect removes what unfinished uploads left behind and that is older than grace: staged parts
// of files sent in parts, spilled attachments, temporary files, and, account by account, the
// records no snapshot holds and the stored contents no record names (mark and sweep: every
// record is opened to collect the contents it names). Anything younger may belong to a backup
// still running, which will reuse it.
func (s *Service) Collect(ctx context.Context, grace time.Duration) (GCStats, error) {
	var st GCStats
	cutoff := time.Now().Add(-grace)
	for _, prefix := range []string{"stage-", "spill-"} {
		var stale []string
		err := s.Blobs.List(ctx, prefix, func(info beifen.BlobInfo) error {
			if info.ModTime.Before(cutoff) && strings.HasPrefix(info.Key, prefix) {
				stale = append(stale, info.Key)
			}
			return nil
		})
		if err != nil {
			return st, err
		}
		for _, key := range stale {
			if err := s.Blobs.Delete(ctx, key); err != nil && beifen.ErrorCode(err) != beifen.ENOTFOUND {
				return st, err
			}
			st.Parts++
		}
	}
	// An account that cannot be collected (a record that does not open) keeps everything and
	// is reported, but does not stop the others.
	var failed []error
	err := beifen.EachAccount(ctx, s.Store.Users, func(u *beifen.User) error {
		records, blobs, err := s.collectAccount(ctx, u, cutoff)
		st.Records += records
		st.Blobs += blobs
		if err != nil {
			s.Logger.ErrorContext(ctx, "collect account", "user_id", u.ID, "err", err)
			failed = append(failed, fmt.Errorf("account %d: %w", u.ID, err))
		}
		return ctx.Err()
	})
	if err != nil {
		return st, err
	}
	if c, ok := s.Blobs.(cleaner); ok {
		n, err := c.Clean(grace)
		st.Temps = n
		if err != nil {
			return st, err
		}
	}
	s.Logger.InfoContext(ctx, "collected", "parts", st.Parts, "temps", st.Temps, "records", st.Records, "blobs", st.Blobs)
	return st, errors.Join(failed...)
}

// collectAccount deletes one account's records no snapshot holds and its stored contents no
// record names, both older than cutoff.
func (s *Service) collectAccount(ctx context.Context, u *beifen.User, cutoff time.Time) (records, blobs int, err error) {
	a, err := s.accountOf(u)
	if err != nil {
		return 0, 0, err
	}
	uctx := beifen.NewContextWithUser(ctx, u)
	if records, err = s.Store.Records.DeleteOrphanRecords(uctx, cutoff); err != nil {
		return 0, 0, err
	}
	named := map[string]bool{}
	names := map[string]string{}
	err = s.Store.Records.ScanRecords(uctx, func(r *beifen.Record) error {
		if r.Kind == beifen.KindFile || r.Kind == beifen.KindMMS {
			keys, err := blobsOf(a, r, names, nil)
			if err != nil {
				return err // unsure what it names: collect nothing of this account
			}
			for _, k := range keys {
				named[a.blobName(k)] = true
			}
		}
		return nil
	})
	if err != nil {
		return records, 0, err
	}
	var stale []string
	err = s.Store.Blobs.ScanBlobEntries(uctx, func(e *beifen.BlobEntry) error {
		if !named[e.Name] && e.CreatedAt.Before(cutoff) {
			stale = append(stale, e.Name)
		}
		return nil
	})
	if err != nil || len(stale) == 0 {
		return records, 0, err
	}
	blobs, err = s.deleteContents(uctx, stale)
	return records, blobs, err
}

// deleteContents deletes stored contents of the context's user (their blobs, given by name, and
// their previews) and returns how many went. The registry goes first: a content it no longer
// lists is uploaded again if needed, while a listed content that is gone would be taken as stored.
func (s *Service) deleteContents(ctx context.Context, names []string) (int, error) {
	if len(names) == 0 {
		return 0, nil
	}
	if err := s.Store.Blobs.DeleteBlobEntries(ctx, names); err != nil {
		return 0, err
	}
	n := 0
	for _, name := range names {
		for _, b := range []string{name, thumbName(name)} {
			if err := s.Blobs.Delete(ctx, b); err != nil && beifen.ErrorCode(err) != beifen.ENOTFOUND {
				return n, err
			}
		}
		n++
	}
	return n, nil
}
