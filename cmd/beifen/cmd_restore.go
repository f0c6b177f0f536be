package main

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/beifen/beifen"
	beifenhttp "github.com/beifen/beifen/http"
	"golang.org/x/sync/errgroup"
)

const restoreUsage = `Usage: beifen restore --server URL --token T [--snapshot ID|latest] --out DIR

Writes a snapshot back out as a phone imports it: DIR/contacts.vcf (vCard 3.0), DIR/sms.xml (SMS
and MMS) and DIR/calls.xml in the SMS Backup & Restore format, and every other file under
DIR/files/<its original path>. Every file is checked against its SHA-256 before it is put in place.

EXIT STATUS: 0 when everything was restored, 1 on failure, 2 on bad flags.

Options:
`

func runRestore(ctx context.Context, args []string, getenv Env, stdout, stderr io.Writer) error {
	fs := newFlagSet("restore", restoreUsage, stderr)
	var cf clientFlags
	cf.register(fs, getenv)
	ref := fs.String("snapshot", "latest", "snapshot `ID` or latest")
	out := fs.String("out", "", "output `folder`")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(stderr, "beifen restore: --out is required")
		return errUsage
	}
	c, err := cf.client(stderr)
	if err != nil {
		return err
	}
	sn, err := c.FindSnapshot(ctx, *ref)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o700); err != nil {
		return err
	}
	files, err := c.SnapshotFiles(ctx, sn.ID)
	if err != nil {
		return err
	}
	// The three exports are written by the server while the files stream down beside them.
	g, gctx := errgroup.WithContext(ctx)
	exports := []struct {
		name string
		fn   func(context.Context, int64, io.Writer) error
	}{{"contacts.vcf", c.ExportContacts}, {"sms.xml", c.ExportMessages}, {"calls.xml", c.ExportCalls}}
	for _, x := range exports {
		g.Go(func() error {
			return writeAtomic(filepath.Join(*out, x.name), func(w io.Writer) error { return x.fn(gctx, sn.ID, w) })
		})
	}
	g.Go(func() error { return restoreFiles(gctx, c, files, filepath.Join(*out, "files"), stderr) })
	if err := g.Wait(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored snapshot %d: %d contacts, %d messages, %d calls, %d files\n",
		sn.ID, sn.Contacts, sn.Messages, sn.Calls, len(files))
	return nil
}

// restoreWorkers is how many files download at once.
const restoreWorkers = 6

func restoreFiles(ctx context.Context, c *beifenhttp.Client, files []*beifen.File, dir string, stderr io.Writer) error {
	var total int64
	for _, f := range files {
		total += f.Size
	}
	prog := newProgress(stderr, "restoring", total)
	defer prog.Finish()
	// Largest first, so that no big video is left to download alone at the end.
	order := slices.Clone(files)
	slices.SortStableFunc(order, func(a, b *beifen.File) int { return cmp.Compare(b.Size, a.Size) })
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(restoreWorkers)
	for _, f := range order {
		g.Go(func() error { return restoreFile(ctx, c, f, dir, prog) })
	}
	return g.Wait()
}

func restoreFile(ctx context.Context, c *beifenhttp.Client, f *beifen.File, dir string, prog *progress) error {
	rel := filepath.FromSlash(f.Path)
	if !filepath.IsLocal(rel) {
		return fmt.Errorf("restore: refusing path %q outside the output folder", f.Path)
	}
	dst := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	err := writeAtomic(dst, func(w io.Writer) error {
		rc, err := c.OpenFile(ctx, f.Hash, 0, -1)
		if err != nil {
			return err
		}
		defer rc.Close()
		h := sha256.New()
		if _, err := io.Copy(io.MultiWriter(w, h), &countingReader{r: rc, p: prog}); err != nil {
			return err
		}
		if beifen.BlobKey(hex.EncodeToString(h.Sum(nil))) != f.Hash {
			return fmt.Errorf("content does not match its hash")
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("restore %s: %w", f.Path, err)
	}
	if !f.ModTime.IsZero() {
		os.Chtimes(dst, f.ModTime, f.ModTime)
	}
	return nil
}

// writeAtomic writes a file through a temporary name, so a failed restore leaves no half file.
func writeAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
