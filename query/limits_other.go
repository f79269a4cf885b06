//go:build !linux

package query

import "errors"

// applyLimits: the resource limits of the sandbox are Linux's; elsewhere a
// worker is still a separate process killed at its deadline, and DuckDB's
// own memory limit and locked, file-less instance still hold.
func applyLimits(int64) error { return nil }

// namespaceChoices: no namespaces outside Linux; workers scrub the store's
// path from answers instead (see scrubber).
func namespaceChoices() []startChoice { return []startChoice{{}} }

func isolate(string) (string, error) { return "", errors.New("no namespaces on this system") }

// canReadRSS: no /proc here; Config.MemoryBudget is not enforced.
const canReadRSS = false

func rssOf(int) int64 { return 0 }

func memoryOf(int) (int64, int64) { return 0, 0 }
