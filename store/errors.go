package store

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/duckdb/duckdb-go/v2"

	"gongkai"
)

// lockHeld matches DuckDB's file-lock error, the one failure classified by
// its text: the driver reports it as a plain IO error. The text reads
// `Could not set lock on file "X": Conflicting lock is held in PROGRAM
// (PID N) by user U`.
var lockHeld = regexp.MustCompile(`Conflicting lock is held in (.*?) \(PID (\d+)\)`)

// classify turns a driver error into gongkai's taxonomy: a held file lock
// becomes gongkai.ErrDatabaseBusy naming the holder; other errors keep the
// driver's error in their chain (callers may errors.As it to *duckdb.Error)
// and gain a hint when one helps.
func classify(op, path string, err error) error {
	if err == nil {
		return nil
	}
	if m := lockHeld.FindStringSubmatch(err.Error()); m != nil {
		return &gongkai.Error{
			Op:   op,
			Path: path,
			Err:  fmt.Errorf("%w: held by %s (PID %s)", gongkai.ErrDatabaseBusy, m[1], m[2]),
			Hint: fmt.Sprintf("wait for process %s to finish, or use another --db file", m[2]),
		}
	}
	e := &gongkai.Error{Op: op, Path: path, Err: err}
	var de *duckdb.Error
	if errors.As(err, &de) {
		switch de.Type {
		case duckdb.ErrorTypeIO, duckdb.ErrorTypePermission:
			e.Hint = "check that the database path exists and is writable"
		case duckdb.ErrorTypeSerialization:
			e.Hint = "the file is not a DuckDB database of a version this build reads"
		case duckdb.ErrorTypeInterrupt:
			e.Hint = "the operation was cancelled"
		case duckdb.ErrorTypeOutOfMemory:
			e.Hint = "the database ran out of memory; try smaller batches"
		}
	}
	return e
}

// Overloaded reports whether err is DuckDB running out of memory under the
// store's memory limit: a matter of load (too much at once), which serve
// answers 503 with Retry-After rather than 500.
func Overloaded(err error) bool {
	var de *duckdb.Error
	return errors.As(err, &de) && de.Type == duckdb.ErrorTypeOutOfMemory
}
