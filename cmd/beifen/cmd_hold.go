package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/beifen/beifen/phonenumber"
)

const holdUsage = `Usage: beifen hold place --data DIR [--db URL] --phone NUMBER --reason TEXT
       beifen hold lift  --data DIR [--db URL] --phone NUMBER
       beifen hold list  --data DIR [--db URL] [--all]

Legal holds (clause 1.9). place keeps an account's data from being erased (by its owner's
deletion request, a minor's missing consent, a shutdown or "user erase") while the law requires
it kept; --reason is the legal basis (a case number, an authority's request). lift ends it, and a
deletion it held back happens at the server's next hourly run. Both go into the platform's audit
log. list prints the holds in force (--all: the lifted ones too) as JSON lines.

EXIT STATUS: 0 on success, 1 on failure (no such account; already held; not held), 2 on bad flags.

Options:
`

func runHold(ctx context.Context, args []string, getenv Env, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "place" && args[0] != "lift" && args[0] != "list") {
		fmt.Fprint(stderr, holdUsage)
		return errUsage
	}
	fs := newFlagSet("hold "+args[0], holdUsage, stderr)
	cfg := serverConfig(fs, getenv)
	phone := fs.String("phone", "", "phone `number` of the account")
	reason := fs.String("reason", "", "the legal basis of the hold")
	all := fs.Bool("all", false, "list lifted holds too")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	m, err := openQuiet(cfg, stderr)
	if err != nil {
		return err
	}
	defer m.Close()
	if args[0] == "list" {
		holds, err := m.Store.Holds.FindHolds(ctx, *all)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(stdout)
		for _, h := range holds {
			if err := enc.Encode(h); err != nil {
				return err
			}
		}
		return nil
	}
	e164, err := phonenumber.Normalize(*phone)
	if err != nil {
		return err
	}
	u, err := m.Store.Users.FindUserByPhoneHash(ctx, m.Auth.PhoneHash(e164))
	if err != nil {
		return err
	}
	if args[0] == "lift" {
		if err := m.LiftHold(ctx, u.ID); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "lifted the legal hold on account %d\n", u.ID)
		return nil
	}
	h, err := m.PlaceHold(ctx, u.ID, *reason)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "account %d is under legal hold %d\n", u.ID, h.ID)
	return nil
}
