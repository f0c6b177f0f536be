// Command dispatchload drains a dial task with many concurrent staff clients, spread over
// several servers, and checks that every lead was handed out exactly once. It prints the
// hand-out latency (p50, p99). Used by bench/dispatch.sh.
//
//	dispatchload -task ID -tokens FILE URL...
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/beifen/beifen"
	beifenhttp "github.com/beifen/beifen/http"
)

func main() {
	task := flag.Int64("task", 0, "task ID")
	tokens := flag.String("tokens", "", "file with one staff token per line")
	flag.Parse()
	toks, err := readLines(*tokens)
	if err != nil || *task == 0 || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: dispatchload -task ID -tokens FILE URL...", err)
		os.Exit(2)
	}
	seen, lat, err := drain(toks, flag.Args(), *task)
	if err != nil {
		fmt.Fprintln(os.Stderr, "dispatchload:", err)
		os.Exit(1)
	}
	dups := 0
	for _, n := range seen {
		if n != 1 {
			dups++
		}
	}
	slices.Sort(lat)
	fmt.Printf("clients=%d servers=%d leads=%d handed-out-twice=%d p50=%v p99=%v\n", len(toks), flag.NArg(),
		len(seen), dups, lat[len(lat)/2].Round(time.Millisecond), lat[len(lat)*99/100].Round(time.Millisecond))
	if dups > 0 {
		os.Exit(1)
	}
}

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if sc.Text() != "" {
			lines = append(lines, sc.Text())
		}
	}
	return lines, sc.Err()
}

// drain runs one client per token, spread over the servers, until the task is empty.
func drain(tokens, urls []string, task int64) (map[int64]int, []time.Duration, error) {
	var mu sync.Mutex
	seen := map[int64]int{}
	var lat []time.Duration
	var wg sync.WaitGroup
	errs := make(chan error, len(tokens))
	for i, tok := range tokens {
		c := beifenhttp.NewClient(urls[i%len(urls)], tok)
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			for {
				start := time.Now()
				d, err := c.NextLead(ctx, task)
				if err != nil {
					errs <- err
					return
				} else if d == nil {
					return
				}
				mu.Lock()
				seen[d.LeadID]++
				lat = append(lat, time.Since(start))
				mu.Unlock()
				if _, err := c.LogOutcome(ctx, task, d.LeadID, &beifen.CallLog{Outcome: beifen.OutcomeConnected}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return seen, lat, <-errs
}
