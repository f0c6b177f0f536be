package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/beifen/beifen"
)

const taskCreateUsage = `Usage: beifen task create --server URL --token T --name NAME [--staff PHONE,...] [--window HH:MM-HH:MM]

Creates a dial task over all of your team's unassigned leads and prints its ID as the last line.
--staff limits the callers to these team members (default: every staff member); --window sets
the calling hours in the team's time zone (default 09:00-21:00; 00:00-24:00 is any hour).
Staff phones then take leads one at a time with POST /api/v1/tasks/ID/next.

EXIT STATUS: 0 on success, 1 on failure, 2 on bad flags.

Options:
`

func runTask(ctx context.Context, args []string, getenv Env, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprint(stderr, taskCreateUsage)
		return errUsage
	}
	fs := newFlagSet("task create", taskCreateUsage, stderr)
	var cf clientFlags
	cf.register(fs, getenv)
	req := &beifen.TaskRequest{}
	fs.StringVar(&req.Name, "name", "", "task `name`")
	staff := fs.String("staff", "", "comma-separated `phones` of the callers")
	fs.StringVar(&req.Window, "window", "", "calling `hours`, HH:MM-HH:MM")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *staff != "" {
		req.Staff = strings.Split(*staff, ",")
	}
	c, err := cf.client(stderr)
	if err != nil {
		return err
	}
	t, err := c.CreateTask(ctx, req)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created task %q over %d leads\n%d\n", t.Name, t.Leads, t.ID)
	return nil
}
