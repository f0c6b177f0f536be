// Package audit keeps beifen's tamper-evident audit log: every access to personal data (who
// played which recording, who dialled which number, who exported what) is appended as a leaf of
// one Merkle tree (RFC 6962, with golang.org/x/mod/sumdb/tlog), and after each append the tree's
// size and root hash are signed into a checkpoint (a signed note, Ed25519). The entries of each
// scope (a team, a personal account, the platform) also form a keyed hash chain. Verify proves
// that no entry was changed, reordered or removed, from the middle or from the end, and names
// the entry where the log stops adding up.
//
// Entries hold pseudonymous IDs only ("recording:12", actor 5), never names, numbers or content,
// so erasing an account never has to rewrite the log.
package audit

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/keyring"
)

// Origin names the log in its checkpoints and its verifier key.
const Origin = "beifen-audit"

// Service implements beifen.Auditor over an AuditService.
type Service struct {
	Store beifen.AuditService
	Now   func() time.Time
	// CheckpointFile, when set, also receives the newest checkpoint after each append, outside
	// the database: someone able to rewrite the database, but not this file, cannot roll the
	// log back to an earlier size unnoticed.
	CheckpointFile string

	keys     *keyring.Account
	signer   note.Signer
	verifier note.Verifier
	vkey     string
	fileMu   sync.Mutex

	lastMu sync.Mutex
	last   *Checkpoint // the checkpoint of this process's own last append
}

var _ beifen.Auditor = (*Service)(nil)

// NewService returns a Service that chains and signs with keys derived from the master key's
// server secret (which key rotation never changes).
func NewService(store beifen.AuditService, master *keyring.Master) *Service {
	s := &Service{Store: store, keys: master.Server(), Now: time.Now}
	seed := s.keys.Ident([]byte("beifen audit checkpoint signing key v1"))
	priv := ed25519.NewKeyFromSeed(seed[:ed25519.SeedSize])
	vkey, err := note.NewEd25519VerifierKey(Origin, priv.Public().(ed25519.PublicKey))
	if err != nil {
		panic(err) // the name is constant and the key the right size
	}
	s.vkey = vkey
	s.verifier, _ = note.NewVerifier(vkey)
	s.signer = &signer{verifier: s.verifier, priv: priv}
	return s
}

// signer signs notes with an Ed25519 key (note.NewSigner takes only an encoded private key).
type signer struct {
	verifier note.Verifier
	priv     ed25519.PrivateKey
}

func (s *signer) Name() string                    { return s.verifier.Name() }
func (s *signer) KeyHash() uint32                 { return s.verifier.KeyHash() }
func (s *signer) Sign(msg []byte) ([]byte, error) { return ed25519.Sign(s.priv, msg), nil }

// VerifierKey returns the public key that checks the log's checkpoints, in note's format
// ("beifen-audit+<hash>+<key>"), for anyone who keeps checkpoints to compare later.
func (s *Service) VerifierKey() string { return s.vkey }

// ScopeOf returns the audit scope of a user: their team, or their personal account.
func ScopeOf(u *beifen.User) string {
	if u.TeamID != 0 {
		return "team:" + strconv.FormatInt(u.TeamID, 10)
	}
	return "user:" + strconv.FormatInt(u.ID, 10)
}

// Audit records that the signed-in user did action to object.
func (s *Service) Audit(ctx context.Context, action, object string) error {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	return s.append(ctx, &beifen.AuditEvent{Scope: ScopeOf(u), ActorID: u.ID, Action: action, Object: object, At: s.Now()})
}

// PlatformScope is the audit chain of what operators do to the platform itself.
const PlatformScope = "platform"

// AuditPlatform records an operator's action (from the command line: no signed-in user, actor
// 0) in the platform's own chain.
func (s *Service) AuditPlatform(ctx context.Context, action, object string) error {
	var actor int64
	if u := beifen.UserFromContext(ctx); u != nil {
		actor = u.ID
	}
	return s.append(ctx, &beifen.AuditEvent{Scope: PlatformScope, ActorID: actor, Action: action, Object: object, At: s.Now()})
}

func (s *Service) append(ctx context.Context, e *beifen.AuditEvent) error {
	trusted, err := s.trusted(ctx)
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	var checkpoint []byte
	var root tlog.Hash
	err = s.Store.AppendAudit(ctx, e, func(prev []byte, read func([]int64) ([][]byte, error)) (*beifen.AuditSeal, error) {
		e.Prev = prev
		e.Hash = s.hash(prev, e)
		r := hashReader(read)
		// Never sign over a log that no longer reaches a checkpoint signed before: someone
		// who removed or rewrote entries and their tree hashes (no key needed for those)
		// would otherwise have the next append cover it up with a fresh signature.
		if trusted != nil {
			if e.Leaf < trusted.Size {
				return nil, beifen.Errorf(beifen.EINTERNAL, "The audit log holds %d entries but was signed for %d: entries were removed. Refusing to append; run beifen audit verify.", e.Leaf, trusted.Size)
			}
			if got, err := tlog.TreeHash(trusted.Size, r); err != nil || got != trusted.Root {
				return nil, beifen.Errorf(beifen.EINTERNAL, "The audit log's first %d entries no longer add up to their signed checkpoint. Refusing to append; run beifen audit verify.", trusted.Size)
			}
		}
		stored, err := tlog.StoredHashes(e.Leaf, leafData(e), r)
		if err != nil {
			return nil, err
		}
		first := tlog.StoredHashIndex(0, e.Leaf)
		root, err = tlog.TreeHash(e.Leaf+1, tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
			return readWith(indexes, r, first, stored)
		}))
		if err != nil {
			return nil, err
		}
		checkpoint, err = s.sign(e.Leaf+1, root)
		if err != nil {
			return nil, err
		}
		seal := &beifen.AuditSeal{Hash: e.Hash, TreeIndex: first, Checkpoint: checkpoint}
		for _, h := range stored {
			seal.Tree = append(seal.Tree, h[:])
		}
		return seal, nil
	})
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	s.lastMu.Lock()
	if s.last == nil || e.Leaf+1 > s.last.Size {
		s.last = &Checkpoint{Size: e.Leaf + 1, Root: root}
	}
	s.lastMu.Unlock()
	if s.CheckpointFile != "" {
		if err := s.saveCheckpoint(checkpoint, e.Leaf+1); err != nil {
			return fmt.Errorf("audit %s: save checkpoint: %w", e.Action, err)
		}
	}
	return nil
}

// hashReader reads stored tree hashes through the store.
func hashReader(read func([]int64) ([][]byte, error)) tlog.HashReader {
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		raw, err := read(indexes)
		if err != nil {
			return nil, err
		}
		out := make([]tlog.Hash, len(raw))
		for i, h := range raw {
			if len(h) != tlog.HashSize {
				return nil, fmt.Errorf("audit tree hash %d: %d bytes", indexes[i], len(h))
			}
			copy(out[i][:], h)
		}
		return out, nil
	})
}

// readWith reads hashes below first from r and the rest from pending, the hashes about to be
// stored from first on.
func readWith(indexes []int64, r tlog.HashReader, first int64, pending []tlog.Hash) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	var old []int64
	var at []int
	for i, idx := range indexes {
		if idx >= first {
			if idx-first >= int64(len(pending)) {
				return nil, fmt.Errorf("audit tree hash %d not written yet", idx)
			}
			out[i] = pending[idx-first]
			continue
		}
		old = append(old, idx)
		at = append(at, i)
	}
	if len(old) > 0 {
		hs, err := r.ReadHashes(old)
		if err != nil {
			return nil, err
		}
		for j, h := range hs {
			out[at[j]] = h
		}
	}
	return out, nil
}

// leafData is the content of an entry's leaf: every stored field but the row ID, and its chain
// hash.
func leafData(e *beifen.AuditEvent) []byte {
	return fmt.Appendf(nil, "beifen audit entry v1\n%d\n%s\n%d\n%s\n%s\n%s\n%x\n%x\n", e.Leaf, e.Scope, e.ActorID,
		e.Action, e.Object, e.At.UTC().Format(time.RFC3339Nano), e.Prev, e.Hash)
}

// sign returns the signed checkpoint of a tree of n leaves with the given root: a note whose
// text is the origin, the size and the root hash (the C2SP checkpoint layout).
func (s *Service) sign(n int64, root tlog.Hash) ([]byte, error) {
	text := fmt.Sprintf("%s\n%d\n%s\n", Origin, n, root)
	return note.Sign(&note.Note{Text: text}, s.signer)
}

// Checkpoint is a verified checkpoint: the log had Size entries and this root.
type Checkpoint struct {
	Size int64
	Root tlog.Hash
}

// OpenCheckpoint checks a signed checkpoint against this server's key and returns it.
func (s *Service) OpenCheckpoint(msg []byte) (*Checkpoint, error) {
	return openCheckpoint(msg, s.verifier)
}

// openCheckpoint checks a checkpoint's signature with v and reads it.
func openCheckpoint(msg []byte, v note.Verifier) (*Checkpoint, error) {
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		return nil, fmt.Errorf("checkpoint signature: %w", err)
	}
	return parseCheckpoint(n.Text)
}

// parseCheckpoint reads a checkpoint's text: origin, size, root hash.
func parseCheckpoint(text string) (*Checkpoint, error) {
	var origin, root string
	var c Checkpoint
	if _, err := fmt.Sscanf(text, "%s\n%d\n%s\n", &origin, &c.Size, &root); err != nil || origin != Origin {
		return nil, fmt.Errorf("checkpoint text is not a %s checkpoint", Origin)
	}
	var err error
	if c.Root, err = tlog.ParseHash(root); err != nil {
		return nil, fmt.Errorf("checkpoint root: %w", err)
	}
	return &c, nil
}

// saveCheckpoint writes msg to CheckpointFile unless the file already holds a larger tree (an
// append of another replica, or one that overtook this one); temp file and rename, so the file
// is always one whole checkpoint.
func (s *Service) saveCheckpoint(msg []byte, size int64) error {
	s.fileMu.Lock()
	defer s.fileMu.Unlock()
	if old, err := os.ReadFile(s.CheckpointFile); err == nil {
		if c, err := s.OpenCheckpoint(old); err == nil && c.Size >= size {
			return nil
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.CheckpointFile), ".audit-checkpoint-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(msg); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), s.CheckpointFile)
}

// Checkpoint returns the newest signed checkpoint, for anyone who wants to keep one.
func (s *Service) Checkpoint(ctx context.Context) ([]byte, error) {
	return s.Store.AuditCheckpoint(ctx)
}

// PlatformEvents returns the platform chain, oldest first, for the operator.
func (s *Service) PlatformEvents(ctx context.Context) ([]*beifen.AuditEvent, error) {
	events := []*beifen.AuditEvent{}
	err := s.Store.ScanAudit(ctx, PlatformScope, func(e *beifen.AuditEvent) error { events = append(events, e); return nil })
	return events, err
}

// hash is the keyed hash of an event, chained to the previous one.
func (s *Service) hash(prev []byte, e *beifen.AuditEvent) []byte {
	fields := fmt.Sprintf("audit\x00%s\x00%d\x00%s\x00%s\x00%s\x00", e.Scope, e.ActorID, e.Action, e.Object,
		e.At.UTC().Format(time.RFC3339Nano))
	return s.keys.Ident(append([]byte(fields), prev...))
}

// Events returns the signed-in user's scope's log, oldest first; in a team, admins and managers
// only.
func (s *Service) Events(ctx context.Context) ([]*beifen.AuditEvent, error) {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return nil, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	if u.TeamID != 0 && u.Role == beifen.RoleStaff {
		return nil, beifen.Errorf(beifen.EFORBIDDEN, "Your role may not do this.")
	}
	events := []*beifen.AuditEvent{}
	err := s.Store.ScanAudit(ctx, ScopeOf(u), func(e *beifen.AuditEvent) error { events = append(events, e); return nil })
	return events, err
}

// SignStatement signs a statement (a line of text such as "platform-export <sha256>") with the
// log's key, so that whoever holds the verifier key can check it came from this server.
func (s *Service) SignStatement(text string) ([]byte, error) {
	return note.Sign(&note.Note{Text: text + "\n"}, s.signer)
}

// OpenStatement checks a statement signed by SignStatement against vkey, a verifier key as
// VerifierKey returns it, and returns its text.
func OpenStatement(msg []byte, vkey string) (string, error) {
	text, err := openNote(msg, vkey)
	if err != nil {
		return "", fmt.Errorf("signature: %w", err)
	}
	return strings.TrimSuffix(text, "\n"), nil
}

// openNote checks a note signed with this log's kind of key against vkey and returns its text.
func openNote(msg []byte, vkey string) (string, error) {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return "", fmt.Errorf("verifier key: %w", err)
	}
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		return "", err
	}
	return n.Text, nil
}

// openCheckpointWith checks a checkpoint against vkey and reads it.
func openCheckpointWith(msg []byte, vkey string) (*Checkpoint, error) {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, fmt.Errorf("checkpoint signature: verifier key: %w", err)
	}
	return openCheckpoint(msg, v)
}

// trusted returns a checkpoint signed with this server's key that the log must still reach:
// this process's own last one once it has appended (every later append is checked against it,
// so it is never older than what the process signed), else the larger of the checkpoint
// file's and the database's, read once.
func (s *Service) trusted(ctx context.Context) (*Checkpoint, error) {
	s.lastMu.Lock()
	if s.last != nil {
		c := *s.last
		s.lastMu.Unlock()
		return &c, nil
	}
	s.lastMu.Unlock()
	var best *Checkpoint
	consider := func(msg []byte) {
		if c, err := s.OpenCheckpoint(msg); err == nil && (best == nil || c.Size > best.Size) {
			best = c
		}
	}
	if s.CheckpointFile != "" {
		if msg, err := os.ReadFile(s.CheckpointFile); err == nil {
			consider(msg)
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	msg, err := s.Store.AuditCheckpoint(ctx)
	if err != nil {
		return nil, err
	}
	if msg != nil {
		consider(msg)
	}
	return best, nil
}
