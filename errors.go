package gongkai

import (
	"errors"
	"strings"
)

// Sentinel errors. Callers test them with errors.Is; the CLI turns them
// into an exit status and a hint.
var (
	// ErrUnreadable: the document's tables could not be found or read.
	ErrUnreadable = errors.New("tables not readable")
	// ErrScanned: a PDF without a text layer; it needs OCR first.
	ErrScanned = errors.New("scanned PDF without a text layer")
	// ErrUnsupported: a file that is no report rendering gongkai knows.
	ErrUnsupported = errors.New("unsupported document")
	// ErrDatabaseBusy: another process holds the store's write lock.
	ErrDatabaseBusy = errors.New("database busy")
	// ErrNotFound: a named thing (rollup, report, division) does not exist.
	ErrNotFound = errors.New("not found")
	// ErrRefused: an ad-hoc statement the SQL guard does not allow.
	ErrRefused = errors.New("statement refused")
	// ErrTooLarge: a document bigger than any report (lines, tags, cells):
	// refused before it can cost more memory than the run can spare.
	ErrTooLarge = errors.New("document too large")
	// ErrUsage: bad flags or arguments.
	ErrUsage = errors.New("usage")
	// ErrNoIdentity: the document does not say (or the reader could not
	// find) which organization wrote it or which year it covers.
	ErrNoIdentity = errors.New("report identity not found")
	// ErrInvalidRecord: a record the store would refuse (no organization,
	// no year, a malformed date, a fraction in a count).
	ErrInvalidRecord = errors.New("record refused")
)

// Error carries the operation, the file and place in it, the cause and a
// hint for the user. Its message reads "op path: where: cause".
type Error struct {
	Op    string // "parse", "ingest", "query"...
	Path  string // file or object concerned, may be empty
	Where string // place inside it: "line 212", "table 三 row 1_new"
	Err   error
	Hint  string // what the user can do about it, may be empty
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	if e.Path != "" {
		b.WriteString(" " + e.Path)
	}
	if e.Where != "" {
		b.WriteString(": " + e.Where)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// HintOf returns the first hint found along err's chain, or "".
func HintOf(err error) string {
	var e *Error
	for errors.As(err, &e) {
		if e.Hint != "" {
			return e.Hint
		}
		err = e.Err
	}
	return ""
}
