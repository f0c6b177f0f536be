package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/beifen/beifen"
)

const leadsImportUsage = `Usage: beifen leads import --server URL --token T [--json] [--rejected DIR] FILE...

Imports leads into your sales team from .txt (UTF-8, UTF-16 or GBK), .csv, .docx, .xlsx and .vcf
files (detected by content). Every number is normalised to E.164 (+86 by default), deduplicated
within the file and against the team's leads, and checked against the do-not-call list. Rows that
brought no new number are written, with the reason, to DIR/<file>.rejected.csv (default: beside
each file). With --json the last line is {"imported", "duplicates", "invalid", "dnc"}, summed
over the files.

EXIT STATUS: 0 when every file was read, 1 on failure, 2 on bad flags.

Options:
`

// LeadsSummary is what --json prints last.
type LeadsSummary struct {
	Imported   int `json:"imported"`
	Duplicates int `json:"duplicates"`
	Invalid    int `json:"invalid"`
	DNC        int `json:"dnc"`
}

func runLeads(ctx context.Context, args []string, getenv Env, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "import" {
		fmt.Fprint(stderr, leadsImportUsage)
		return errUsage
	}
	fs := newFlagSet("leads import", leadsImportUsage, stderr)
	var cf clientFlags
	cf.register(fs, getenv)
	rejectedDir := fs.String("rejected", "", "`folder` for the files of rejected rows")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fmt.Fprint(stderr, "beifen leads import: give at least one FILE\n")
		return errUsage
	}
	c, err := cf.client(stderr)
	if err != nil {
		return err
	}
	var sum LeadsSummary
	for _, path := range fs.Args() {
		res, err := importFile(ctx, c, path, *rejectedDir, stderr)
		if err != nil {
			return fmt.Errorf("%s: %w", filepath.Base(path), err)
		}
		sum.Imported, sum.Duplicates = sum.Imported+res.Imported, sum.Duplicates+res.Duplicates
		sum.Invalid, sum.DNC = sum.Invalid+res.Invalid, sum.DNC+res.DNC
		fmt.Fprintf(stdout, "%s: %d rows: %d imported, %d duplicates, %d invalid, %d on the do-not-call list\n",
			filepath.Base(path), res.Rows, res.Imported, res.Duplicates, res.Invalid, res.DNC)
	}
	if cf.json {
		return json.NewEncoder(stdout).Encode(sum)
	}
	return nil
}

// leadClient is what importFile needs of the server.
type leadClient interface {
	ImportLeads(ctx context.Context, name string, size int64, r io.Reader) (*beifen.LeadImport, error)
	RejectedRows(ctx context.Context, id string, w io.Writer) error
}

func importFile(ctx context.Context, c leadClient, path, rejectedDir string, stderr io.Writer) (*beifen.LeadImport, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	prog := newProgress(stderr, "importing", fi.Size())
	res, err := c.ImportLeads(ctx, filepath.Base(path), fi.Size(), &countingReader{r: f, p: prog})
	prog.Finish()
	if err != nil || res.Rejected == 0 {
		return res, err
	}
	dir := rejectedDir
	if dir == "" {
		dir = filepath.Dir(path)
	}
	out := filepath.Join(dir, filepath.Base(path)+".rejected.csv")
	err = writeAtomic(out, func(w io.Writer) error { return c.RejectedRows(ctx, res.ID, w) })
	if err == nil {
		fmt.Fprintf(stderr, "%d rejected rows, with reasons: %s\n", res.Rejected, out)
	}
	return res, err
}
