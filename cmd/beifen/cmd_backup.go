package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/beifen/beifen"
	beifenhttp "github.com/beifen/beifen/http"
	"golang.org/x/sync/errgroup"
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
	if err := hashAll(ctx, entries, cache, stderr); err != nil {
		return err
	}
	cache.save()
	if err := upload(ctx, c, entries, stderr); err != nil {
		return err
	}
	files := make([]*beifen.File, len(entries))
	for i, e := range entries {
		files[i] = &e.file
	}
	sn, err := c.CommitBackup(ctx, files)
	if err != nil {
		return err
	}
	return printBackup(stdout, sn, cf.json)
}

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

// hashAll hashes every file not in the cache, on every core.
func hashAll(ctx context.Context, entries []*entry, cache *hashCache, stderr io.Writer) error {
	var todo []*entry
	var total int64
	for _, e := range entries {
		if cache.get(e) {
			continue
		}
		todo, total = append(todo, e), total+e.file.Size
	}
	prog := newProgress(stderr, "hashing", total)
	defer prog.Finish()
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.NumCPU())
	for _, e := range todo {
		g.Go(func() error {
			h, err := hashFile(ctx, e.abs, prog)
			if err != nil {
				return err
			}
			if e.chunks, err = splitExport(e.abs, e.file.Size); err != nil {
				return err
			}
			e.file.Hash = h
			cache.put(e)
			return nil
		})
	}
	return g.Wait()
}

// job is one thing to send: a whole file, or one chunk of a large export.
type job struct {
	e     *entry
	hash  beifen.BlobKey
	chunk *chunk // nil for a whole file
}

func (j job) size() int64 {
	if j.chunk != nil {
		return j.chunk.Size
	}
	return j.e.file.Size
}

// jobs lists what a backup may send, each content once.
func jobs(entries []*entry) []job {
	seen := map[beifen.BlobKey]bool{}
	var out []job
	add := func(j job) {
		if !seen[j.hash] {
			seen[j.hash] = true
			out = append(out, j)
		}
	}
	for _, e := range entries {
		if len(e.chunks) == 0 {
			add(job{e: e, hash: e.file.Hash})
			continue
		}
		e.file.Chunks = e.file.Chunks[:0]
		for i := range e.chunks {
			c := &e.chunks[i]
			e.file.Chunks = append(e.file.Chunks, beifen.BlobRef{Key: c.Hash, Size: c.Size})
			add(job{e: e, hash: c.Hash, chunk: c})
		}
	}
	return out
}

// upload sends what the server lacks, each content once, resuming files sent in parts.
func upload(ctx context.Context, c *beifenhttp.Client, entries []*entry, stderr io.Writer) error {
	all := jobs(entries)
	byHash := map[beifen.BlobKey]job{}
	hashes := make([]beifen.BlobKey, len(all))
	for i, j := range all {
		byHash[j.hash], hashes[i] = j, j.hash
	}
	missing, err := c.MissingFiles(ctx, hashes)
	if err != nil {
		return err
	}
	var total int64
	for _, h := range missing {
		total += byHash[h].size()
	}
	// Exports first: the server reads them while the other files stream in beside them.
	sort.SliceStable(missing, func(i, j int) bool {
		return likelyExport(byHash[missing[i]].e.file.Path) && !likelyExport(byHash[missing[j]].e.file.Path)
	})
	prog := newProgress(stderr, "uploading", total)
	defer prog.Finish()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(uploadWorkers)
	reports := make(chan *beifen.UploadResult, len(missing))
	for _, h := range missing {
		g.Go(func() error { return uploadJob(gctx, c, byHash[h], prog, reports) })
	}
	err = g.Wait()
	close(reports)
	prog.Finish()
	for res := range reports {
		reportSkipped(stderr, res)
	}
	return err
}

func reportSkipped(stderr io.Writer, res *beifen.UploadResult) {
	for _, e := range res.Errors {
		fmt.Fprintf(stderr, "skipped: %s\n", e.Error())
	}
	if more := res.Skipped - len(res.Errors); more > 0 {
		fmt.Fprintf(stderr, "skipped: %d more items of the same file\n", more)
	}
}

// uploadWorkers is how many files go up at once: enough to keep the server's disk and both
// cores busy while one of them reads a large export.
const uploadWorkers = 4

// likelyExport guesses from its name whether the server will read a file as an export. It only
// orders uploads; the server decides by content.
func likelyExport(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xml", ".vcf", ".json", ".zip", ".ndjson":
		return true
	}
	return false
}

// retries is how often a part is sent again after a network error.
const retries = 3

func uploadJob(ctx context.Context, c *beifenhttp.Client, j job, prog *progress, reports chan<- *beifen.UploadResult) error {
	if j.chunk == nil {
		return uploadFile(ctx, c, j.e, prog, reports)
	}
	res, err := withRetries(ctx, func() (*beifen.UploadResult, error) {
		f, err := os.Open(j.e.abs)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r := &countingReader{r: io.NewSectionReader(f, j.chunk.Off, j.chunk.Size), p: prog}
		return c.UploadFragment(ctx, j.hash, j.chunk.Size, j.e.file.Path, j.chunk.Line, r)
	})
	if err != nil {
		return fmt.Errorf("upload %s: %w", j.e.file.Path, err)
	}
	reports <- res
	return nil
}

func uploadFile(ctx context.Context, c *beifenhttp.Client, e *entry, prog *progress, reports chan<- *beifen.UploadResult) error {
	n := partsOf(e.file.Size)
	have := map[int]bool{}
	if n > 1 {
		got, err := c.UploadedParts(ctx, e.file.Hash, e.file.Size)
		if err != nil {
			return err
		}
		for _, p := range got {
			have[p] = true
			prog.Add(min(beifen.UploadPartSize, e.file.Size-int64(p)*beifen.UploadPartSize))
		}
	}
	for part := 0; part < n; part++ {
		if have[part] {
			continue
		}
		res, err := uploadPart(ctx, c, e, part, prog)
		if err != nil {
			return fmt.Errorf("upload %s: %w", e.file.Path, err)
		}
		if res.Complete {
			reports <- res
		}
	}
	return nil
}

func uploadPart(ctx context.Context, c *beifenhttp.Client, e *entry, part int, prog *progress) (*beifen.UploadResult, error) {
	return withRetries(ctx, func() (*beifen.UploadResult, error) {
		f, err := os.Open(e.abs)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		off := int64(part) * beifen.UploadPartSize
		sent := &countingReader{r: io.NewSectionReader(f, off, min(beifen.UploadPartSize, e.file.Size-off)), p: prog}
		return c.UploadPart(ctx, e.file.Hash, e.file.Size, part, e.file.Path, sent)
	})
}

// withRetries runs send again after a network or server error, waiting a little longer each time.
func withRetries(ctx context.Context, send func() (*beifen.UploadResult, error)) (*beifen.UploadResult, error) {
	var lastErr error
	for try := 0; try <= retries; try++ {
		if try > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(time.Duration(try) * time.Second):
			}
		}
		res, err := send()
		if err == nil || beifen.ErrorCode(err) != beifen.EINTERNAL || ctx.Err() != nil {
			return res, err
		}
		lastErr = err
	}
	return nil, lastErr
}

func partsOf(size int64) int {
	if size <= beifen.UploadPartSize {
		return 1
	}
	return int((size + beifen.UploadPartSize - 1) / beifen.UploadPartSize)
}
