package gongkai

import (
	"errors"
	"strings"

	"gongkai/msg"
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
	var cause string
	if e.Err != nil {
		cause = e.Err.Error()
	}
	return e.format(e.Op, e.Where, ": ", cause)
}

// format writes "op path: where: cause" with sep between the parts
// (": " in English, "：" in Chinese); empty parts are left out.
func (e *Error) format(op, where, sep, cause string) string {
	var b strings.Builder
	b.WriteString(op)
	if e.Path != "" {
		b.WriteString(" " + e.Path)
	}
	if where != "" {
		b.WriteString(sep + where)
	}
	if e.Err != nil {
		b.WriteString(sep + cause)
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

// sentinelIDs name each sentinel's cause in the msg catalogue.
var sentinelIDs = []struct {
	err error
	id  msg.ID
}{
	{ErrUnreadable, "err.unreadable"}, {ErrScanned, "err.scanned"}, {ErrUnsupported, "err.unsupported"},
	{ErrDatabaseBusy, "err.database_busy"}, {ErrNotFound, "err.not_found"}, {ErrRefused, "err.refused"},
	{ErrTooLarge, "err.too_large"}, {ErrUsage, "err.usage"}, {ErrNoIdentity, "err.no_identity"},
	{ErrInvalidRecord, "err.invalid_record"},
}

// LocalError is err's message in language l. English is err.Error(). In
// Chinese the operation of each *Error (op.*) and each sentinel cause
// (err.*) are the catalogue's; details a cause words itself (a file's
// line, a DuckDB message) stay as they are.
func LocalError(err error, l msg.Lang) string {
	if err == nil {
		return ""
	}
	text := err.Error()
	if l == msg.EN {
		return text
	}
	var e *Error
	if errors.As(err, &e) {
		if inner := e.Error(); strings.HasSuffix(text, inner) {
			return localCauses(err, text[:len(text)-len(inner)]) + e.local(l)
		}
	}
	return localCauses(err, text)
}

func (e *Error) local(l msg.Lang) string {
	op := e.Op
	if id := msg.ID("op." + e.Op); msg.Has(id) {
		op = msg.T(l, id, nil)
	}
	return e.format(op, msg.Phrase(l, e.Where), "：", LocalError(e.Err, l))
}

// localCauses puts the sentinel causes err wraps into Chinese where text
// starts or ends with them, as fmt.Errorf("%w: …") and (": %w") write them.
func localCauses(err error, text string) string {
	for _, s := range sentinelIDs {
		if !errors.Is(err, s.err) {
			continue
		}
		en, zh := s.err.Error(), msg.T(msg.ZH, s.id, nil)
		switch {
		case text == en:
			return zh
		case strings.HasPrefix(text, en+": "):
			text = zh + "：" + msg.Cause(msg.ZH, text[len(en)+2:])
		case strings.HasSuffix(text, ": "+en):
			text = text[:len(text)-len(en)-2] + "：" + zh
		}
	}
	return text
}

// LocalHint is the first hint along err's chain (HintOf) in language l,
// through the catalogue's hint.* texts (msg.HintIn).
func LocalHint(err error, l msg.Lang) string {
	return msg.HintIn(HintOf(err), l)
}
