package backup

import (
	"encoding/binary"
	"errors"
	"slices"
)

// encodeIDs writes sorted IDs as varint deltas: a source of 200,000 messages takes a few
// hundred KB instead of a row each.
func encodeIDs(ids []int64) []byte {
	b := make([]byte, 0, len(ids)*2)
	prev := int64(0)
	for _, id := range ids {
		b = binary.AppendUvarint(b, uint64(id-prev))
		prev = id
	}
	return b
}

func decodeIDs(b []byte) ([]int64, error) {
	var ids []int64
	prev := int64(0)
	for len(b) > 0 {
		d, n := binary.Uvarint(b)
		if n <= 0 {
			return nil, errors.New("decode record list: malformed")
		}
		prev += int64(d)
		ids = append(ids, prev)
		b = b[n:]
	}
	return ids, nil
}

func sortedUnique(ids []int64) []int64 {
	slices.Sort(ids)
	return slices.Compact(ids)
}
