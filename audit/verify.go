package audit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/beifen/beifen"
)

// Verify walks a scope's chain and returns the ID of the first entry that does not match (0 if
// the chain is whole) and how many entries it checked. It sees changed entries and entries
// removed from the middle of the chain; VerifyLog also sees entries removed from its end.
func (s *Service) Verify(ctx context.Context, scope string) (broken int64, n int, err error) {
	prev := []byte{}
	err = s.Store.ScanAudit(ctx, scope, func(e *beifen.AuditEvent) error {
		n++
		if broken == 0 && (!bytes.Equal(e.Prev, prev) || !bytes.Equal(e.Hash, s.hash(prev, e))) {
			broken = e.ID
		}
		prev = e.Hash
		return nil
	})
	return broken, n, err
}

// Problem is a place where the log does not add up.
type Problem struct {
	EntryID int64  `json:"entry_id,omitempty"` // the entry named, 0 when none is left to name
	Scope   string `json:"scope,omitempty"`
	What    string `json:"what"`
}

// Report is what VerifyLog found.
type Report struct {
	Entries     int64     `json:"entries"`     // entries read
	Leaves      int64     `json:"leaves"`      // of which in the Merkle tree
	Chains      int       `json:"chains"`      // scopes
	Checkpoints int       `json:"checkpoints"` // signed checkpoints checked
	Problems    []Problem `json:"problems"`
}

// Source is a checkpoint to check the log against, and where it came from.
type Source struct {
	Name string
	Note []byte
}

// VerifyLog reads the whole log once and checks it three ways:
//   - each scope's keyed hash chain (names the first changed or missing entry of each scope);
//   - each entry's leaf against the tree hash stored when it was appended, and that the leaves
//     run 0, 1, 2, … without a gap (names the entry after a removed one);
//   - the tree rebuilt from the entries against every signed checkpoint: the database's
//     newest, the checkpoint file's and any in extra (which someone kept from earlier). A
//     checkpoint for more entries than the log holds means entries were removed from its end;
//     one whose root differs means the entries before it were rewritten.
func (s *Service) VerifyLog(ctx context.Context, extra ...Source) (*Report, error) {
	rep := &Report{Problems: []Problem{}}
	prev := map[string][]byte{}
	brokenChain := map[string]bool{}
	mem := &memTree{} // every tree hash, rebuilt from the entries
	type pending struct {
		idx  int64
		hash tlog.Hash
		e    *beifen.AuditEvent
	}
	var batch []pending
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		idx := make([]int64, len(batch))
		for i, p := range batch {
			idx[i] = p.idx
		}
		stored, err := s.Store.AuditHashes(ctx, idx)
		if beifen.ErrorCode(err) == beifen.ENOTFOUND {
			// Find which: read them one by one (only on a damaged log).
			for _, p := range batch {
				if _, err := s.Store.AuditHashes(ctx, []int64{p.idx}); beifen.ErrorCode(err) == beifen.ENOTFOUND {
					rep.Problems = append(rep.Problems, Problem{EntryID: p.e.ID, Scope: p.e.Scope,
						What: fmt.Sprintf("entry %d (leaf %d): its tree hash is missing", p.e.ID, p.e.Leaf)})
				} else if err != nil {
					return err
				}
			}
			batch = batch[:0]
			return nil
		}
		if err != nil {
			return err
		}
		for i, p := range batch {
			if !bytes.Equal(stored[i], p.hash[:]) {
				rep.Problems = append(rep.Problems, Problem{EntryID: p.e.ID, Scope: p.e.Scope,
					What: fmt.Sprintf("entry %d (leaf %d) was changed after it was written: it no longer hashes to its leaf", p.e.ID, p.e.Leaf)})
			}
		}
		batch = batch[:0]
		return nil
	}
	var lastID int64
	err := s.Store.ScanAuditLog(ctx, func(e *beifen.AuditEvent) error {
		rep.Entries++
		p, seen := prev[e.Scope]
		if !seen {
			rep.Chains++
			p = []byte{}
		}
		if !brokenChain[e.Scope] {
			switch {
			case !bytes.Equal(e.Prev, p):
				brokenChain[e.Scope] = true
				rep.Problems = append(rep.Problems, Problem{EntryID: e.ID, Scope: e.Scope,
					What: fmt.Sprintf("entry %d does not follow the entry before it in %s: an entry between them was removed or changed", e.ID, e.Scope)})
			case !bytes.Equal(e.Hash, s.hash(e.Prev, e)):
				brokenChain[e.Scope] = true
				rep.Problems = append(rep.Problems, Problem{EntryID: e.ID, Scope: e.Scope,
					What: fmt.Sprintf("entry %d of %s was changed after it was written", e.ID, e.Scope)})
			}
		}
		prev[e.Scope] = e.Hash
		if e.Leaf < 0 {
			return nil
		}
		if e.Leaf != rep.Leaves {
			what := fmt.Sprintf("entries at positions %d to %d of the log are missing (removed before entry %d)", rep.Leaves, e.Leaf-1, e.ID)
			if e.Leaf < rep.Leaves {
				what = fmt.Sprintf("entry %d takes position %d twice", e.ID, e.Leaf)
			}
			if lastID != 0 {
				what += fmt.Sprintf(", after entry %d", lastID)
			}
			rep.Problems = append(rep.Problems, Problem{EntryID: e.ID, Scope: e.Scope, What: what})
		}
		data := leafData(e)
		stored, err := tlog.StoredHashes(rep.Leaves, data, mem)
		if err != nil {
			return err
		}
		*mem = append(*mem, stored...)
		batch = append(batch, pending{idx: tlog.StoredHashIndex(0, e.Leaf), hash: tlog.RecordHash(data), e: e})
		rep.Leaves++
		lastID = e.ID
		if len(batch) >= 1000 {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return nil, fmt.Errorf("verify audit log: %w", err)
	}

	sources := []Source{}
	dbNote, err := s.Store.AuditCheckpoint(ctx)
	if err != nil {
		return nil, fmt.Errorf("verify audit log: %w", err)
	}
	switch {
	case dbNote != nil:
		sources = append(sources, Source{Name: "the database's checkpoint", Note: dbNote})
	case rep.Leaves > 0:
		rep.Problems = append(rep.Problems, Problem{What: "the database holds no signed checkpoint for the log's tree"})
	}
	if s.CheckpointFile != "" {
		msg, err := os.ReadFile(s.CheckpointFile)
		switch {
		case err == nil:
			sources = append(sources, Source{Name: "the checkpoint file", Note: msg})
		case !errors.Is(err, os.ErrNotExist):
			return nil, fmt.Errorf("verify audit log: %w", err)
		}
	}
	sources = append(sources, extra...)
	for _, src := range sources {
		rep.Checkpoints++
		c, err := s.OpenCheckpoint(src.Note)
		if err != nil {
			rep.Problems = append(rep.Problems, Problem{What: fmt.Sprintf("%s does not open: %v", src.Name, err)})
			continue
		}
		if c.Size > rep.Leaves {
			what := fmt.Sprintf("%s was signed for %d entries but the log holds %d: entries %d to %d were removed from its end",
				src.Name, c.Size, rep.Leaves, rep.Leaves, c.Size-1)
			if lastID != 0 {
				what += fmt.Sprintf(" (after entry %d)", lastID)
			}
			rep.Problems = append(rep.Problems, Problem{EntryID: lastID, What: what})
			continue
		}
		root, err := tlog.TreeHash(c.Size, mem)
		if err != nil {
			return nil, fmt.Errorf("verify audit log: %w", err)
		}
		if root != c.Root {
			rep.Problems = append(rep.Problems, Problem{What: fmt.Sprintf(
				"the first %d entries no longer add up to %s: they were changed, reordered or removed", c.Size, src.Name)})
		}
		if src.Note != nil && string(src.Note) == string(dbNote) && c.Size < rep.Leaves {
			rep.Problems = append(rep.Problems, Problem{What: fmt.Sprintf(
				"entries %d to %d were added without a signed checkpoint", c.Size, rep.Leaves-1)})
		}
	}
	return rep, nil
}

// CheckCopy checks a copy of the log taken elsewhere (a platform export): the entries with a
// leaf, in order, must rebuild the tree that checkpoint, signed by vkey, names. It returns the
// checkpoint's size.
func CheckCopy(entries []*beifen.AuditEvent, checkpoint []byte, vkey string) (int64, error) {
	c, err := openCheckpointWith(checkpoint, vkey)
	if err != nil {
		return 0, err
	}
	mem := &memTree{}
	var leaves int64
	for _, e := range entries {
		if e.Leaf < 0 {
			continue
		}
		if e.Leaf != leaves {
			return 0, fmt.Errorf("entry %d is at position %d, want %d: entries are missing", e.ID, e.Leaf, leaves)
		}
		hs, err := tlog.StoredHashes(leaves, leafData(e), mem)
		if err != nil {
			return 0, err
		}
		*mem = append(*mem, hs...)
		leaves++
	}
	if leaves < c.Size {
		return 0, fmt.Errorf("the checkpoint was signed for %d entries but the copy holds %d", c.Size, leaves)
	}
	root, err := tlog.TreeHash(c.Size, mem)
	if err != nil {
		return 0, err
	}
	if root != c.Root {
		return 0, fmt.Errorf("the copy's first %d entries do not add up to the checkpoint", c.Size)
	}
	return c.Size, nil
}

// Proof shows that one entry is in the log a signed checkpoint names: the entry, its leaf hash
// and the RFC 6962 inclusion proof from that leaf to the checkpoint's root. Anyone with the
// verifier key can check it without trusting the server (CheckProof).
type Proof struct {
	Entry       *beifen.AuditEvent `json:"entry"`
	Scope       string             `json:"scope"`
	Prev        []byte             `json:"prev"`
	Hash        []byte             `json:"hash"`
	Checkpoint  string             `json:"checkpoint"`
	VerifierKey string             `json:"verifier_key"`
	Proof       []tlog.Hash        `json:"proof"`
}

// Prove returns the inclusion proof of one entry of the signed-in user's own log (as Events
// lists it). Another scope's entry reads as not found.
func (s *Service) Prove(ctx context.Context, id int64) (*Proof, error) {
	u := beifen.UserFromContext(ctx)
	if u == nil {
		return nil, beifen.Errorf(beifen.EUNAUTHORIZED, "You must be signed in.")
	}
	events, err := s.Events(ctx)
	if err != nil {
		return nil, err
	}
	var e *beifen.AuditEvent
	for _, ev := range events {
		if ev.ID == id {
			e = ev
		}
	}
	if e == nil || e.Leaf < 0 {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "Audit entry not found.")
	}
	msg, err := s.Store.AuditCheckpoint(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.OpenCheckpoint(msg)
	if err != nil {
		return nil, err
	}
	r := hashReader(func(indexes []int64) ([][]byte, error) { return s.Store.AuditHashes(ctx, indexes) })
	proof, err := tlog.ProveRecord(c.Size, e.Leaf, r)
	if err != nil {
		return nil, fmt.Errorf("prove entry %d: %w", id, err)
	}
	return &Proof{Entry: e, Scope: e.Scope, Prev: e.Prev, Hash: e.Hash, Checkpoint: string(msg), VerifierKey: s.vkey, Proof: proof}, nil
}

// CheckProof checks an inclusion proof against vkey: the checkpoint is signed by it, and the
// entry, hashed as a leaf, is at its position in the tree the checkpoint names.
func CheckProof(p *Proof, vkey string) error {
	c, err := openCheckpointWith([]byte(p.Checkpoint), vkey)
	if err != nil {
		return err
	}
	e := *p.Entry
	e.Scope, e.Prev, e.Hash = p.Scope, p.Prev, p.Hash
	return tlog.CheckRecord(tlog.RecordProof(p.Proof), c.Size, c.Root, e.Leaf, tlog.RecordHash(leafData(&e)))
}

// memTree holds every stored hash of a tree rebuilt in memory, by tlog's storage index.
type memTree []tlog.Hash

// ReadHashes implements tlog.HashReader.
func (m *memTree) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, idx := range indexes {
		if idx >= int64(len(*m)) {
			return nil, fmt.Errorf("tree hash %d not rebuilt", idx)
		}
		out[i] = (*m)[idx]
	}
	return out, nil
}
