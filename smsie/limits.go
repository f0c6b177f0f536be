package smsie

import (
	"errors"
	"fmt"

	"github.com/beifen/beifen"
)

// Limits bounds what a Decoder reads from one export. A zero field takes its default.
type Limits struct {
	// MaxTotal is the most uncompressed bytes read from one export, all zip members together
	// (default 8 GiB).
	MaxTotal int64
	// MaxItem is the longest NDJSON line or JSON array element, in bytes (default 64 MiB).
	// A longer NDJSON line is skipped; a longer array element stops the file.
	MaxItem int64
	// MaxRatio is the highest uncompressed:compressed ratio allowed for a zip member larger
	// than RatioFloor (default 1000).
	MaxRatio int64
	// RatioFloor is the size up to which a member is never refused for its ratio (default 1 MiB).
	RatioFloor int64
}

// DefaultLimits returns the limits the package-level functions use.
func DefaultLimits() Limits {
	return Limits{MaxTotal: 8 << 30, MaxItem: 64 << 20, MaxRatio: 1000, RatioFloor: 1 << 20}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxTotal <= 0 {
		l.MaxTotal = d.MaxTotal
	}
	if l.MaxItem <= 0 {
		l.MaxItem = d.MaxItem
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = d.MaxRatio
	}
	if l.RatioFloor <= 0 {
		l.RatioFloor = d.RatioFloor
	}
	return l
}

// Decoder reads SMS Import/Export files within Limits. The zero Decoder uses DefaultLimits.
type Decoder struct {
	Limits Limits
}

// tooLarge returns the ETOOLARGE error a limit breach ends a read with.
func tooLarge(format string, args ...any) error {
	return beifen.Errorf(beifen.ETOOLARGE, format, args...)
}

// isLimit reports whether err is a refused read (ETOOLARGE), which always ends the export.
func isLimit(err error) bool {
	var e *beifen.Error
	return errors.As(err, &e) && e.Code == beifen.ETOOLARGE
}

func mib(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
