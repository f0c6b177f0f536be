package genexport

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// textFile is a buffered file the generator writes text into. bufio.Writer keeps the first write
// error, so the writers ignore the results of WriteString and finish checks once, at Flush.
type textFile struct {
	*bufio.Writer
	f   *os.File
	rel string
}

// create opens rel (slash-separated, relative to the export root) for writing, making its folder.
func (g *gen) create(rel string) (*textFile, error) {
	path := filepath.Join(g.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", rel, err)
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", rel, err)
	}
	return &textFile{Writer: bufio.NewWriterSize(f, 1<<20), f: f, rel: rel}, nil
}

// finish flushes and closes t, stamps its modification time and counts it.
func (g *gen) finish(t *textFile, mtime time.Time) error {
	err := t.Flush()
	if cerr := t.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", t.rel, err)
	}
	size, err := stamp(t.f.Name(), mtime)
	if err != nil {
		return fmt.Errorf("write %s: %w", t.rel, err)
	}
	g.add(size)
	return nil
}

// stamp sets the modification time of path, as the phone left it, and returns its size.
func stamp(path string, mtime time.Time) (int64, error) {
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		return 0, err
	}
	info, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return info.Size(), nil
}
