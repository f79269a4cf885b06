//go:build !linux

package query

import "syscall"

// applyLimits: the resource limits of the sandbox are Linux's; elsewhere a
// worker is still a separate process killed at its deadline, and DuckDB's
// own memory limit and locked, file-less instance still hold.
func applyLimits(int64) error { return nil }

func workerAttr() *syscall.SysProcAttr { return nil }
