package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
)

const shutdownUsage = `Usage: beifen shutdown --data DIR [--db URL] [--notice-days N] [--status | --verify]

Closes the platform (clause 6.7). From now on it takes no new accounts and no new data; every
user is texted that it is closing and that they can download their data (the privacy centre's
"download my data") for N days, at least 30; then the server's hourly job erases every account
and shreds every team's key. Running it again re-sends the notice and keeps the first dates.
--status prints the shutdown under way, if any, and changes nothing. Once everything is erased
it holds a summary signed with the audit log's key (accounts erased, accounts a legal hold
keeps, keys left, the audit log's size); --verify checks that signature and recounts the keys
left now, and exits 1 if either does not hold.

EXIT STATUS: 0 on success, 1 on failure, 2 on bad flags.

Options:
`

func runShutdown(ctx context.Context, args []string, getenv Env, stdout, stderr io.Writer) error {
	fs := newFlagSet("shutdown", shutdownUsage, stderr)
	cfg := serverConfig(fs, getenv)
	days := fs.Int("notice-days", 30, "`days` users have to download their data (at least 30)")
	fs.IntVar(days, "days", 30, "the same as --notice-days")
	status := fs.Bool("status", false, "print the shutdown under way and change nothing")
	verify := fs.Bool("verify", false, "check the signed summary of a finished shutdown and recount")
	if err := parse(fs, args); err != nil {
		return err
	}
	m, err := openQuiet(cfg, stderr)
	if err != nil {
		return err
	}
	defer m.Close()
	if *verify {
		c, err := m.ClosingState(ctx)
		if err != nil {
			return err
		}
		if c == nil {
			return fmt.Errorf("not closing")
		}
		if err := m.CheckShutdownSummary(ctx, c); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "verified:\n%s", c.Summary)
		return nil
	}
	if *status {
		c, err := m.ClosingState(ctx)
		if err != nil {
			return err
		}
		if c == nil {
			fmt.Fprintln(stdout, "not closing")
			return nil
		}
		return json.NewEncoder(stdout).Encode(c)
	}
	c, err := m.Shutdown(ctx, *days)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "closing: collection frozen, %d users notified, everything erased from %s\n",
		c.Notified, c.EraseAt.In(opsZone).Format("2006-01-02 15:04"))
	return nil
}
