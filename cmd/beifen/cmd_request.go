package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/support"
)

const requestUsage = `Usage: beifen request open|overdue --data DIR [--db URL]
       beifen request answer --data DIR [--db URL] --id ID [--refuse] --reply TEXT

Users' requests over their personal information (see what is held, have the rules explained,
send a copy to another processor, ...), each due within 15 working days.

open     lists every open request by deadline: ID, kind, deadline, what was asked.
overdue  lists the open requests past their deadline (the operator's report).
answer   closes a request with the reply (done, or --refuse with the reason); the user is told
         in the app and by text that it was answered, and reads the reply in the privacy centre.

EXIT STATUS: 0 on success (overdue: also when requests are listed), 1 on failure, 2 on bad
flags.

Options:
`

func runRequest(ctx context.Context, args []string, getenv Env, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "open" && args[0] != "overdue" && args[0] != "answer") {
		fmt.Fprint(stderr, requestUsage)
		return errUsage
	}
	fs := newFlagSet("request "+args[0], requestUsage, stderr)
	cfg := serverConfig(fs, getenv)
	id := fs.Int64("id", 0, "request `ID`")
	refuse := fs.Bool("refuse", false, "refuse the request; the reply gives the reason")
	reply := fs.String("reply", "", "reply `text`")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	m, err := openQuiet(cfg, stderr)
	if err != nil {
		return err
	}
	defer m.Close()
	switch args[0] {
	case "answer":
		status := beifen.RequestDone
		if *refuse {
			status = beifen.RequestRefused
		}
		if err := m.Support.AnswerRequest(ctx, *id, status, *reply); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "request %d %s\n", *id, status)
		return nil
	case "open":
		list, err := m.Support.OpenRequests(ctx)
		if err != nil {
			return err
		}
		printRequests(stdout, list)
		fmt.Fprintf(stdout, "%d open\n", len(list))
	default:
		list, err := m.Support.OverdueRequests(ctx, time.Now())
		if err != nil {
			return err
		}
		printRequests(stdout, list)
		fmt.Fprintf(stdout, "%d overdue\n", len(list))
	}
	return nil
}

func printRequests(w io.Writer, list []*beifen.RightsRequest) {
	for _, r := range list {
		detail := strings.ReplaceAll(r.Detail, "\n", " ")
		if rs := []rune(detail); len(rs) > 60 {
			detail = string(rs[:60]) + "…"
		}
		fmt.Fprintf(w, "%d\t%s\tdue %s\t%s\n", r.ID, r.Kind, r.DueAt.In(support.China).Format("2006-01-02"), detail)
	}
}
