// Package ui holds beifen's web pages: html/template pages, their static assets and the
// Simplified Chinese and English strings they show, all embedded in the binary. The http
// package serves them from the same services as the REST API; nothing here is fetched from any
// other host, and no build step stands between a clone and `go run`.
package ui

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/url"
	"strings"
	"time"

	"github.com/beifen/beifen"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Static is the tree of static assets, served under /static/.
func Static() fs.FS {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	return sub
}

// Zone is the time zone pages show times in: China Standard Time, where the platform's users
// and teams are (the server's own zone is often UTC).
var Zone = beifen.China

// Renderer renders the pages.
type Renderer struct {
	pages map[string]*template.Template
}

// NewRenderer parses every page with the layout.
func NewRenderer() (*Renderer, error) {
	funcs := template.FuncMap{
		"query":     url.QueryEscape,
		"path":      url.PathEscape,
		"add":       func(a, b int) int { return a + b },
		"sub":       func(a, b int) int { return a - b },
		"bytes":     formatBytes,
		"dataURL":   func(mime, b64 string) template.URL { return template.URL("data:" + mime + ";base64," + b64) },
		"truncate":  truncate,
		"millis":    func(ms int64) time.Time { return time.UnixMilli(ms) },
		"seconds":   formatSeconds,
		"pct":       func(a, b int) int { return percent(a, b) },
		"lower":     strings.ToLower,
		"hasPrefix": strings.HasPrefix,
		"clock":     func(t time.Time) time.Time { return t.In(Zone) },
		"yuan":      func(fen int64) string { return fmt.Sprintf("%d.%02d", fen/100, fen%100) },
	}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	r := &Renderer{pages: map[string]*template.Template{}}
	for _, name := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".html")
		if base == "layout" || base == "partials" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, name)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		r.pages[base] = t
	}
	return r, nil
}

// Render writes page with data, whole or not at all: a template error leaves w untouched.
func (r *Renderer) Render(w io.Writer, page string, data any) error {
	t, ok := r.pages[page]
	if !ok {
		return fmt.Errorf("ui: no page %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", data); err != nil {
		return fmt.Errorf("ui: page %s: %w", page, err)
	}
	_, err := buf.WriteTo(w)
	return err
}

// Pages lists the page names, for tests.
func (r *Renderer) Pages() []string {
	out := make([]string, 0, len(r.pages))
	for name := range r.pages {
		out = append(out, name)
	}
	return out
}

func formatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

func formatSeconds(s string) string {
	var n int
	fmt.Sscan(s, &n)
	if n < 60 {
		return fmt.Sprintf("0:%02d", n)
	}
	if n < 3600 {
		return fmt.Sprintf("%d:%02d", n/60, n%60)
	}
	return fmt.Sprintf("%d:%02d:%02d", n/3600, n/60%60, n%60)
}

func truncate(n int, s string) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func percent(a, b int) int {
	if b == 0 {
		return 0
	}
	return a * 100 / b
}
