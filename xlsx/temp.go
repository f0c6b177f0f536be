package xlsx

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// StaleTemp is how old a file in the temporary directory must be before SweepTempDir
// removes it: far longer than any import or export takes, so a replica sharing the directory
// never loses a file in use.
const StaleTemp = 24 * time.Hour

// SweepTempDir makes dir if needed, readable by its owner only, for the temporary files that
// hold a workbook's rows while it is read or written, and removes files left there over
// StaleTemp ago by a process that stopped before it could clean up. Those files hold customer
// numbers in the clear, so they are kept out of the shared system temporary directory; serve
// sweeps at start and in its hourly job, so a crash leaves none for much over a day.
func SweepTempDir(dir string, now time.Time) (removed int, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return 0, fmt.Errorf("temporary directory: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return 0, fmt.Errorf("temporary directory: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("temporary directory: %w", err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return removed, fmt.Errorf("temporary directory: %w", err)
		}
		if now.Sub(info.ModTime()) < StaleTemp {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, fmt.Errorf("temporary directory: %w", err)
		}
		removed++
	}
	return removed, nil
}
