package crm

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/beifen/beifen"
)

// rejectWriter writes an import's rejected rows as CSV into the team's encrypted blob store, in
// chunks, so that a file of a million bad rows never sits in memory whole.
type rejectWriter struct {
	ctx    context.Context
	t      *team
	id     string
	buf    bytes.Buffer
	w      *csv.Writer
	chunks int
}

func (rw *rejectWriter) write(row *beifen.LeadRow, reason string) error {
	if rw.w == nil {
		rw.buf.WriteString("\ufeff") // so that Excel opens the UTF-8 file as UTF-8
		rw.w = csv.NewWriter(&rw.buf)
		rw.w.Write([]string{"sheet", "row", "reason", "content"})
	}
	rw.w.Write([]string{row.Sheet, strconv.Itoa(row.Row), reason, row.Raw})
	rw.w.Flush()
	if rw.buf.Len() >= rejectChunk {
		return rw.flush()
	}
	return rw.w.Error()
}

func (rw *rejectWriter) flush() error {
	if rw.buf.Len() == 0 {
		return nil
	}
	err := rw.t.blobs.Put(rw.ctx, rw.t.rejectName(rw.id, rw.chunks), bytes.NewReader(rw.buf.Bytes()), int64(rw.buf.Len()))
	rw.buf.Reset()
	rw.chunks++
	return err
}

func (rw *rejectWriter) close() error { return rw.flush() }

// rejectName is where chunk n of an import's rejected rows is kept: a name only the team's key
// can work out, so another team asking for the same import ID finds nothing.
func (t *team) rejectName(id string, n int) string {
	return fmt.Sprintf("rejected-%s-%d", t.keys.BlobName("import:" + id)[:40], n)
}

// RejectedRows writes an import's rejected rows as CSV. Returns ENOTFOUND for an unknown import
// or another team's.
func (s *Service) RejectedRows(ctx context.Context, id string, w io.Writer) error {
	t, err := s.teamOf(ctx, beifen.RoleAdmin, beifen.RoleManager)
	if err != nil {
		return err
	}
	if err := s.audit(ctx, "leads.rejected.export", "import:"+id); err != nil {
		return err
	}
	for n := 0; ; n++ {
		rc, err := t.blobs.Open(ctx, t.rejectName(id, n))
		if beifen.ErrorCode(err) == beifen.ENOTFOUND {
			if n == 0 {
				return beifen.Errorf(beifen.ENOTFOUND, "No rejected rows for this import.")
			}
			return nil
		} else if err != nil {
			return err
		}
		_, err = io.Copy(w, rc)
		rc.Close()
		if err != nil {
			return err
		}
	}
}

// RejectedRowsKeep is how long an import's rejected rows stay downloadable (issue 4's retention
// rule for them): long enough to fix and re-import, then they go.
const RejectedRowsKeep = 30 * 24 * time.Hour

// ExpireRejectedRows deletes every team's rejected-row files older than RejectedRowsKeep at now,
// and returns how many it deleted. The hourly job runs it; running it twice does no harm.
func (s *Service) ExpireRejectedRows(ctx context.Context, now time.Time) (int, error) {
	var old []string
	err := s.Blobs.List(ctx, "rejected-", func(info beifen.BlobInfo) error {
		if info.ModTime.Before(now.Add(-RejectedRowsKeep)) {
			old = append(old, info.Key)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, key := range old {
		if err := s.Blobs.Delete(ctx, key); err != nil && beifen.ErrorCode(err) != beifen.ENOTFOUND {
			return n, err
		}
		n++
	}
	if n > 0 {
		s.Logger.InfoContext(ctx, "rejected rows expired", "files", n)
	}
	return n, nil
}
