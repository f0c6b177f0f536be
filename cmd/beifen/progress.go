package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/term"
)

// progress draws a progress bar on a terminal, at most ten times a second. On anything else it
// stays silent, so logs and pipes get only the final summary.
type progress struct {
	w     io.Writer
	label string
	total int64
	unit  func(int64) string // formats a count: size for bytes
	done  atomic.Int64
	start time.Time
	stop  chan struct{}
	wg    sync.WaitGroup
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// newProgress starts a bar for total bytes; it draws only if w is a terminal.
func newProgress(w io.Writer, label string, total int64) *progress {
	return startProgress(w, label, total, size)
}

// newCountProgress starts a bar for total items; it draws only if w is a terminal.
func newCountProgress(w io.Writer, label string, total int64) *progress {
	return startProgress(w, label, total, func(n int64) string { return strconv.FormatInt(n, 10) })
}

func startProgress(w io.Writer, label string, total int64, unit func(int64) string) *progress {
	p := &progress{w: w, label: label, total: total, unit: unit, start: time.Now(), stop: make(chan struct{})}
	if isTerminal(w) {
		p.wg.Add(1)
		go p.loop()
	}
	return p
}

// Add counts n more bytes done.
func (p *progress) Add(n int64) { p.done.Add(n) }

func (p *progress) loop() {
	defer p.wg.Done()
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			p.draw()
			fmt.Fprintln(p.w)
			return
		case <-t.C:
			p.draw()
		}
	}
}

func (p *progress) draw() {
	done, total := p.done.Load(), max(p.total, 1)
	const width = 30
	fill := int(min(done, total) * width / total)
	rate := float64(done) / max(time.Since(p.start).Seconds(), 0.001)
	fmt.Fprintf(p.w, "\r%-10s [%s%s] %3d%% %s/%s %s/s ", p.label, strings.Repeat("=", fill),
		strings.Repeat(" ", width-fill), done*100/total, p.unit(done), p.unit(p.total), p.unit(int64(rate)))
}

// Finish stops the bar.
func (p *progress) Finish() {
	select {
	case <-p.stop:
	default:
		close(p.stop)
	}
	p.wg.Wait()
}

// size formats a byte count for people.
func size(n int64) string {
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

// countingReader counts what passes through into a progress bar.
type countingReader struct {
	r io.Reader
	p *progress
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.p.Add(int64(n))
	return n, err
}

// WriteTo copies to w 256 KiB at a time: a download into its file. io.Copy's 32 KiB made eight
// times the read and write calls, and the kernel's share of a restore's CPU a third larger. (An
// upload's body reaches the HTTP client wrapped in a LimitedReader, which hides WriteTo; see
// sendSection.)
func (c *countingReader) WriteTo(w io.Writer) (int64, error) {
	buf := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(buf)
	return io.CopyBuffer(writerOnly{w}, readerOnly{c}, *buf)
}

var copyBufs = sync.Pool{New: func() any { b := make([]byte, 256<<10); return &b }}

// writerOnly and readerOnly hide ReadFrom and WriteTo from io.CopyBuffer, which would use them
// instead of its buffer.
type (
	writerOnly struct{ io.Writer }
	readerOnly struct{ io.Reader }
)
