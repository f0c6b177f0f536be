package main

import (
	"context"
	"fmt"
	"io"
)

const checkUsage = `Usage: beifen check --data DIR [--db URL]

Verifies every stored record and blob: each record opens under its account's key and matches its
content hash; each blob decrypts, has its recorded size and matches its content hash; every file
and attachment a record refers to is there. Problems are listed by ID only.

EXIT STATUS: 0 if nothing is damaged, 1 if damage was found (listed on stdout) or the check could
not run, 2 on bad flags.

Options:
`

func runCheck(ctx context.Context, args []string, getenv Env, stdout, stderr io.Writer) error {
	fs := newFlagSet("check", checkUsage, stderr)
	cfg := serverConfig(fs, getenv)
	if err := parse(fs, args); err != nil {
		return err
	}
	m, err := openQuiet(cfg, stderr)
	if err != nil {
		return err
	}
	defer m.Close()
	problems := 0
	st, err := m.Backup.Check(ctx, func(p string) {
		problems++
		fmt.Fprintln(stdout, p)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "checked %d accounts, %d records, %d blobs (%s): %d problems\n",
		st.Users, st.Records, st.Blobs, size(st.Bytes), problems)
	if problems > 0 {
		return errDamage
	}
	return nil
}
