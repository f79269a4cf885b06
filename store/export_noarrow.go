//go:build !duckdb_arrow

package store

import (
	"context"
	"fmt"
	"io"

	"gongkai"
)

// Without the duckdb_arrow build tag the driver has no Arrow interface;
// the Arrow formats then fail with a hint instead of the build failing.

var errNoArrow = &gongkai.Error{Op: "export", Err: fmt.Errorf("%w: Arrow output needs a build with -tags duckdb_arrow", gongkai.ErrUsage),
	Hint: "rebuild with 'go build -tags duckdb_arrow ./cmd/gongkai', or export as parquet"}

func (s *Store) writeArrow(context.Context, string, []any, bool, io.Writer) (int64, error) {
	return 0, errNoArrow
}

// GuardedArrow needs the duckdb_arrow build tag; without it, it fails.
func (s *Store) GuardedArrow(context.Context, string, Limits, io.Writer) (bool, error) {
	return false, errNoArrow
}
