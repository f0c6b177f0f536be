package backup

import (
	"context"
	"strings"
	"time"

	"github.com/beifen/beifen"
)

// GCStats counts what a collection removed.
type GCStats struct {
	Parts int // staged parts and spilled attachments of uploads that never finished
	Temps int // temporary files of writes that crashed
}

// cleaner is implemented by blob stores that leave temporary files behind on a crash.
type cleaner interface {
	Clean(olderThan time.Duration) (int, error)
}

// Collect removes what unfinished uploads left behind and that is older than grace: staged parts
// of files sent in parts, spilled attachments, and temporary files. Anything younger may belong
// to a backup still running, which will reuse it.
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
	if c, ok := s.Blobs.(cleaner); ok {
		n, err := c.Clean(grace)
		st.Temps = n
		if err != nil {
			return st, err
		}
	}
	s.Logger.InfoContext(ctx, "collected", "parts", st.Parts, "temps", st.Temps)
	return st, nil
}
