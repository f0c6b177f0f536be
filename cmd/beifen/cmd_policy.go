package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/beifen/beifen"
)

const policyPublishUsage = `Usage: beifen policy publish --data DIR [--db URL] --version V --lang zh-CN|en --title T --file F
                             --effective YYYY-MM-DD [--material]

Publishes a version of the privacy policy (Markdown in F). Users see it ahead of its effective
date (the notice of clause 8b); a --material version blocks use, once in effect, until each user
accepts it (8a). Publish every language of a version with the same date.

EXIT STATUS: 0 on success, 1 on failure (for example, the version is already published), 2 on
bad flags.

Options:
`

func runPolicy(ctx context.Context, args []string, getenv Env, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "publish" {
		fmt.Fprint(stderr, policyPublishUsage)
		return errUsage
	}
	fs := newFlagSet("policy publish", policyPublishUsage, stderr)
	cfg := serverConfig(fs, getenv)
	d := &beifen.PolicyDocument{}
	fs.StringVar(&d.Version, "version", "", "policy `version`")
	fs.StringVar(&d.Lang, "lang", "zh-CN", "`language`: zh-CN or en")
	fs.StringVar(&d.Title, "title", "", "`title`")
	file := fs.String("file", "", "Markdown `file` with the text")
	effective := fs.String("effective", "", "effective `date`, YYYY-MM-DD (UTC+8)")
	fs.BoolVar(&d.Material, "material", false, "a material change: users must accept it")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	body, err := os.ReadFile(*file)
	if err != nil {
		return err
	}
	d.Body = string(body)
	if d.EffectiveAt, err = time.ParseInLocation("2006-01-02", *effective, beifen.China); err != nil {
		fmt.Fprintln(stderr, "beifen policy publish: --effective must be YYYY-MM-DD")
		return errUsage
	}
	m, err := openQuiet(cfg, stderr)
	if err != nil {
		return err
	}
	defer m.Close()
	if err := m.Privacy.Publish(ctx, d); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "published policy %s (%s), effective %s\n", d.Version, d.Lang, *effective)
	return nil
}
