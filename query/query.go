// Package query runs analysts' ad-hoc SQL through the store's guard: a
// separate read-only DuckDB instance with file access off, only read
// statements (decided from DuckDB's parsed statement type), one statement,
// a time limit that interrupts DuckDB and a row cap (see store/guard.go).
// It stays thin on purpose, so the CLI and the HTTP API share one guard.
package query

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gongkai"
	"gongkai/store"
)

// Store is what Run needs: *sql.Store, opened read-only.
type Store interface {
	Guarded(ctx context.Context, q string, lim store.Limits) (*gongkai.Result, error)
}

// Options tune one run; zero fields take the guard's defaults
// (store.DefaultTimeout, store.DefaultMaxRows).
type Options struct {
	Timeout time.Duration
	MaxRows int
}

// Run executes one ad-hoc statement. Empty input is a usage error; a
// statement the guard refuses wraps gongkai.ErrRefused with a hint.
func Run(ctx context.Context, s Store, sqlText string, o Options) (*gongkai.Result, error) {
	text := strings.TrimSpace(sqlText)
	if strings.Trim(text, "; \t\r\n") == "" {
		return nil, &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: empty SQL", gongkai.ErrUsage),
			Hint: `gongkai query "SELECT organization, report_year FROM reports LIMIT 10"`}
	}
	return s.Guarded(ctx, text, store.Limits{Timeout: o.Timeout, MaxRows: o.MaxRows})
}
