package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"gongkai"
)

// The guard runs ad-hoc SQL from people who may not read files or change
// the store (`gongkai query`, POST /v1/query). Its defences are layered,
// so that one mistake does not open the others:
//
//  1. A separate DuckDB instance per statement: an in-memory database that
//     ATTACHes the store file READ_ONLY, then turns external access off
//     (no files, no network, no ATTACH, no COPY … TO) and locks the
//     configuration (no SET, no RESET). Extensions are neither installed
//     nor loaded automatically; memory and threads are capped, and spilling
//     to disk is off (temp_directory empty).
//  2. The statement's type as DuckDB parsed it (never a regular
//     expression): only SELECT (which covers WITH, VALUES, FROM-first,
//     DESCRIBE, SHOW, SUMMARIZE and the query-like PRAGMAs DuckDB rewrites
//     into SELECTs) and EXPLAIN of a SELECT are run.
//  3. Exactly one statement: the driver's Prepare refuses several, and
//     nothing runs before the check.
//  4. A time limit wired to DuckDB's interrupt through the context, and a
//     row cap that sets Result.Truncated.

// Defaults of Limits.
const (
	DefaultTimeout     = 5 * time.Second
	DefaultMaxRows     = 10_000
	DefaultMemoryLimit = "512MB"
	DefaultThreads     = 2
)

// ErrBadQuery marks ad-hoc SQL that DuckDB could not parse or bind (a
// syntax error, an unknown table or column). It is the user's to fix, like
// gongkai.ErrRefused, but the statement was not dangerous.
var ErrBadQuery = errors.New("invalid query")

// ErrTimeout marks a guarded statement stopped by its time limit.
var ErrTimeout = errors.New("time limit exceeded")

// Limits bound one guarded statement. Zero fields take the defaults.
type Limits struct {
	Timeout     time.Duration // wall time, interrupting DuckDB when over
	MaxRows     int           // rows kept; more set Truncated
	MemoryLimit string        // DuckDB size such as "512MB"
	Threads     int           // DuckDB worker threads
}

// WithDefaults returns l with its zero fields set to the defaults.
func (l Limits) WithDefaults() Limits {
	if l.Timeout <= 0 {
		l.Timeout = DefaultTimeout
	}
	if l.MaxRows <= 0 {
		l.MaxRows = DefaultMaxRows
	}
	if l.MemoryLimit == "" {
		l.MemoryLimit = DefaultMemoryLimit
	}
	if l.Threads <= 0 {
		l.Threads = DefaultThreads
	}
	return l
}

// Lower returns l with the time limit and row cap a request asked for,
// when they are lower; a request can never raise them. Zero or negative
// requests keep l's values.
func (l Limits) Lower(timeout time.Duration, maxRows int) Limits {
	l = l.WithDefaults()
	if timeout > 0 && timeout < l.Timeout {
		l.Timeout = timeout
	}
	if maxRows > 0 && maxRows < l.MaxRows {
		l.MaxRows = maxRows
	}
	return l
}

// Guarded runs one ad-hoc read statement under the guard and returns at
// most lim.MaxRows rows (Truncated set when more were available). Values
// are the plain Go types Query documents. A statement the guard does not
// allow returns an error wrapping gongkai.ErrRefused with a hint; SQL that
// does not parse or bind wraps ErrBadQuery; the time limit wraps ErrTimeout.
//
// The guard reads the store file as last committed to disk; use it on a
// store opened read-only (a read-write Store's open transaction is not
// visible to it).
func (s *Store) Guarded(ctx context.Context, q string, lim Limits) (*gongkai.Result, error) {
	lim = lim.WithDefaults()
	var res *gongkai.Result
	err := s.withGuard(ctx, q, lim, func(ctx context.Context, conn *sql.Conn) error {
		rows, err := conn.QueryContext(ctx, q)
		if err != nil {
			return err
		}
		defer rows.Close()
		res, err = scanResult(rows, lim.MaxRows)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// CheckReadOnly parses q under the guard without running it and returns
// nil when the guard would run it: one SELECT that reads no file. Exports
// use it before copying an ad-hoc query's rows to a file.
func (s *Store) CheckReadOnly(ctx context.Context, q string) error {
	return s.withGuard(ctx, q, Limits{}.WithDefaults(), func(context.Context, *sql.Conn) error { return nil })
}

// withGuard opens a guard instance on the store file, checks q, and runs
// f on the guard's connection with the time limit applied, turning
// failures into gongkai's taxonomy.
func (s *Store) withGuard(ctx context.Context, q string, lim Limits, f func(ctx context.Context, conn *sql.Conn) error) (err error) {
	if strings.TrimSpace(q) == "" {
		return &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: empty statement", ErrBadQuery),
			Hint: "pass one SELECT statement, for example: SELECT count(*) FROM reports"}
	}
	db, conn, err := s.openGuard(ctx, lim)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := errors.Join(conn.Close(), db.Close()); cerr != nil && err == nil {
			err = classify("query", s.path, cerr)
		}
	}()
	if err := checkStatement(conn, q); err != nil {
		return err
	}
	tctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()
	if err := f(tctx, conn); err != nil {
		return guardError(ctx, tctx, lim, err)
	}
	return nil
}

// openGuard starts the guard's in-memory DuckDB instance and attaches the
// store file read-only, then locks it down. A fresh instance per statement
// costs about 10 ms and keeps one statement's memory and settings away from
// the next.
func (s *Store) openGuard(ctx context.Context, lim Limits) (*sql.DB, *sql.Conn, error) {
	if !memorySize.MatchString(lim.MemoryLimit) {
		return nil, nil, &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: memory limit %q is not a size", gongkai.ErrUsage, lim.MemoryLimit),
			Hint: "give a DuckDB size such as 512MB or 2GB"}
	}
	dsn := fmt.Sprintf("?autoinstall_known_extensions=false&autoload_known_extensions=false"+
		"&memory_limit=%s&threads=%d&temp_directory=", lim.MemoryLimit, lim.Threads)
	c, err := duckdb.NewConnector(dsn, nil)
	if err != nil {
		return nil, nil, &gongkai.Error{Op: "query", Path: s.path, Err: fmt.Errorf("starting the SQL guard: %w", err),
			Hint: "check --memory-limit (a DuckDB size such as 512MB)"}
	}
	db := sql.OpenDB(c)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, nil, classify("query", s.path, err)
	}
	setup := []string{
		"ATTACH " + quoteLiteral(s.path) + " AS store (READ_ONLY)",
		"USE store",
		"SET enable_external_access = false",
		"SET lock_configuration = true",
	}
	for _, stmt := range setup {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			conn.Close()
			db.Close()
			return nil, nil, classify("query", s.path, err)
		}
	}
	return db, conn, nil
}

// memorySize is a DuckDB size (512MB, 1.5GiB); it goes into the DSN, so
// nothing else may.
var memorySize = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?\s*[A-Za-z]{0,3}$`)

// quoteLiteral quotes a trusted string (the store's path) as an SQL
// literal. ATTACH takes no bind parameters.
func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// checkStatement prepares q on the guard connection (which parses and
// binds it but runs nothing) and allows it only when DuckDB says it is a
// SELECT, or an EXPLAIN of one.
func checkStatement(conn *sql.Conn, q string) error {
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*duckdb.Conn)
		if !ok {
			return fmt.Errorf("guard: unexpected driver connection %T", dc)
		}
		t, err := statementType(c, q)
		if err != nil {
			return err
		}
		switch t {
		case duckdb.STATEMENT_TYPE_SELECT:
			return nil
		case duckdb.STATEMENT_TYPE_EXPLAIN:
			inner, ok := explained(q)
			if !ok {
				return refused("EXPLAIN with options", "write EXPLAIN SELECT … or EXPLAIN ANALYZE SELECT …")
			}
			it, err := statementType(c, inner)
			if err != nil {
				return err
			}
			if it != duckdb.STATEMENT_TYPE_SELECT {
				return refused("EXPLAIN of a "+typeName(it)+" statement", "EXPLAIN only read statements (SELECT …)")
			}
			return nil
		}
		return refused("a "+typeName(t)+" statement", hintFor(t))
	})
}

// statementType prepares q alone. The driver's Prepare (without context)
// refuses a string holding several statements before running any of them,
// unlike PrepareContext and QueryContext, which run all but the last.
func statementType(c *duckdb.Conn, q string) (duckdb.StmtType, error) {
	st, err := c.Prepare(q)
	if err != nil {
		return duckdb.STATEMENT_TYPE_INVALID, prepareError(err)
	}
	defer st.Close()
	ds, ok := st.(*duckdb.Stmt)
	if !ok {
		return duckdb.STATEMENT_TYPE_INVALID, fmt.Errorf("guard: unexpected statement %T", st)
	}
	return ds.StatementType()
}

// prepareError classifies a failed Prepare. The driver reports "several
// statements" with an unexported error, so it is recognised by its text,
// once, here.
func prepareError(err error) error {
	var de *duckdb.Error
	if errors.As(err, &de) {
		switch de.Type {
		case duckdb.ErrorTypePermission:
			return &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: it reads a file or the network: %v", gongkai.ErrRefused, firstLine(de.Msg)),
				Hint: "ad-hoc SQL may read only the store's tables and views (SHOW TABLES lists them); export files with 'gongkai export'"}
		case duckdb.ErrorTypeParser, duckdb.ErrorTypeSyntax:
			return &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: %v", ErrBadQuery, de.Msg),
				Hint: "check the SQL syntax (DuckDB dialect)"}
		case duckdb.ErrorTypeCatalog, duckdb.ErrorTypeBinder:
			return &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: %v", ErrBadQuery, de.Msg),
				Hint: "SHOW TABLES lists the tables and views; DESCRIBE <name> their columns"}
		}
		return &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: %v", ErrBadQuery, de.Msg)}
	}
	if strings.Contains(err.Error(), "multi-statement") {
		return refused("several statements", "send one statement per request (a trailing ; is fine)")
	}
	if strings.Contains(err.Error(), "empty query") {
		return &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: empty statement", ErrBadQuery),
			Hint: "pass one SELECT statement"}
	}
	return &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: %v", ErrBadQuery, err)}
}

func refused(what, hint string) error {
	return &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: %s; only one read statement (SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN) is allowed", gongkai.ErrRefused, what), Hint: hint}
}

func hintFor(t duckdb.StmtType) string {
	switch t {
	case duckdb.STATEMENT_TYPE_COPY, duckdb.STATEMENT_TYPE_EXPORT:
		return "to write files use 'gongkai export --query SQL --format parquet --out FILE'"
	case duckdb.STATEMENT_TYPE_INSERT, duckdb.STATEMENT_TYPE_UPDATE, duckdb.STATEMENT_TYPE_DELETE,
		duckdb.STATEMENT_TYPE_CREATE, duckdb.STATEMENT_TYPE_DROP, duckdb.STATEMENT_TYPE_ALTER:
		return "the store changes only through 'gongkai ingest'"
	case duckdb.STATEMENT_TYPE_SET, duckdb.STATEMENT_TYPE_VARIABLE_SET, duckdb.STATEMENT_TYPE_PRAGMA:
		return "settings are fixed by the guard; use SELECT current_setting('name') to read one"
	case duckdb.STATEMENT_TYPE_ATTACH, duckdb.STATEMENT_TYPE_DETACH, duckdb.STATEMENT_TYPE_LOAD,
		duckdb.STATEMENT_TYPE_EXTENSION:
		return "ad-hoc SQL sees only the store; other databases and extensions are off"
	}
	return "write a SELECT over the store's tables and views (SHOW TABLES lists them)"
}

func typeName(t duckdb.StmtType) string {
	switch t {
	case duckdb.STATEMENT_TYPE_INSERT:
		return "INSERT"
	case duckdb.STATEMENT_TYPE_UPDATE:
		return "UPDATE"
	case duckdb.STATEMENT_TYPE_DELETE:
		return "DELETE"
	case duckdb.STATEMENT_TYPE_PREPARE:
		return "PREPARE"
	case duckdb.STATEMENT_TYPE_CREATE, duckdb.STATEMENT_TYPE_CREATE_FUNC:
		return "CREATE"
	case duckdb.STATEMENT_TYPE_EXECUTE:
		return "EXECUTE"
	case duckdb.STATEMENT_TYPE_ALTER:
		return "ALTER"
	case duckdb.STATEMENT_TYPE_TRANSACTION:
		return "transaction"
	case duckdb.STATEMENT_TYPE_COPY:
		return "COPY"
	case duckdb.STATEMENT_TYPE_ANALYZE:
		return "ANALYZE"
	case duckdb.STATEMENT_TYPE_VARIABLE_SET, duckdb.STATEMENT_TYPE_SET:
		return "SET"
	case duckdb.STATEMENT_TYPE_DROP:
		return "DROP"
	case duckdb.STATEMENT_TYPE_EXPORT:
		return "EXPORT"
	case duckdb.STATEMENT_TYPE_PRAGMA:
		return "PRAGMA"
	case duckdb.STATEMENT_TYPE_VACUUM:
		return "VACUUM"
	case duckdb.STATEMENT_TYPE_CALL:
		return "CALL"
	case duckdb.STATEMENT_TYPE_LOAD:
		return "INSTALL/LOAD"
	case duckdb.STATEMENT_TYPE_EXTENSION:
		return "extension"
	case duckdb.STATEMENT_TYPE_ATTACH:
		return "ATTACH"
	case duckdb.STATEMENT_TYPE_DETACH:
		return "DETACH"
	case duckdb.STATEMENT_TYPE_SELECT:
		return "SELECT"
	case duckdb.STATEMENT_TYPE_EXPLAIN:
		return "EXPLAIN"
	}
	return fmt.Sprintf("non-read (type %d)", int(t))
}

// explained returns the statement an EXPLAIN [ANALYZE] explains, so that
// its own type can be checked (EXPLAIN ANALYZE runs it). It skips blanks
// and comments between the keywords; anything else before the statement
// (EXPLAIN's option list) returns false, and the caller refuses.
func explained(q string) (string, bool) {
	rest := skipBlank(q)
	word, rest := leadingWord(rest)
	if !strings.EqualFold(word, "EXPLAIN") {
		return "", false
	}
	rest = skipBlank(rest)
	if w, r := leadingWord(rest); strings.EqualFold(w, "ANALYZE") || strings.EqualFold(w, "ANALYSE") {
		rest = skipBlank(r)
	}
	if rest == "" || rest[0] == '(' {
		return "", false
	}
	return rest, true
}

func leadingWord(s string) (string, string) {
	i := 0
	for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || s[i] == '_') {
		i++
	}
	return s[:i], s[i:]
}

// skipBlank drops leading white space and SQL comments.
func skipBlank(s string) string {
	for {
		s = strings.TrimLeft(s, " \t\r\n\f\v")
		switch {
		case strings.HasPrefix(s, "--"):
			i := strings.IndexByte(s, '\n')
			if i < 0 {
				return ""
			}
			s = s[i+1:]
		case strings.HasPrefix(s, "/*"):
			i := strings.Index(s[2:], "*/")
			if i < 0 {
				return ""
			}
			s = s[2+i+2:]
		default:
			return s
		}
	}
}

// guardError classifies a failure while running a checked statement.
func guardError(parent, tctx context.Context, lim Limits, err error) error {
	if parent.Err() == nil && errors.Is(tctx.Err(), context.DeadlineExceeded) {
		return &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: stopped after %v", ErrTimeout, lim.Timeout),
			Hint: "narrow the query (WHERE, LIMIT, fewer joins); the guard interrupts statements over its time limit"}
	}
	if parent.Err() != nil {
		return &gongkai.Error{Op: "query", Err: parent.Err()}
	}
	var de *duckdb.Error
	if errors.As(err, &de) {
		switch de.Type {
		case duckdb.ErrorTypePermission:
			return &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: %v", gongkai.ErrRefused, firstLine(de.Msg)),
				Hint: "ad-hoc SQL may read only the store's tables and views"}
		case duckdb.ErrorTypeOutOfMemory:
			return &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: %v", ErrBadQuery, firstLine(de.Msg)),
				Hint: "the guard caps memory at " + lim.MemoryLimit + "; aggregate more or select fewer columns"}
		case duckdb.ErrorTypeInvalidInput:
			if strings.Contains(de.Msg, "configuration has been locked") {
				return &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: %v", gongkai.ErrRefused, firstLine(de.Msg)),
					Hint: "settings are fixed by the guard"}
			}
		}
		return &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: %v", ErrBadQuery, firstLine(de.Msg))}
	}
	return &gongkai.Error{Op: "query", Err: err}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
