package main

import (
	"context"
	"encoding/json"

	"fmt"
	"github.com/beifen/beifen"
	"github.com/beifen/beifen/phonenumber"
	"io"
	"log/slog"
)

const userAddUsage = `Usage: beifen user add --data DIR [--db URL] --phone NUMBER [--name NAME] [--team ID --role ROLE [--manager PHONE]]

Creates an account for a phone number (normalised to E.164; +86 when no country code is given)
and prints an API token as the last line. With --team, the account is a member of that sales
team with the role admin, manager (组长) or staff (员工); --manager puts a staff member in that
manager's group: a manager sees the leads, recordings and report rows of their group and of staff
in no group, an admin the whole team. Works while "beifen serve" runs on the
same DIR.

EXIT STATUS: 0 on success, 1 if the account could not be created (for example, the number
already has one), 2 on bad flags.

Options:
`

func runUser(ctx context.Context, args []string, getenv Env, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "erase" {
		return runUserErase(ctx, args[1:], getenv, stdout, stderr)
	}
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprint(stderr, userAddUsage)
		return errUsage
	}
	fs := newFlagSet("user add", userAddUsage, stderr)
	cfg := serverConfig(fs, getenv)
	phone := fs.String("phone", "", "phone `number`")
	name := fs.String("name", "", "display `name`")
	teamID := fs.Int64("team", 0, "sales team `ID` (see beifen team add)")
	role := fs.String("role", "", "role in the team: admin, manager or staff")
	manager := fs.String("manager", "", "for staff: the phone `number` of their manager (组长), whose group they join")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *phone == "" {
		fmt.Fprintln(stderr, "beifen user add: --phone is required")
		return errUsage
	}
	m, err := openQuiet(cfg, stderr)
	if err != nil {
		return err
	}
	defer m.Close()
	u, tok, err := m.Auth.CreateMember(ctx, *phone, *name, *teamID, beifen.Role(*role))
	if err != nil {
		return err
	}
	if *manager != "" {
		if err := m.Auth.SetManager(ctx, u, *manager); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "created user %d\n%s\n", u.ID, tok)
	return nil
}

// openQuiet opens the storage of cfg for an operator command, logging only warnings.
func openQuiet(cfg *Config, stderr io.Writer) (*Main, error) {
	m := NewMain()
	m.Config = *cfg
	m.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if err := m.Open(); err != nil {
		m.Close()
		return nil, err
	}
	return m, nil
}

const teamAddUsage = `Usage: beifen team add --data DIR [--db URL] --name NAME [--time-zone ZONE] [--recording-days N] [--max-customers M]

Creates a sales team (a tenant of the workspace, with its own data key) and prints its ID as the
last line. The time zone (default Asia/Shanghai) sets the team's calling hours.

EXIT STATUS: 0 on success, 1 on failure, 2 on bad flags.

Options:
`

func runTeam(ctx context.Context, args []string, getenv Env, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprint(stderr, teamAddUsage)
		return errUsage
	}
	fs := newFlagSet("team add", teamAddUsage, stderr)
	cfg := serverConfig(fs, getenv)
	name := fs.String("name", "", "team `name`")
	tz := fs.String("time-zone", "Asia/Shanghai", "IANA time `zone`")
	recDays := fs.Int("recording-days", 0, "delete call recordings older than this many `days` (0: keep)")
	maxCust := fs.Int("max-customers", 0, "most customers one staff member holds (0: no limit)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	m, err := openQuiet(cfg, stderr)
	if err != nil {
		return err
	}
	defer m.Close()
	t := &beifen.Team{Name: *name, TimeZone: *tz, RecordingDays: *recDays, MaxCustomers: *maxCust}
	if err := m.CRM.CreateTeam(ctx, t); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created team %q\n%d\n", t.Name, t.ID)
	return nil
}

const userEraseUsage = `Usage: beifen user erase --data DIR [--db URL] --phone NUMBER

Erases an account at once, as if its cooling-off period had ended (for legal requests and tests):
its backups, blobs, tokens and data key are destroyed, and a receipt is printed as JSON.

EXIT STATUS: 0 on success, 1 if there is no such account or erasing failed, 2 on bad flags.

Options:
`

func runUserErase(ctx context.Context, args []string, getenv Env, stdout, stderr io.Writer) error {
	fs := newFlagSet("user erase", userEraseUsage, stderr)
	cfg := serverConfig(fs, getenv)
	phone := fs.String("phone", "", "phone `number` of the account")
	if err := parse(fs, args); err != nil {
		return err
	}
	e164, err := phonenumber.Normalize(*phone)
	if err != nil {
		return err
	}
	m, err := openQuiet(cfg, stderr)
	if err != nil {
		return err
	}
	defer m.Close()
	u, err := m.Store.Users.FindUserByPhoneHash(ctx, m.Auth.PhoneHash(e164))
	if err != nil {
		return err
	}
	r, err := m.eraseAccount(ctx, u)
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(r)
}
