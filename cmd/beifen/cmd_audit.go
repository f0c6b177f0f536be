package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/beifen/beifen/audit"
)

const auditUsage = `Usage: beifen audit verify --data DIR [--db URL] [--checkpoint FILE]... [--json]
       beifen audit checkpoint --data DIR [--db URL]

verify reads the whole audit log once and checks it three ways: each scope's keyed hash chain
(the platform's, each team's and each personal account's), each entry against the Merkle tree
hash stored when it was appended, and the tree rebuilt from the entries against every signed
checkpoint: the database's newest, DIR/audit.checkpoint (written beside the database after
every append) and each --checkpoint FILE someone kept from earlier. A changed byte names its
entry; an entry removed from the middle names the entry after the gap; entries removed from the
end no longer reach the size a checkpoint was signed for, and are reported as such.

checkpoint prints the newest signed checkpoint and the key that verifies it, to keep and
compare later with verify --checkpoint.

EXIT STATUS: 0 if the log is whole, 1 if it is not or the check failed, 2 on bad flags.

Options:
`

// errAuditBroken is the exit for a broken log.
var errAuditBroken = errors.New("audit log broken")

// files is a repeatable flag.
type files []string

func (f *files) String() string     { return fmt.Sprint(*f) }
func (f *files) Set(v string) error { *f = append(*f, v); return nil }

func runAudit(ctx context.Context, args []string, getenv Env, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "checkpoint") {
		fmt.Fprint(stderr, auditUsage)
		return errUsage
	}
	fs := newFlagSet("audit "+args[0], auditUsage, stderr)
	cfg := serverConfig(fs, getenv)
	var kept files
	asJSON := false
	if args[0] == "verify" {
		fs.Var(&kept, "checkpoint", "a signed checkpoint kept from earlier (repeatable)")
		fs.BoolVar(&asJSON, "json", false, "print the report as JSON")
	}
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	m, err := openQuiet(cfg, stderr)
	if err != nil {
		return err
	}
	defer m.Close()
	if args[0] == "checkpoint" {
		note, err := m.Audit.Checkpoint(ctx)
		if err != nil {
			return err
		}
		if note == nil {
			return fmt.Errorf("the audit log has no checkpoint yet")
		}
		fmt.Fprintf(stdout, "%s\nverifier key: %s\n", note, m.Audit.VerifierKey())
		return nil
	}
	var extra []audit.Source
	for _, f := range kept {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		extra = append(extra, audit.Source{Name: "checkpoint " + f, Note: b})
	}
	rep, err := m.Audit.VerifyLog(ctx, extra...)
	if err != nil {
		return err
	}
	if asJSON {
		if err := json.NewEncoder(stdout).Encode(rep); err != nil {
			return err
		}
	} else {
		for _, p := range rep.Problems {
			fmt.Fprintf(stdout, "BROKEN: %s\n", p.What)
		}
		fmt.Fprintf(stdout, "%d chains, %d entries (%d in the tree), %d checkpoints, %d problems\n",
			rep.Chains, rep.Entries, rep.Leaves, rep.Checkpoints, len(rep.Problems))
	}
	if len(rep.Problems) > 0 {
		return errAuditBroken
	}
	return nil
}
