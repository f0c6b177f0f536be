package http

import (
	"slices"
	"strings"
	"sync"
	"time"
)

// latencies keeps how long the last requests took, for the operator's performance figures
// (clause 1.7). Only durations and routes are kept: nothing about who asked.
type latencies struct {
	mu    sync.Mutex
	ring  [latencyRing]time.Duration
	n     int // requests recorded in all
	slow5 int // of them, 5xx
}

const latencyRing = 4096

// Latency summarises the requests recorded: percentiles of their durations and the error rate.
type Latency struct {
	Requests      int // in the window (up to the last 4,096)
	P50, P95, P99 time.Duration
	ServerErrors  int // 5xx among all requests since start
	Total         int // requests since start
}

func (l *latencies) add(route string, d time.Duration, status int) {
	if strings.HasPrefix(route, "GET /static/") {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ring[l.n%latencyRing] = d
	l.n++
	if status >= 500 {
		l.slow5++
	}
}

func (l *latencies) summary() Latency {
	l.mu.Lock()
	n := min(l.n, latencyRing)
	ds := slices.Clone(l.ring[:n])
	out := Latency{Requests: n, ServerErrors: l.slow5, Total: l.n}
	l.mu.Unlock()
	if n == 0 {
		return out
	}
	slices.Sort(ds)
	at := func(p float64) time.Duration { return ds[min(int(p*float64(n)), n-1)] }
	out.P50, out.P95, out.P99 = at(0.50), at(0.95), at(0.99)
	return out
}

// Latency returns the performance figures of the requests served so far.
func (s *Server) Latency() Latency { return s.latency.summary() }
