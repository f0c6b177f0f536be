//go:build unix

package sbr_test

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time the process has used, so that a benchmark can report
// throughput per core even on a busy machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
