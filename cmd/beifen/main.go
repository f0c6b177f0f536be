// Command beifen is the whole of beifen in one binary: the server (`beifen serve`) and the
// command-line client and operator tools.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/beifen/beifen"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// Env reads environment variables (os.Getenv, or a map in tests).
type Env func(string) string

const usage = `beifen (备份) backs up phones and keeps the promises of their owners' privacy policy.

Usage:
  beifen serve      [--data DIR] [--addr HOST:PORT] [--db URL]   run the server
  beifen user add   --data DIR --phone NUMBER [--name NAME] [--team ID --role R]
                                                                 create an account, print a token
  beifen team add   --data DIR --name NAME                       create a sales team, print its ID
  beifen leads import --server URL --token T [--json] FILE...   import leads (txt/csv/docx/xlsx/vcf)
  beifen task create --server URL --token T --name NAME [--staff PHONE,...] [--window HH:MM-HH:MM]
  beifen report     --server URL --token T --task ID --out FILE.xlsx|FILE.csv
  beifen backup     --server URL --token T [--json] PATH...      back up a phone export
  beifen snapshots  --server URL --token T [--json]              list snapshots
  beifen restore    --server URL --token T [--snapshot ID|latest] --out DIR
  beifen diff       --server URL --token T [--json] A B          what changed between snapshots
  beifen check      --data DIR [--db URL]                        verify every stored blob and record
  beifen migrate    --data DIR [--db URL] [--dry-run]            apply or list database migrations
  beifen gc         --data DIR [--db URL] [--grace 72h]          remove what unfinished backups left
  beifen policy publish --data DIR --version V --lang L --title T --file F --effective DATE [--material]
  beifen complaint overdue|answer --data DIR [--id ID --reply TEXT]   complaints past 15 working days
  beifen request open|overdue|answer --data DIR [--id ID --reply TEXT]  users' rights requests, 15 working days
  beifen shutdown  --data DIR [--days N] [--status]            close the platform: freeze, notify, erase
  beifen hold place|lift|list --data DIR [--phone P --reason R] legal holds: keep an account from erasure
  beifen audit verify --data DIR [--db URL]                     check the audit log's chains, tree and checkpoints
  beifen audit checkpoint --data DIR [--db URL]                 print the newest signed checkpoint and its key
  beifen transfer notice|export|verify|status ...               merger: notify every user, then a signed platform export
  beifen key status|rotate|retire --data DIR [--db URL]         master key versions: list, rotate, retire one
  beifen version

BEIFEN_SERVER and BEIFEN_TOKEN may replace --server and --token.
Run "beifen COMMAND -h" for a command's options and exit status.
`

// run dispatches a subcommand.
func run(ctx context.Context, args []string, getenv Env, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(ctx, args, getenv, stdout, stderr)
	case "user":
		return runUser(ctx, args, getenv, stdout, stderr)
	case "team":
		return runTeam(ctx, args, getenv, stdout, stderr)
	case "leads":
		return runLeads(ctx, args, getenv, stdout, stderr)
	case "task":
		return runTask(ctx, args, getenv, stdout, stderr)
	case "report":
		return runReport(ctx, args, getenv, stdout, stderr)
	case "policy":
		return runPolicy(ctx, args, getenv, stdout, stderr)
	case "complaint":
		return runComplaint(ctx, args, getenv, stdout, stderr)
	case "shutdown":
		return runShutdown(ctx, args, getenv, stdout, stderr)
	case "hold":
		return runHold(ctx, args, getenv, stdout, stderr)
	case "audit":
		return runAudit(ctx, args, getenv, stdout, stderr)
	case "transfer":
		return runTransfer(ctx, args, getenv, stdout, stderr)
	case "request":
		return runRequest(ctx, args, getenv, stdout, stderr)
	case "key":
		return runKey(ctx, args, getenv, stdout, stderr)
	case "backup":
		return runBackup(ctx, args, getenv, stdout, stderr)
	case "snapshots":
		return runSnapshots(ctx, args, getenv, stdout, stderr)
	case "restore":
		return runRestore(ctx, args, getenv, stdout, stderr)
	case "diff":
		return runDiff(ctx, args, getenv, stdout, stderr)
	case "check":
		return runCheck(ctx, args, getenv, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, args, getenv, stdout, stderr)
	case "gc":
		return runGC(ctx, args, getenv, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "beifen", beifen.Version, beifen.Commit)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "beifen: unknown command %q\n\n%s", cmd, usage)
	return errUsage
}

// Exit statuses shared by every command.
const (
	exitOK      = 0
	exitFailure = 1 // the command ran and failed (an error, or damage found by check)
	exitUsage   = 2 // bad flags or arguments
)

var (
	errUsage  = errors.New("usage")
	errDamage = errors.New("damage found")
)

// exitCode prints err for the user and maps it to an exit status: application errors by their
// message, other errors with their whole chain.
func exitCode(err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errUsage), errors.Is(err, flag.ErrHelp):
		return exitUsage
	case errors.Is(err, errDamage):
		return exitFailure
	case beifen.ErrorCode(err) != beifen.EINTERNAL:
		fmt.Fprintln(stderr, "beifen:", beifen.ErrorMessage(err))
	default:
		fmt.Fprintln(stderr, "beifen:", err)
	}
	return exitFailure
}

// newFlagSet returns a FlagSet that prints the command's usage text on -h.
func newFlagSet(name, text string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, text)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags; a parse error becomes errUsage.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}
