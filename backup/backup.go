// Package backup is beifen's backup engine: it reads phone exports into records, stores files
// and attachments as encrypted blobs, commits snapshots that cost only what changed, and writes
// any snapshot back out in the formats phones import.
//
// Everything it stores is encrypted under the account's data key (see package keyring): record
// payloads are sealed, identities are keyed hashes, blob names are keyed hashes of content
// hashes and blob contents are encrypted by package blobcrypt.
package backup

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"strconv"
	"sync"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/blobcrypt"
	"github.com/beifen/beifen/keyring"
)

// MaxFileSize is the largest file one backup accepts.
const MaxFileSize = 64 << 30

// Service implements beifen.BackupService.
type Service struct {
	Store  beifen.Store
	Blobs  beifen.BlobStore // the raw blob store; Service encrypts what it puts there
	Master *keyring.Master
	Logger *slog.Logger

	// Auditor records each export of a snapshot (may be nil in tests).
	Auditor beifen.Auditor

	// Requests records deletions of items as rights requests (may be nil).
	Requests beifen.RightsRecorder

	writer   groupWriter    // stores the records of concurrent export reads together
	threads  indexCache     // conversation indexes of the snapshots browsed last
	indexing sync.WaitGroup // indexes being built after a commit

	// indexLocks order conversation indexes and deletions of one account in this process
	// (striped by account ID): an index is read, built and stored under the read lock, and a
	// deletion of items or of the account holds the write lock from before it deletes records
	// until it has dropped the indexes. An index built from records read before a deletion can
	// then never be stored, or kept in memory, after it: it would show a deleted message's text
	// again. Across replicas, the snapshot's revision does the same (see keepIndex).
	indexLocks [64]sync.RWMutex
}

// indexLock returns the lock that orders uid's conversation indexes and deletions.
func (s *Service) indexLock(uid int64) *sync.RWMutex {
	return &s.indexLocks[uint64(uid)%uint64(len(s.indexLocks))]
}

// WaitIndexing waits for the conversation indexes being built after commits (before the server
// closes, or an account is erased).
func (s *Service) WaitIndexing() { s.indexing.Wait() }

// WaitWrites waits until the records of every export read so far are stored (before the server
// closes its database).
func (s *Service) WaitWrites() { s.writer.drain() }

var _ beifen.BackupService = (*Service)(nil)

// audit records an access in the account's audit log.
func (s *Service) audit(ctx context.Context, action, object string) error {
	if s.Auditor == nil {
		return nil
	}
	return s.Auditor.Audit(ctx, action, object)
}

// NewService returns a Service.
func NewService(store beifen.Store, blobs beifen.BlobStore, master *keyring.Master, logger *slog.Logger) *Service {
	return &Service{Store: store, Blobs: blobs, Master: master, Logger: logger}
}

// account is what one request needs of the signed-in account.
type account struct {
	id    int64
	keys  *keyring.Account
	blobs *blobcrypt.Store
}

func (s *Service) account(ctx context.Context) (*account, error) {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return nil, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	return s.accountOf(u)
}

func (s *Service) accountOf(u *beifen.User) (*account, error) {
	if len(u.WrappedKey) == 0 {
		return nil, beifen.Errorf(beifen.EFORBIDDEN, "This account's data key has been destroyed.")
	}
	keys, err := s.Master.Unwrap(u.ID, u.WrappedKey)
	if err != nil {
		return nil, fmt.Errorf("account %d: %w", u.ID, err)
	}
	return &account{id: u.ID, keys: keys, blobs: blobcrypt.Wrap(s.Blobs, keys.BlobKey())}, nil
}

// blobName is where the blob with content hash key is stored.
func (a *account) blobName(key beifen.BlobKey) string { return a.keys.BlobName(string(key)) }

// sourceHash is the keyed hash under which an export file read into records is remembered.
func (a *account) sourceHash(key beifen.BlobKey) []byte {
	return a.keys.Ident([]byte("source\x00" + string(key)))
}

func (a *account) stageName(key beifen.BlobKey, part int) string {
	return "stage-" + a.blobName(key) + "-" + strconv.Itoa(part)
}

// recordAAD binds a sealed payload to its account, kind and content.
func (a *account) recordAAD(kind beifen.RecordKind, version []byte) []byte {
	aad := strconv.AppendInt([]byte("beifen record\x00"), a.id, 10)
	aad = append(append(append(aad, 0), kind...), 0)
	return append(aad, version...)
}

// hashingReader hashes what it reads and, at EOF, fails unless exactly size bytes with the
// content hash want came: the failure reaches the blob store or the export reader before
// anything is committed, so a corrupt or cut upload is never stored.
type hashingReader struct {
	r    io.Reader
	h    hash.Hash
	n    int64
	size int64
	want beifen.BlobKey
}

func newHashingReader(r io.Reader, want beifen.BlobKey, size int64) *hashingReader {
	return &hashingReader{r: r, h: sha256.New(), want: want, size: size}
}

func (hr *hashingReader) Read(p []byte) (int, error) {
	n, err := hr.r.Read(p)
	hr.h.Write(p[:n])
	hr.n += int64(n)
	switch {
	case hr.n > hr.size:
		return n, beifen.Errorf(beifen.EINVALID, "Upload longer than its declared size of %d bytes.", hr.size)
	case err == io.EOF && hr.n < hr.size:
		return n, beifen.Errorf(beifen.EINVALID, "Upload shorter than its declared size of %d bytes.", hr.size)
	case err == io.EOF && beifen.BlobKey(hex.EncodeToString(hr.h.Sum(nil))) != hr.want:
		return n, beifen.Errorf(beifen.EINVALID, "Upload does not match its SHA-256 hash.")
	}
	return n, err
}
