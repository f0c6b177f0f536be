package main

import (
	"context"
	"io"
)

// Run exposes run to the external tests.
func Run(ctx context.Context, args []string, getenv Env, stdin io.Reader, stdout, stderr io.Writer) error {
	return run(ctx, args, getenv, stdin, stdout, stderr)
}

// SetHookBeforeCommit sets what runs between a backup's uploads and its commit (nil: nothing).
func SetHookBeforeCommit(f func()) { testHookBeforeCommit = f }
