package main

import (
	"context"
	"fmt"
	"io"
	"time"
)

const gcUsage = `Usage: beifen gc --data DIR [--db URL] [--grace DURATION]

Removes what interrupted backups left behind and never resumed: staged parts of large files,
spilled attachments and temporary files older than the grace period (default 72h), and, account
by account, the records no snapshot holds and the stored contents no record names (it opens
every record to see which contents they name). A backup that resumes within the grace period
reuses them. Staged parts and temporary files may be collected while the server runs; the
records and contents are best collected while no backup is running (the server stopped, or a
quiet hour): a backup that resumes, at that very moment, an upload abandoned longer ago than the
grace period can otherwise find part of it gone.

EXIT STATUS: 0 on success, 1 on failure, 2 on bad flags.

Options:
`

func runGC(ctx context.Context, args []string, getenv Env, stdout, stderr io.Writer) error {
	fs := newFlagSet("gc", gcUsage, stderr)
	cfg := serverConfig(fs, getenv)
	grace := fs.Duration("grace", 72*time.Hour, "keep what is younger than this")
	if err := parse(fs, args); err != nil {
		return err
	}
	m, err := openQuiet(cfg, stderr)
	if err != nil {
		return err
	}
	defer m.Close()
	st, err := m.Backup.Collect(ctx, *grace)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "removed %d unfinished upload parts and %d temporary files\n", st.Parts, st.Temps)
	fmt.Fprintf(stdout, "removed %d records and %d stored contents that no snapshot holds\n", st.Records, st.Blobs)
	return nil
}
