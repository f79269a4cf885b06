package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/duckdb/duckdb-go/v2"

	"gongkai"
)

// A Guard is the DuckDB side of the SQL sandbox: the engine that runs one
// analyst's ad-hoc statement. Package query owns the sandbox as a whole
// (worker processes with hard memory, file-size and time limits, the row
// cap, the protocol); it opens a Guard inside a worker process for each
// statement. A Guard is never opened in a process that may write the
// store.
//
// Inside DuckDB the defences are:
//
//  1. A fresh in-memory DuckDB instance per statement that ATTACHes the
//     store READ_ONLY (through /proc/self/fd where there is one: DuckDB
//     resolves that to the file's path, so hiding the host path is the
//     worker's job, see package query), then turns external access off,
//     disables the local file system altogether (no path of the store, its
//     WAL or anything else can be read or written as a file from SQL, even
//     those DuckDB keeps in allowed_paths) and locks the configuration (no
//     SET, RESET or PRAGMA changes). Extensions are neither installed nor
//     loaded, spilling to disk is off, memory and threads are capped.
//  2. What the statement is comes from DuckDB's parser alone: Check has
//     DuckDB extract the statements (exactly one is allowed) and prepare
//     it, and reads the prepared statement's type. Only SELECT (which
//     covers WITH, VALUES, FROM-first, DESCRIBE, SHOW, SUMMARIZE and the
//     query-like PRAGMAs DuckDB rewrites into SELECTs) and EXPLAIN run;
//     anything DuckDB cannot prepare or classify is refused. gongkai does
//     not read the SQL text itself. DuckDB does not expose the type of the
//     statement an EXPLAIN ANALYZE runs; the prepared EXPLAIN carries that
//     statement's properties, so DuckDB itself refuses one that would write
//     the read-only store, and the locked, file-less instance refuses the
//     rest (the hostile-SQL suite in package query tries every class).
//  3. Query runs the very statement it checked (no second parse) under the
//     caller's context, which interrupts DuckDB at the deadline.
type Guard struct {
	db   *sql.DB
	conn *sql.Conn
	file *os.File
}

// GuardConfig sizes a Guard's DuckDB instance.
type GuardConfig struct {
	MemoryLimit string // DuckDB memory_limit, such as "512MB"
	Threads     int    // DuckDB worker threads
}

// ErrBadQuery marks ad-hoc SQL that DuckDB could not parse or bind (a
// syntax error, an unknown table or column). It is the user's to fix, like
// gongkai.ErrRefused, but the statement was not dangerous.
var ErrBadQuery = errors.New("invalid query")

// ErrTimeout marks a statement interrupted at its deadline.
var ErrTimeout = errors.New("time limit exceeded")

// ErrOutOfMemory marks a statement that needed more memory than the
// sandbox allows.
var ErrOutOfMemory = errors.New("memory limit exceeded")

// OpenGuard opens the store file at path read-only in a fresh, locked
// in-memory DuckDB instance (see Guard).
func OpenGuard(ctx context.Context, path string, cfg GuardConfig) (g *Guard, err error) {
	if !ValidSize(cfg.MemoryLimit) {
		return nil, &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: memory limit %q is not a size", gongkai.ErrUsage, cfg.MemoryLimit),
			Hint: "give a DuckDB size such as 512MB or 2GB"}
	}
	if cfg.Threads < 1 {
		cfg.Threads = 1
	}
	// The file is opened here, read-only, and DuckDB reads it through
	// /proc/self/fd (it still resolves and shows the file's path). A store
	// with a write-ahead log left by a crashed writer is attached by its
	// path instead, so that DuckDB replays the log (in memory).
	attach := path
	if _, err := os.Stat(path + ".wal"); err != nil {
		f, err := os.Open(path)
		if err != nil {
			return nil, &gongkai.Error{Op: "query", Err: fmt.Errorf("opening the store: %w", errors.Unwrap(err)),
				Hint: "check --db: the store is created by 'gongkai ingest'"}
		}
		if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() {
			f.Close()
			return nil, &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: the store is not a regular file", gongkai.ErrUsage)}
		}
		g = &Guard{file: f}
		attach = "/proc/self/fd/" + strconv.Itoa(int(f.Fd()))
		if _, err := os.Stat(attach); err != nil {
			attach = path // no /proc: the path itself
		}
	} else {
		g = &Guard{}
	}
	defer func() {
		if err != nil {
			g.Close()
		}
	}()
	v := url.Values{}
	v.Set("autoinstall_known_extensions", "false")
	v.Set("autoload_known_extensions", "false")
	v.Set("allow_community_extensions", "false")
	v.Set("allow_persistent_secrets", "false")
	v.Set("memory_limit", cfg.MemoryLimit)
	v.Set("threads", strconv.Itoa(cfg.Threads))
	v.Set("temp_directory", "")
	c, err := duckdb.NewConnector("?"+v.Encode(), nil)
	if err != nil {
		return g, &gongkai.Error{Op: "query", Err: fmt.Errorf("starting the SQL sandbox: %w", err),
			Hint: "check --memory-limit (a DuckDB size such as 512MB)"}
	}
	g.db = sql.OpenDB(c)
	g.conn, err = g.db.Conn(ctx)
	if err != nil {
		return g, guardOpenError(ctx, err)
	}
	setup := []string{
		"ATTACH " + quoteLiteral(attach) + " AS store (READ_ONLY)",
		"USE store",
		"SET enable_external_access = false",
		// After the ATTACH: DuckDB keeps the attached file's paths in
		// allowed_paths, so external access alone would still let COPY …
		// TO reach the store file. With the local file system off, no path
		// can be opened from SQL; the attached file stays open.
		"SET disabled_filesystems = 'LocalFileSystem'",
		"SET lock_configuration = true",
	}
	for _, stmt := range setup {
		if _, err := g.conn.ExecContext(ctx, stmt); err != nil {
			return g, guardOpenError(ctx, err)
		}
	}
	return g, nil
}

// lockHeldByPID is DuckDB's file-lock error where it cannot name the
// holder's program: in an isolated sandbox worker, which sees no /proc.
var lockHeldByPID = regexp.MustCompile(`Conflicting lock is held in PID (\d+)`)

// guardOpenError classifies a failure to set the instance up: a store
// held by a writer, or a file that is no DuckDB database. The messages
// carry no path.
func guardOpenError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return runError(ctx, err)
	}
	if m := lockHeld.FindStringSubmatch(err.Error()); m != nil {
		return &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: held by %s (PID %s)", gongkai.ErrDatabaseBusy, m[1], m[2]),
			Hint: fmt.Sprintf("wait for process %s to finish", m[2])}
	}
	if m := lockHeldByPID.FindStringSubmatch(err.Error()); m != nil {
		return &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: held by process %s", gongkai.ErrDatabaseBusy, m[1]),
			Hint: fmt.Sprintf("wait for process %s to finish", m[1])}
	}
	var de *duckdb.Error
	if errors.As(err, &de) && (de.Type == duckdb.ErrorTypeIO || de.Type == duckdb.ErrorTypeSerialization) {
		return &gongkai.Error{Op: "query", Err: errors.New("the store could not be opened (is it a gongkai database?)"),
			Hint: "check --db: the store is created by 'gongkai ingest'"}
	}
	return &gongkai.Error{Op: "query", Err: fmt.Errorf("starting the SQL sandbox: %v", firstLine(err.Error()))}
}

// Close releases the instance and the store file.
func (g *Guard) Close() error {
	var errs []error
	if g.conn != nil {
		errs = append(errs, g.conn.Close())
	}
	if g.db != nil {
		errs = append(errs, g.db.Close())
	}
	if g.file != nil {
		errs = append(errs, g.file.Close())
	}
	return errors.Join(errs...)
}

// ValidSize reports whether s is a DuckDB size (512MB, 1.5GiB); it goes
// into the DSN, so nothing else may.
func ValidSize(s string) bool {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	if i == 0 || strings.Count(s[:i], ".") > 1 {
		return false
	}
	unit := strings.TrimSpace(s[i:])
	if len(unit) > 3 {
		return false
	}
	for _, r := range unit {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// quoteLiteral quotes a trusted string (a path of ours) as an SQL literal.
// ATTACH and COPY take no bind parameters.
func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// Query checks q and runs it, keeping at most maxRows rows (Truncated set
// when more were available) and stopping when the plain values kept pass
// maxBytes (an error wrapping ErrOutOfMemory). Values are the plain Go
// types Store.Query documents.
func (g *Guard) Query(ctx context.Context, q string, maxRows int, maxBytes int64) (*gongkai.Result, error) {
	res := &gongkai.Result{Rows: [][]any{}}
	var size int64
	err := g.each(ctx, q, func(cols, types []string) {
		res.Columns, res.Types = cols, types
	}, func(row []any, n int64) error {
		if maxRows > 0 && len(res.Rows) == maxRows {
			res.Truncated = true
			return errStop
		}
		if size += n; maxBytes > 0 && size > maxBytes {
			return &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: the answer passed %d MB", ErrOutOfMemory, maxBytes>>20),
				Hint: "select fewer or shorter values, or lower max_rows"}
		}
		res.Rows = append(res.Rows, row)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// errStop ends each early without an error.
var errStop = errors.New("stop")

// each checks q, runs the very statement it prepared (below database/sql,
// so there is no second parse), passes the column names and DuckDB type
// names to start, then each row as plain values, with its estimated size,
// to row; row returns errStop to end early.
func (g *Guard) each(ctx context.Context, q string, start func(cols, types []string), row func(vals []any, size int64) error) error {
	return g.conn.Raw(func(dc any) error {
		st, err := g.check(dc, q)
		if err != nil {
			return err
		}
		defer st.Close()
		rows, err := st.QueryContext(ctx, nil)
		if err != nil {
			return runError(ctx, err)
		}
		defer rows.Close()
		cols, types := columnsOf(rows)
		start(cols, types)
		for {
			vals := make([]driver.Value, len(cols))
			err := rows.Next(vals)
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return runError(ctx, err)
			}
			out := make([]any, len(cols))
			var size int64
			for i, v := range vals {
				out[i] = plainValue(v, types[i])
				size += sizeOf(out[i])
			}
			if err := row(out, size); err == errStop {
				return nil
			} else if err != nil {
				return err
			}
		}
	})
}

// Check has DuckDB classify q without running it: nil when the sandbox
// would run it.
func (g *Guard) Check(q string) error {
	return g.conn.Raw(func(dc any) error {
		st, err := g.check(dc, q)
		if err != nil {
			return err
		}
		return st.Close()
	})
}

// check prepares q and returns the prepared statement when DuckDB says it
// is one SELECT or EXPLAIN. The driver's Prepare (without context) has
// DuckDB extract the statements and refuses a string holding several
// before preparing any of them.
func (g *Guard) check(dc any, q string) (*duckdb.Stmt, error) {
	c, ok := dc.(*duckdb.Conn)
	if !ok {
		return nil, fmt.Errorf("sandbox: unexpected driver connection %T", dc)
	}
	ps, err := c.Prepare(q)
	if err != nil {
		return nil, prepareError(err)
	}
	st, ok := ps.(*duckdb.Stmt)
	if !ok {
		ps.Close()
		return nil, fmt.Errorf("sandbox: unexpected statement %T", ps)
	}
	t, err := st.StatementType()
	if err != nil {
		st.Close()
		return nil, refused("a statement DuckDB could not classify", "write one SELECT over the store's tables and views")
	}
	switch t {
	case duckdb.STATEMENT_TYPE_SELECT, duckdb.STATEMENT_TYPE_EXPLAIN:
		return st, nil
	}
	st.Close()
	return nil, refused("a "+typeName(t)+" statement", hintFor(t))
}

// sizeOf estimates the bytes a plain value takes in an answer.
func sizeOf(v any) int64 {
	switch x := v.(type) {
	case string:
		return int64(len(x)) + 16
	case []byte:
		return int64(len(x)) + 24
	case []any:
		n := int64(24)
		for _, e := range x {
			n += sizeOf(e)
		}
		return n
	case map[string]any:
		n := int64(48)
		for k, e := range x {
			n += int64(len(k)) + 16 + sizeOf(e)
		}
		return n
	}
	return 16
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
		case duckdb.ErrorTypeOutOfMemory:
			return outOfMemory(de.Msg)
		case duckdb.ErrorTypeInvalidInput:
			if strings.Contains(de.Msg, "configuration has been locked") {
				return refused("a settings change", "settings are fixed by the sandbox; SELECT current_setting('name') reads one")
			}
		}
		return &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: %v", ErrBadQuery, firstLine(de.Msg))}
	}
	if strings.Contains(err.Error(), "multi-statement") {
		return refused("several statements", "send one statement (a trailing ; is fine)")
	}
	if strings.Contains(err.Error(), "empty query") {
		return &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: empty SQL: no statement, only blanks or comments", gongkai.ErrUsage),
			Hint: `pass one SELECT statement, for example: SELECT organization, report_year FROM reports LIMIT 10`}
	}
	return refused("a statement DuckDB could not prepare: "+firstLine(err.Error()), "write one SELECT over the store's tables and views")
}

func outOfMemory(msg string) error {
	return &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: %v", ErrOutOfMemory, firstLine(msg)),
		Hint: "aggregate more, select fewer or shorter values, or add a LIMIT"}
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
		return "settings are fixed by the sandbox; use SELECT current_setting('name') to read one"
	case duckdb.STATEMENT_TYPE_ATTACH, duckdb.STATEMENT_TYPE_DETACH, duckdb.STATEMENT_TYPE_LOAD,
		duckdb.STATEMENT_TYPE_EXTENSION:
		return "ad-hoc SQL sees only the store; other databases and extensions are off"
	}
	return "write a SELECT over the store's tables and views (SHOW TABLES lists them)"
}

var typeNames = map[duckdb.StmtType]string{
	duckdb.STATEMENT_TYPE_INSERT: "INSERT", duckdb.STATEMENT_TYPE_UPDATE: "UPDATE",
	duckdb.STATEMENT_TYPE_DELETE: "DELETE", duckdb.STATEMENT_TYPE_PREPARE: "PREPARE",
	duckdb.STATEMENT_TYPE_CREATE: "CREATE", duckdb.STATEMENT_TYPE_CREATE_FUNC: "CREATE",
	duckdb.STATEMENT_TYPE_EXECUTE: "EXECUTE", duckdb.STATEMENT_TYPE_ALTER: "ALTER",
	duckdb.STATEMENT_TYPE_TRANSACTION: "transaction", duckdb.STATEMENT_TYPE_COPY: "COPY",
	duckdb.STATEMENT_TYPE_ANALYZE: "ANALYZE", duckdb.STATEMENT_TYPE_VARIABLE_SET: "SET",
	duckdb.STATEMENT_TYPE_SET: "SET", duckdb.STATEMENT_TYPE_DROP: "DROP",
	duckdb.STATEMENT_TYPE_EXPORT: "EXPORT", duckdb.STATEMENT_TYPE_PRAGMA: "PRAGMA",
	duckdb.STATEMENT_TYPE_VACUUM: "VACUUM", duckdb.STATEMENT_TYPE_CALL: "CALL",
	duckdb.STATEMENT_TYPE_LOAD: "INSTALL/LOAD", duckdb.STATEMENT_TYPE_EXTENSION: "extension",
	duckdb.STATEMENT_TYPE_ATTACH: "ATTACH", duckdb.STATEMENT_TYPE_DETACH: "DETACH",
	duckdb.STATEMENT_TYPE_LOGICAL_PLAN: "logical plan", duckdb.STATEMENT_TYPE_RELATION: "relation",
	duckdb.STATEMENT_TYPE_MULTI: "multi-statement",
}

func typeName(t duckdb.StmtType) string {
	if n, ok := typeNames[t]; ok {
		return n
	}
	return fmt.Sprintf("non-read (type %d)", int(t))
}

// runError classifies a failure while running a checked statement.
func runError(ctx context.Context, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &gongkai.Error{Op: "query", Err: ErrTimeout,
			Hint: "narrow the query (WHERE, LIMIT, fewer joins)"}
	}
	if ctx.Err() != nil {
		return &gongkai.Error{Op: "query", Err: ctx.Err()}
	}
	var de *duckdb.Error
	if errors.As(err, &de) {
		switch de.Type {
		case duckdb.ErrorTypePermission:
			return &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: %v", gongkai.ErrRefused, firstLine(de.Msg)),
				Hint: "ad-hoc SQL may read only the store's tables and views"}
		case duckdb.ErrorTypeOutOfMemory:
			return outOfMemory(de.Msg)
		case duckdb.ErrorTypeInterrupt:
			return &gongkai.Error{Op: "query", Err: ErrTimeout, Hint: "narrow the query (WHERE, LIMIT, fewer joins)"}
		case duckdb.ErrorTypeInvalidInput:
			if strings.Contains(de.Msg, "configuration has been locked") || strings.Contains(de.Msg, "read-only mode") {
				return &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: %v", gongkai.ErrRefused, firstLine(de.Msg)),
					Hint: "ad-hoc SQL only reads; settings are fixed by the sandbox"}
			}
		}
		return &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: %v", ErrBadQuery, firstLine(de.Msg))}
	}
	var ge *gongkai.Error
	if errors.As(err, &ge) {
		return err
	}
	if strings.Contains(err.Error(), "bad_alloc") || strings.Contains(err.Error(), "out of memory") {
		return outOfMemory(err.Error())
	}
	return &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: %v", ErrBadQuery, firstLine(err.Error()))}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// Arrow checks q like Query and writes its rows to w as an Arrow IPC
// stream: at most maxRows rows (0 = all; truncated says whether rows were
// left over) and, when maxBytes > 0, at most about maxBytes bytes (an
// error wrapping ErrOutOfMemory past that). The schema goes out before the
// first row, so a caller that must answer with a clean error buffers w.
//
// Arrow is built from the driver's rows (writeRowsIPC), so the checked
// text is run once more, on the same locked connection; DuckDB's parse of
// the same text is the same statement.
func (g *Guard) Arrow(ctx context.Context, q string, maxRows, maxBytes int64, w io.Writer) (truncated bool, err error) {
	if err := g.Check(q); err != nil {
		return false, err
	}
	cw := &cappedWriter{w: w, max: maxBytes}
	_, truncated, err = writeRowsIPC(ctx, g.conn, q, nil, cw, false, maxRows)
	if cw.over {
		return false, &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: the answer passed %d MB", ErrOutOfMemory, maxBytes>>20),
			Hint: "select fewer or shorter values, or lower max_rows"}
	}
	if err != nil {
		return false, runError(ctx, err)
	}
	return truncated, nil
}

// Rows checks q like Query and hands its rows to emit in batches of at most
// batch rows or about batchBytes bytes, without a row cap: the export path.
// Every call carries the column names and DuckDB type names; there is at
// least one call.
func (g *Guard) Rows(ctx context.Context, q string, batch int, batchBytes int64, emit func(cols, types []string, rows [][]any) error) error {
	var cols, types []string
	var buf [][]any
	var size int64
	calls := 0
	flush := func() error {
		calls++
		err := emit(cols, types, buf)
		buf, size = nil, 0
		return err
	}
	err := g.each(ctx, q, func(c, t []string) { cols, types = c, t }, func(row []any, n int64) error {
		buf = append(buf, row)
		if size += n; len(buf) == batch || size >= batchBytes {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(buf) > 0 || calls == 0 {
		return flush()
	}
	return nil
}

// plainValue is plain, with a UUID's 16 bytes as its string.
func plainValue(v driver.Value, typ string) any {
	if b, ok := v.([]byte); ok && len(b) == 16 && typ == "UUID" {
		var u duckdb.UUID
		copy(u[:], b)
		return u.String()
	}
	return plain(v)
}

// cappedWriter fails once more than max bytes (max > 0) were written.
type cappedWriter struct {
	w    io.Writer
	max  int64
	n    int64
	over bool
}

func (c *cappedWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	if c.max > 0 && c.n > c.max {
		c.over = true
		return 0, errors.New("answer too large")
	}
	return c.w.Write(p)
}
