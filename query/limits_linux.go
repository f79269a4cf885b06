package query

import (
	"bytes"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"syscall"
)

// canReadRSS: the workers' resident memory is read from /proc.
const canReadRSS = true

// rssOf returns the resident memory of process pid in bytes (0 when it is
// gone): statm's second field, in pages.
func rssOf(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/statm")
	if err != nil {
		return 0
	}
	f := bytes.Fields(b)
	if len(f) < 2 {
		return 0
	}
	pages, err := strconv.ParseInt(string(f[1]), 10, 64)
	if err != nil {
		return 0
	}
	return pages * int64(os.Getpagesize())
}

// applyLimits sets the worker's hard limits, soft and hard alike so the
// process cannot raise them again:
//   - RLIMIT_AS: its whole address space (DuckDB's buffers, strings and
//     lists DuckDB does not count against memory_limit, the Go heap); an
//     allocation past it fails inside the worker, never in the parent;
//   - RLIMIT_FSIZE 0: no regular file can grow, so even a write that got
//     past DuckDB's own checks would fail (SIGXFSZ is ignored, so the write
//     returns EFBIG instead of killing the worker);
//   - RLIMIT_CORE 0: a crash leaves no core file.
func applyLimits(addressSpace int64) error {
	signal.Ignore(syscall.SIGXFSZ)
	set := func(what int, v uint64) error {
		return syscall.Setrlimit(what, &syscall.Rlimit{Cur: v, Max: v})
	}
	if err := set(syscall.RLIMIT_FSIZE, 0); err != nil {
		return fmt.Errorf("sandbox: limiting file size: %w", err)
	}
	if err := set(syscall.RLIMIT_CORE, 0); err != nil {
		return fmt.Errorf("sandbox: disabling core files: %w", err)
	}
	if addressSpace > 0 {
		if err := set(syscall.RLIMIT_AS, uint64(addressSpace)); err != nil {
			return fmt.Errorf("sandbox: limiting memory: %w", err)
		}
	}
	return nil
}
