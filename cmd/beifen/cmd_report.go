package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

const reportUsage = `Usage: beifen report --server URL --token T --task ID --out FILE.xlsx|FILE.csv

Writes a dial task's report: per staff member and day, the dials, connected calls, connect rate,
talk time (total and average) and intent grades, with totals; an .xlsx also has a sheet of every
call. Admins and managers only.

EXIT STATUS: 0 on success, 1 on failure, 2 on bad flags.

Options:
`

func runReport(ctx context.Context, args []string, getenv Env, stdout, stderr io.Writer) error {
	fs := newFlagSet("report", reportUsage, stderr)
	var cf clientFlags
	cf.register(fs, getenv)
	task := fs.Int64("task", 0, "task `ID`")
	out := fs.String("out", "", "output `file` (.xlsx or .csv)")
	if err := parse(fs, args); err != nil {
		return err
	}
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(*out)), ".")
	if *task == 0 || (format != "xlsx" && format != "csv") {
		fmt.Fprint(stderr, "beifen report: give --task and an --out ending in .xlsx or .csv\n")
		return errUsage
	}
	c, err := cf.client(stderr)
	if err != nil {
		return err
	}
	if err := writeAtomic(*out, func(w io.Writer) error { return c.Report(ctx, *task, format, w) }); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s\n", *out)
	return nil
}
