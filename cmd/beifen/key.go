package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/keyring"
)

// keyOwners are the owners of wrapped data keys, in the order a rotation rewraps them.
var keyOwners = []string{beifen.KeyOwnerAccount, beifen.KeyOwnerTeam}

// RewrapKeys rewraps every stored data key that is not under the newest master key version,
// batch keys at a time, each in its own transaction, calling onKey after each, and returns how
// many it rewrapped. Run again after an interruption it goes on where it stopped: it reads only
// keys not yet under the newest version. A key that changed while it was rewrapped (the server
// wrote it meanwhile) is read again in another pass; a key that does not open is reported after
// the others are done.
func (m *Main) RewrapKeys(ctx context.Context, batch int, onKey func()) (int, error) {
	r := &rewrap{keys: m.Store.Keys, master: m.Master, batch: batch, onKey: onKey}
	for pass := 0; pass == 0 || (r.changed > 0 && pass < 5); pass++ {
		r.changed = 0
		r.failed = r.failed[:0]
		if err := r.pass(ctx); err != nil {
			return r.done, err
		}
	}
	if len(r.failed) > 0 {
		return r.done, fmt.Errorf("%d data keys could not be rewrapped: %s", len(r.failed), strings.Join(r.failed, "; "))
	}
	return r.done, nil
}

// rewrap is one rotation's walk over the stored keys.
type rewrap struct {
	keys    beifen.KeyService
	master  *keyring.Master
	batch   int
	onKey   func()
	done    int
	changed int      // keys written by someone else meanwhile: read again
	failed  []string // keys that do not open, as "account 12: why"
}

func (r *rewrap) pass(ctx context.Context) error {
	for _, owner := range keyOwners {
		if err := r.owner(ctx, owner); err != nil {
			return err
		}
	}
	return nil
}

// owner rewraps the keys of one kind of owner, a batch at a time.
func (r *rewrap) owner(ctx context.Context, owner string) error {
	newest := r.master.Newest()
	for after := int64(0); ; {
		keys, err := r.keys.FindWrappedKeys(ctx, owner, newest, after, r.batch)
		if err != nil || len(keys) == 0 {
			return err
		}
		for _, k := range keys {
			after = k.OwnerID
			if err := r.one(ctx, k); err != nil {
				return err
			}
		}
	}
}

func (r *rewrap) one(ctx context.Context, k *beifen.WrappedKey) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	wrapped, v, err := r.master.Rewrap(k.Owner, k.OwnerID, k.Wrapped)
	if err != nil {
		r.failed = append(r.failed, fmt.Sprintf("%s %d: %v", k.Owner, k.OwnerID, err))
		return nil
	}
	err = r.keys.ReplaceWrappedKey(ctx, &beifen.WrappedKey{Owner: k.Owner, OwnerID: k.OwnerID, Version: v, Wrapped: wrapped}, k.Wrapped)
	switch beifen.ErrorCode(err) {
	case "":
		r.done++
		if r.onKey != nil {
			r.onKey()
		}
	case beifen.ECONFLICT:
		r.changed++
	case beifen.ENOTFOUND: // deleted meanwhile: nothing to rewrap
	default:
		return err
	}
	return nil
}

// keysBelow returns how many keys of counts are not under version newest.
func keysBelow(counts map[int]int, newest int) int {
	n := 0
	for v, c := range counts {
		if v != newest {
			n += c
		}
	}
	return n
}
