package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
)

const userAddUsage = `Usage: beifen user add --data DIR [--db URL] --phone NUMBER [--name NAME]

Creates an account for a phone number (normalised to E.164; +86 when no country code is given)
and prints an API token as the last line. Works while "beifen serve" runs on the same DIR.

EXIT STATUS: 0 on success, 1 if the account could not be created (for example, the number
already has one), 2 on bad flags.

Options:
`

func runUser(ctx context.Context, args []string, getenv Env, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprint(stderr, userAddUsage)
		return errUsage
	}
	fs := newFlagSet("user add", userAddUsage, stderr)
	cfg := serverConfig(fs, getenv)
	phone := fs.String("phone", "", "phone `number`")
	name := fs.String("name", "", "display `name`")
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
	u, tok, err := m.Auth.CreateUser(ctx, *phone, *name)
	if err != nil {
		return err
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
