package beifen

import (
	"context"
	"encoding/binary"
	"math"
)

// Owners of wrapped data keys (the same names as keyring's scopes).
const (
	KeyOwnerAccount = "account"
	KeyOwnerTeam    = "team"
)

// WrappedKey is a data key as stored: sealed ("wrapped") under a version of the server's master
// key, for one owner. Rotating the master key rewraps it under a new version; the data key
// inside, and so everything it encrypts, stays the same.
type WrappedKey struct {
	Owner   string // KeyOwnerAccount or KeyOwnerTeam
	OwnerID int64
	Version int // the master key version that wrapped it
	Wrapped []byte
}

// WrappedKeyVersion returns the master key version named in a wrapped key's header (see
// keyring), or 0 for no key or bytes that are not a wrapped key. Storage records it beside each
// wrapped key so that keys can be counted and found by version.
func WrappedKeyVersion(wrapped []byte) int {
	switch {
	case len(wrapped) > 0 && wrapped[0] == 1: // the layout of before versions: version 1
		return 1
	case len(wrapped) >= 5 && wrapped[0] == 2:
		// A version is a small positive number; anything else is not a wrapped key (and would
		// not fit the databases' version columns).
		if v := binary.BigEndian.Uint32(wrapped[1:5]); v > 0 && v <= math.MaxInt32 {
			return int(v)
		}
	}
	return 0
}

// KeyService finds and replaces the wrapped data keys of every owner, for master key rotation.
type KeyService interface {
	// CountWrappedKeys returns how many stored wrapped keys each master key version holds.
	// Version 0 counts keys whose version is not recorded (written by an older binary, or not
	// wrapped keys at all). Erased accounts hold no key.
	CountWrappedKeys(ctx context.Context) (map[int]int, error)

	// FindWrappedKeys returns up to limit wrapped keys of owner whose version is not version,
	// with an owner ID above afterID, in ID order.
	FindWrappedKeys(ctx context.Context, owner string, version int, afterID int64, limit int) ([]*WrappedKey, error)

	// ReplaceWrappedKey stores k.Wrapped as the key of k's owner if its stored key is still old,
	// in one transaction, and records the version its header names. Returns ECONFLICT if the stored key changed
	// since it was read, ENOTFOUND if the owner does not exist.
	ReplaceWrappedKey(ctx context.Context, k *WrappedKey, old []byte) error
}
