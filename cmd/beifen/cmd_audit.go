package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/audit"
)

const auditVerifyUsage = `Usage: beifen audit verify --data DIR [--db URL]

Walks every audit chain (the platform's, each team's and each personal account's) and checks
each entry's keyed hash against the one before it. A changed byte in a stored entry, or an entry
removed from the middle of a chain, breaks it there; the first broken entry of each chain is
named. (An entry removed from the very end of a chain leaves no trace in a hash chain.)

EXIT STATUS: 0 if every chain is whole, 1 if one is broken or the check failed, 2 on bad flags.

Options:
`

// errAuditBroken is the exit for a broken chain.
var errAuditBroken = errors.New("audit log broken")

func runAudit(ctx context.Context, args []string, getenv Env, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprint(stderr, auditVerifyUsage)
		return errUsage
	}
	fs := newFlagSet("audit verify", auditVerifyUsage, stderr)
	cfg := serverConfig(fs, getenv)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	m, err := openQuiet(cfg, stderr)
	if err != nil {
		return err
	}
	defer m.Close()
	scopes := []string{audit.PlatformScope}
	teams, err := m.Store.Teams.FindTeams(ctx)
	if err != nil {
		return err
	}
	for _, t := range teams {
		scopes = append(scopes, "team:"+strconv.FormatInt(t.ID, 10))
	}
	users, _, err := m.Store.Users.FindUsers(ctx, beifen.UserFilter{})
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.TeamID == 0 {
			scopes = append(scopes, "user:"+strconv.FormatInt(u.ID, 10))
		}
	}
	total, broken := 0, 0
	for _, scope := range scopes {
		at, n, err := m.Audit.Verify(ctx, scope)
		if err != nil {
			return err
		}
		total += n
		if at != 0 {
			broken++
			fmt.Fprintf(stdout, "%s: BROKEN at entry %d\n", scope, at)
		}
	}
	fmt.Fprintf(stdout, "%d chains, %d entries, %d broken\n", len(scopes), total, broken)
	if broken > 0 {
		return errAuditBroken
	}
	return nil
}
