package main

import (
	"context"
	"fmt"
	"io"

	"github.com/beifen/beifen/support"
)

const complaintUsage = `Usage: beifen complaint overdue --data DIR [--db URL]
       beifen complaint answer  --data DIR [--db URL] --id ID --reply TEXT

overdue lists the unanswered complaints past their deadline of 15 working days (the operator's
report); answer stores a reply, which the user sees with the complaint.

EXIT STATUS: 0 on success (overdue: also when complaints are listed), 1 on failure, 2 on bad
flags.

Options:
`

func runComplaint(ctx context.Context, args []string, getenv Env, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "overdue" && args[0] != "answer") {
		fmt.Fprint(stderr, complaintUsage)
		return errUsage
	}
	fs := newFlagSet("complaint "+args[0], complaintUsage, stderr)
	cfg := serverConfig(fs, getenv)
	id := fs.Int64("id", 0, "complaint `ID`")
	reply := fs.String("reply", "", "reply `text`")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	m, err := openQuiet(cfg, stderr)
	if err != nil {
		return err
	}
	defer m.Close()
	if args[0] == "answer" {
		if err := m.Support.Answer(ctx, *id, *reply); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "answered complaint %d\n", *id)
		return nil
	}
	list, err := m.Support.Overdue(ctx)
	if err != nil {
		return err
	}
	for _, c := range list {
		fmt.Fprintf(stdout, "%d\tdue %s\t%s\n", c.ID, c.DueAt.In(support.China).Format("2006-01-02"), c.Subject)
	}
	fmt.Fprintf(stdout, "%d overdue\n", len(list))
	return nil
}
