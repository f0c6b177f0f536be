package backup

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

// TestCommitForgetsSourcesOfRecordsGone: gc collected an abandoned backup's records while a
// backup that reused them ran, and that backup's source of the export named them (a race a
// review found). The commit is refused, and it forgets the account's sources: the client's next
// ask finds the export missing, sends it again, and the commit after that succeeds, where before
// every later backup failed the same way.
func TestCommitForgetsSourcesOfRecordsGone(t *testing.T) {
	s, uctx := testService(t)
	a, err := s.account(uctx)
	if err != nil {
		t.Fatal(err)
	}
	vcf := []byte("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Li Lei\r\nTEL:13612345678\r\nEND:VCARD\r\n")
	sum := sha256.Sum256(vcf)
	hash := beifen.BlobKey(hex.EncodeToString(sum[:]))
	file := &beifen.File{Path: "contacts.vcf", Size: int64(len(vcf)), Hash: hash}
	upload := func() {
		t.Helper()
		if _, err := s.UploadPart(uctx, hash, int64(len(vcf)), 0, "contacts.vcf", bytes.NewReader(vcf)); err != nil {
			t.Fatal(err)
		}
		s.WaitWrites()
	}
	upload()
	src, err := s.Store.Sources.FindSource(uctx, a.sourceHash(hash))
	if err != nil {
		t.Fatal(err)
	}
	// gc takes the records (and the sources); the racing backup then writes its source again.
	if n, err := s.Store.Records.DeleteOrphanRecords(uctx, time.Now().Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("DeleteOrphanRecords=%d, %v", n, err)
	}
	if err := s.Store.Sources.PutSources(uctx, []*beifen.Source{src}); err != nil {
		t.Fatal(err)
	}

	_, err = s.CommitBackup(uctx, []*beifen.File{file})
	if beifen.ErrorCode(err) != beifen.ECONFLICT {
		t.Fatalf("commit naming records gone: %v, want ECONFLICT", err)
	}
	if missing, err := s.MissingFiles(uctx, []beifen.BlobKey{hash}); err != nil || !slices.Equal(missing, []beifen.BlobKey{hash}) {
		t.Fatalf("after the refused commit, missing=%v, %v; want the export", missing, err)
	}
	upload()
	sn, err := s.CommitBackup(uctx, []*beifen.File{file})
	if err != nil || sn.Contacts != 1 {
		t.Fatalf("commit after sending again: %+v, %v", sn, err)
	}
}
