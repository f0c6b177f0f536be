package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/beifen/beifen"
)

const backupUsage = `Usage: beifen backup --server URL --token T [--json] [--no-cache] PATH...

Backs up a phone export: a folder (or files) holding contacts (.vcf), SMS Backup & Restore XML,
SMS Import/Export archives, and any other files (photos, recordings, documents). The server reads
the exports; every other file is kept byte for byte. Files the server already has are not sent
again, and an interrupted backup resumes where it stopped. With one folder, paths are relative to
it; otherwise each folder or file keeps its base name.

With --json the last line is {"snapshot", "new_blobs", "new_bytes", "contacts", "messages",
"calls", "files"}.

EXIT STATUS: 0 when the snapshot was committed (items of an export that could not be read are
reported and skipped), 1 on failure, 2 on bad flags.

Options:
`

// BackupSummary is what --json prints last.
type BackupSummary struct {
	Snapshot int64 `json:"snapshot"`
	NewBlobs int   `json:"new_blobs"`
	NewBytes int64 `json:"new_bytes"`
	Contacts int   `json:"contacts"`
	Messages int   `json:"messages"`
	Calls    int   `json:"calls"`
	Files    int   `json:"files"`
	Skipped  int   `json:"skipped"`
}

func runBackup(ctx context.Context, args []string, getenv Env, stdout, stderr io.Writer) error {
	fs := newFlagSet("backup", backupUsage, stderr)
	var cf clientFlags
	cf.register(fs, getenv)
	noCache := fs.Bool("no-cache", false, "hash every file even if unchanged since the last backup")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fmt.Fprint(stderr, "beifen backup: give at least one PATH\n")
		return errUsage
	}
	c, err := cf.client(stderr)
	if err != nil {
		return err
	}
	entries, err := collect(fs.Args())
	if err != nil {
		return err
	}
	cache := loadHashCache(!*noCache)
	files := make([]*beifen.File, len(entries))
	for i, e := range entries {
		files[i] = &e.file
	}
	for try := 0; ; try++ {
		err = upload(ctx, c, entries, cache, stderr)
		cache.save() // what was hashed need not be hashed again when an interrupted backup resumes
		if err != nil {
			return err
		}
		if testHookBeforeCommit != nil {
			testHookBeforeCommit()
		}
		sn, err := c.CommitBackup(ctx, files)
		if beifen.ErrorCode(err) == beifen.ECONFLICT && try < commitRetries {
			// Something sent is gone from the server (gc ran meanwhile, or it restarted before
			// storing it): ask again what it lacks and send that.
			fmt.Fprintf(stderr, "beifen backup: %s\n", beifen.ErrorMessage(err))
			continue
		} else if err != nil {
			return err
		}
		return printBackup(stdout, sn, cf.json)
	}
}

// commitRetries is how often a backup sends again what the server lost before the commit.
const commitRetries = 2

// testHookBeforeCommit, when set by a test, runs between the uploads and the commit.
var testHookBeforeCommit func()

func printBackup(w io.Writer, sn *beifen.Snapshot, asJSON bool) error {
	sum := BackupSummary{Snapshot: sn.ID, NewBlobs: sn.NewBlobs, NewBytes: sn.NewBytes, Contacts: sn.Contacts,
		Messages: sn.Messages, Calls: sn.Calls, Files: sn.Files, Skipped: sn.Skipped}
	if asJSON {
		return json.NewEncoder(w).Encode(sum)
	}
	fmt.Fprintf(w, "snapshot %d: %d contacts, %d messages, %d calls, %d files; %d new blobs (%s)\n",
		sum.Snapshot, sum.Contacts, sum.Messages, sum.Calls, sum.Files, sum.NewBlobs, size(sum.NewBytes))
	if sum.Skipped > 0 {
		fmt.Fprintf(w, "%d items could not be read and were skipped\n", sum.Skipped)
	}
	return nil
}

// entry is one file to back up.
type entry struct {
	abs    string
	file   beifen.File
	chunks []chunk // a large export's item-aligned pieces, if it is sent in them
}

// collect walks the paths. Symbolic links and special files are skipped: a phone export has none.
func collect(paths []string) ([]*entry, error) {
	var entries []*entry
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		prefix := filepath.Base(filepath.Clean(p))
		if len(paths) == 1 && fi.IsDir() {
			prefix = ""
		}
		if !fi.IsDir() {
			entries = append(entries, newEntry(p, prefix, fi))
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(p, path)
			entries = append(entries, newEntry(path, filepath.Join(prefix, rel), info))
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].file.Path < entries[j].file.Path })
	return entries, nil
}

func newEntry(path, rel string, fi os.FileInfo) *entry {
	abs, _ := filepath.Abs(path)
	return &entry{abs: abs, file: beifen.File{Path: filepath.ToSlash(rel), Size: fi.Size(), ModTime: fi.ModTime().UTC()}}
}
