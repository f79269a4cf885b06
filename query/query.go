// Package query runs analysts' ad-hoc SQL against a store opened
// read-only. It stays thin on purpose: the statement checks (read-only
// statement types, one statement, no file access, time limit) belong to
// the store's SQL guard, which Run calls before anything reaches DuckDB.
package query

import (
	"context"
	"fmt"
	"strings"

	"gongkai"
)

// DefaultMaxRows caps an ad-hoc result; Result.Truncated says when the cap
// cut it short.
const DefaultMaxRows = 10000

// Store is what Run needs: *sql.Store opened with OpenReadOnly.
type Store interface {
	QueryLimit(ctx context.Context, max int, query string, args ...any) (*gongkai.Result, error)
}

// Options tune one run. The zero value means the defaults.
type Options struct {
	// MaxRows caps the rows kept (DefaultMaxRows when 0; negative: no cap).
	MaxRows int
}

// Run executes one ad-hoc statement. Empty input is a usage error.
func Run(ctx context.Context, s Store, sqlText string, o Options) (*gongkai.Result, error) {
	text := strings.TrimSpace(sqlText)
	if text == "" || strings.Trim(text, "; \t\r\n") == "" {
		return nil, &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: empty SQL", gongkai.ErrUsage),
			Hint: `gongkai query "SELECT organization, report_year FROM reports LIMIT 10"`}
	}
	max := o.MaxRows
	switch {
	case max == 0:
		max = DefaultMaxRows
	case max < 0:
		max = 0
	}
	res, err := s.QueryLimit(ctx, max, text)
	if err != nil {
		return nil, err
	}
	return res, nil
}
