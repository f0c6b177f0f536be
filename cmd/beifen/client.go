package main

import (
	"flag"
	"fmt"
	"io"

	beifenhttp "github.com/beifen/beifen/http"
)

// clientFlags are the flags of every command that talks to a server.
type clientFlags struct {
	server string
	token  string
	json   bool
}

func (c *clientFlags) register(fs *flag.FlagSet, getenv Env) {
	fs.StringVar(&c.server, "server", getenv("BEIFEN_SERVER"), "server `URL` (or BEIFEN_SERVER)")
	fs.StringVar(&c.token, "token", secret(getenv, "BEIFEN_TOKEN"), "API `token` (or BEIFEN_TOKEN)")
	fs.BoolVar(&c.json, "json", false, "print JSON")
}

// client returns an HTTP client for the server, or errUsage if a flag is missing.
func (c *clientFlags) client(stderr io.Writer) (*beifenhttp.Client, error) {
	if c.server == "" || c.token == "" {
		fmt.Fprintln(stderr, "beifen: --server and --token (or BEIFEN_SERVER and BEIFEN_TOKEN) are required")
		return nil, errUsage
	}
	return beifenhttp.NewClient(c.server, c.token), nil
}
