package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"

	"github.com/beifen/beifen"
)

const keyUsage = `Usage: beifen key status --data DIR [--db URL]
       beifen key rotate --data DIR [--db URL] [--batch N]
       beifen key retire --data DIR [--db URL] --version N

Master key rotation. Run "beifen key COMMAND -h" for each command's options and exit status.
`

const keyStatusUsage = `Usage: beifen key status --data DIR [--db URL]

Lists the versions of the master key (DIR/master.key, or BEIFEN_MASTER_KEY_FILE) and how many
wrapped data keys (of accounts and teams) each holds in the database. The newest version wraps
new keys; an older one that holds none may be retired.

EXIT STATUS: 0 on success, 1 on failure or if some keys are under a version missing from the key
file (they cannot be opened), 2 on bad flags.

Options:
`

const keyRotateUsage = `Usage: beifen key rotate --data DIR [--db URL] [--batch N]

Adds a new version to the master key file and rewraps every account's and team's data key under
it, N at a time (default 100), each in its own transaction. Only the wrapping changes: the data
keys, and so every stored record and blob, stay as they are; the server's index hashes and audit
chain do not depend on the master key version and stay valid.

Safe while "beifen serve" runs on the same data folder or database: the server reads the key
file again when it meets a key of a version it does not know, and before it wraps a new key, so
new accounts and teams get the new version. With several servers, all must read the same key
file (BEIFEN_MASTER_KEY_FILE on shared storage): a server whose own copy lacks the new version
cannot open the keys rewrapped under it.

Interrupted, run it again: while keys remain under older versions it goes on with the newest
version instead of adding another. Older versions stay in the key file, so database backups
taken before the rotation still open, until "beifen key retire". Back the key file up again
after a rotation.

EXIT STATUS: 0 once every key is under the newest version, 1 on failure or if some keys are
left (run it again), 2 on bad flags.

Options:
`

const keyRetireUsage = `Usage: beifen key retire --data DIR [--db URL] --version N

Removes master key version N from the key file. Refused while any wrapped key in the database
still uses N (run "beifen key rotate" until none does), and for the newest version. Database
backups taken while keys were under N cannot be opened with the new key file: keep a copy of the
old key file with them, or do not retire N until they expire.

EXIT STATUS: 0 on success, 1 on failure or refusal, 2 on bad flags.

Options:
`

func runKey(ctx context.Context, args []string, getenv Env, stdout, stderr io.Writer) error {
	usages := map[string]string{"status": keyStatusUsage, "rotate": keyRotateUsage, "retire": keyRetireUsage}
	if len(args) == 0 || usages[args[0]] == "" {
		fmt.Fprint(stderr, keyUsage)
		return errUsage
	}
	fs := newFlagSet("key "+args[0], usages[args[0]], stderr)
	cfg := serverConfig(fs, getenv)
	batch := fs.Int("batch", 100, "rewrap `N` keys per batch")
	version := fs.Int("version", 0, "the master key `version` to retire")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *batch < 1 || (args[0] == "retire" && *version < 1) {
		fs.Usage()
		return errUsage
	}
	m, err := openKeys(cfg, stderr)
	if err != nil {
		return err
	}
	defer m.Close()
	switch args[0] {
	case "status":
		return keyStatus(ctx, m, stdout)
	case "rotate":
		return keyRotate(ctx, m, *batch, stdout, stderr)
	}
	return keyRetire(ctx, m, *version, stdout)
}

// openKeys opens the server's storage and key, refusing to make a new key: rotating a key
// that was just made would rewrap nothing and hide a wrong --data or BEIFEN_MASTER_KEY_FILE.
func openKeys(cfg *Config, stderr io.Writer) (*Main, error) {
	if _, err := os.Stat(cfg.masterKeyPath()); errors.Is(err, os.ErrNotExist) {
		return nil, beifen.Errorf(beifen.EINVALID, "No master key file %s: check --data or BEIFEN_MASTER_KEY_FILE.", cfg.masterKeyPath())
	}
	return openQuiet(cfg, stderr)
}

func keyStatus(ctx context.Context, m *Main, stdout io.Writer) error {
	counts, err := m.Store.Keys.CountWrappedKeys(ctx)
	if err != nil {
		return err
	}
	newest, inFile := m.Master.Newest(), map[int]bool{}
	for _, v := range m.Master.Versions() {
		inFile[v] = true
		note := ""
		switch {
		case v == newest:
			note = " (newest: wraps new keys)"
		case counts[v] == 0:
			note = fmt.Sprintf(" (unused: beifen key retire --version %d)", v)
		}
		fmt.Fprintf(stdout, "version %d: %d wrapped keys%s\n", v, counts[v], note)
	}
	if counts[0] > 0 {
		fmt.Fprintf(stdout, "no recorded version: %d wrapped keys (beifen key rotate rewraps them)\n", counts[0])
	}
	missing := false
	for v, n := range counts {
		if v != 0 && !inFile[v] {
			fmt.Fprintf(stdout, "version %d: %d wrapped keys, NOT IN THE KEY FILE: they cannot be opened\n", v, n)
			missing = true
		}
	}
	if missing {
		return errDamage
	}
	return nil
}

func keyRotate(ctx context.Context, m *Main, batch int, stdout, stderr io.Writer) error {
	counts, err := m.Store.Keys.CountWrappedKeys(ctx)
	if err != nil {
		return err
	}
	left := keysBelow(counts, m.Master.Newest())
	if left > 0 {
		fmt.Fprintf(stdout, "resuming the rotation to version %d: %d keys left\n", m.Master.Newest(), left)
	} else {
		v, err := m.Master.AddVersion()
		if err != nil {
			return err
		}
		left = keysBelow(counts, v)
		fmt.Fprintf(stdout, "added master key version %d; back the key file up again\n", v)
		if err := m.Audit.AuditPlatform(ctx, "key.rotate", "master:"+strconv.Itoa(v)); err != nil {
			return err
		}
	}
	prog := newCountProgress(stderr, "rewrapping", int64(left))
	done, err := m.RewrapKeys(ctx, batch, func() { prog.Add(1) })
	prog.Finish()
	fmt.Fprintf(stdout, "rewrapped %d data keys under version %d\n", done, m.Master.Newest())
	if err != nil {
		return err
	}
	if counts, err = m.Store.Keys.CountWrappedKeys(ctx); err != nil {
		return err
	}
	if left := keysBelow(counts, m.Master.Newest()); left > 0 {
		return beifen.Errorf(beifen.ECONFLICT, "%d keys are still under older versions: run beifen key rotate again.", left)
	}
	return nil
}

func keyRetire(ctx context.Context, m *Main, version int, stdout io.Writer) error {
	if !slices.Contains(m.Master.Versions(), version) {
		return beifen.Errorf(beifen.EINVALID, "Version %d is not in the key file.", version)
	}
	if version == m.Master.Newest() {
		return beifen.Errorf(beifen.EINVALID, "Version %d is the newest: it wraps new keys.", version)
	}
	counts, err := m.Store.Keys.CountWrappedKeys(ctx)
	if err != nil {
		return err
	}
	if n := counts[version]; n > 0 {
		return beifen.Errorf(beifen.ECONFLICT, "Version %d still wraps %d data keys: run beifen key rotate until none does.", version, n)
	}
	if n := counts[0]; n > 0 {
		return beifen.Errorf(beifen.ECONFLICT, "%d data keys have no recorded version: run beifen key rotate first.", n)
	}
	if err := m.Master.RemoveVersion(version); err != nil {
		return err
	}
	if err := m.Audit.AuditPlatform(ctx, "key.retire", "master:"+strconv.Itoa(version)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "retired master key version %d; back the key file up again\n", version)
	return nil
}
