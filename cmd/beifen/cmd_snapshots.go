package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/beifen/beifen"
)

const snapshotsUsage = `Usage: beifen snapshots --server URL --token T [--json]

Lists the account's snapshots, newest first: ID, time and counts.

EXIT STATUS: 0 on success, 1 on failure, 2 on bad flags.

Options:
`

func runSnapshots(ctx context.Context, args []string, getenv Env, stdout, stderr io.Writer) error {
	fs := newFlagSet("snapshots", snapshotsUsage, stderr)
	var cf clientFlags
	cf.register(fs, getenv)
	if err := parse(fs, args); err != nil {
		return err
	}
	c, err := cf.client(stderr)
	if err != nil {
		return err
	}
	snaps, _, err := c.FindSnapshots(ctx, beifen.SnapshotFilter{})
	if err != nil {
		return err
	}
	if cf.json {
		return json.NewEncoder(stdout).Encode(snaps)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "ID\tTIME\tCONTACTS\tMESSAGES\tCALLS\tFILES\tSIZE\t")
	for _, s := range snaps {
		fmt.Fprintf(tw, "%d\t%s\t%d\t%d\t%d\t%d\t%s\t\n", s.ID, s.CreatedAt.Local().Format("2006-01-02 15:04:05"),
			s.Contacts, s.Messages, s.Calls, s.Files, size(s.Bytes))
	}
	return tw.Flush()
}

const diffUsage = `Usage: beifen diff --server URL --token T [--json] A B

Says what changed from snapshot A to snapshot B (IDs, or latest): contacts, messages, calls and
files added, removed and changed.

EXIT STATUS: 0 on success, 1 on failure, 2 on bad flags.

Options:
`

func runDiff(ctx context.Context, args []string, getenv Env, stdout, stderr io.Writer) error {
	fs := newFlagSet("diff", diffUsage, stderr)
	var cf clientFlags
	cf.register(fs, getenv)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		fmt.Fprint(stderr, "beifen diff: give two snapshot IDs\n")
		return errUsage
	}
	c, err := cf.client(stderr)
	if err != nil {
		return err
	}
	var ids [2]int64
	for i, ref := range fs.Args() {
		if ids[i], err = strconv.ParseInt(ref, 10, 64); err != nil {
			sn, err := c.FindSnapshot(ctx, ref)
			if err != nil {
				return err
			}
			ids[i] = sn.ID
		}
	}
	d, err := c.DiffSnapshots(ctx, ids[0], ids[1])
	if err != nil {
		return err
	}
	if cf.json {
		return json.NewEncoder(stdout).Encode(d)
	}
	for _, row := range []struct {
		name string
		c    beifen.DiffCount
	}{{"contacts", d.Contacts}, {"messages", d.Messages}, {"calls", d.Calls}, {"files", d.Files}} {
		fmt.Fprintf(stdout, "%-9s +%d -%d ~%d\n", row.name, row.c.Added, row.c.Removed, row.c.Changed)
	}
	return nil
}
