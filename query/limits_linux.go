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
// gone).
func rssOf(pid int) int64 {
	_, rss := memoryOf(pid)
	return rss
}

// memoryOf returns the address space and the resident memory of process
// pid in bytes (0, 0 when it is gone): statm's first two fields, in pages.
func memoryOf(pid int) (virtual, resident int64) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/statm")
	if err != nil {
		return 0, 0
	}
	f := bytes.Fields(b)
	if len(f) < 2 {
		return 0, 0
	}
	page := int64(os.Getpagesize())
	v, err1 := strconv.ParseInt(string(f[0]), 10, 64)
	r, err2 := strconv.ParseInt(string(f[1]), 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0
	}
	return v * page, r * page
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
