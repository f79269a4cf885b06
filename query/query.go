// Package query owns analysts' ad-hoc SQL: `gongkai query`,
// `gongkai export --query` and serve's POST /v1/query all run it through a
// Sandbox, and nothing else runs ad-hoc SQL.
//
// # The sandbox
//
// A statement never runs in the process that asked for it. A Sandbox keeps
// a small pool of worker processes — the same program started again in a
// hidden mode (see worker.go) — and sends each statement to one of them
// over a pipe. The layers, from the outside in:
//
//  1. Hard limits the statement cannot argue with, set on the worker
//     process by the kernel: an address-space limit (RLIMIT_AS), so a
//     memory bomb (repeat, range into a list, string_agg) fails inside the
//     worker and never grows the caller; a file-size limit of 0
//     (RLIMIT_FSIZE), so no regular file can be written; no core files.
//     The parent kills a worker still busy at its deadline (plus a short
//     grace) and starts a replacement, so a CPU bomb DuckDB cannot
//     interrupt (one levenshtein over long strings) cannot outlive its
//     time limit or hold a slot. Answers are capped in bytes, and the
//     parent checks a frame's length before it allocates. Where the
//     system allows it, a worker runs in a mount namespace of its own (and
//     a user namespace unless gongkai runs as root) whose root is a tiny
//     read-only tmpfs holding only the store, bind-mounted read-only at
//     /store.duckdb: DuckDB, which resolves any path it is given, then
//     names no host path anywhere, and the kernel hides every other file.
//     Elsewhere the worker scrubs the store's path from answers (see
//     isolate_linux.go and scrub.go). A worker is bound to one store file.
//  2. Inside the worker, DuckDB runs in a fresh in-memory instance per
//     statement that attaches the store read-only through a file
//     descriptor, with external access off, the local file system disabled
//     and the configuration locked (store.Guard).
//  3. What a statement is comes from DuckDB's parser alone: DuckDB
//     extracts the statements (exactly one), prepares it and reports its
//     type; only SELECT and EXPLAIN run, and the very statement checked is
//     run. gongkai never reads the SQL text to decide.
//  4. A row cap (Result.Truncated) and a time limit, which the worker
//     applies first through DuckDB's interrupt (the worker survives) and
//     the parent enforces by killing it.
//
// `export --query` runs its statement in the same sandbox; the worker
// streams the rows out as Arrow and gongkai writes the file in the parent,
// from those rows only.
package query

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"gongkai"
	"gongkai/render"
	"gongkai/store"
)

// Defaults of Limits. A caller may lower the time limit and the row cap,
// never raise them past a Sandbox's own.
const (
	DefaultTimeout     = 5 * time.Second
	DefaultMaxRows     = 10_000
	DefaultMemoryLimit = "512MB"
	DefaultThreads     = 2
	// ExportTimeout bounds `export --query`, which has no row cap.
	ExportTimeout = 2 * time.Minute
	// DefaultMaxAnswer bounds the bytes of one answer (rows or Arrow).
	DefaultMaxAnswer = 64 << 20
)

// Errors of ad-hoc SQL, besides gongkai.ErrRefused (a statement the
// sandbox does not run), gongkai.ErrDatabaseBusy and gongkai.ErrUsage.
var (
	// ErrBadQuery: SQL DuckDB could not parse or bind (a syntax error, an
	// unknown table or column), or no statement at all.
	ErrBadQuery = store.ErrBadQuery
	// ErrTimeout: the statement passed its time limit (HTTP 422).
	ErrTimeout = store.ErrTimeout
	// ErrTooLarge: the statement or its answer passed the sandbox's memory
	// or answer-size limit (HTTP 413).
	ErrTooLarge = store.ErrOutOfMemory
)

// Limits bound one statement. Zero fields take the defaults.
type Limits struct {
	Timeout     time.Duration // wall time from Since to the answer, a worker's start included
	MaxRows     int           // rows kept; more set Truncated
	MemoryLimit string        // DuckDB memory_limit in a worker, such as "512MB"
	Threads     int           // DuckDB threads in a worker
	// Since is when the time limit starts counting (zero: the call). The
	// CLI sets it at the command's start, so its own checks count too.
	Since time.Time
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

// LowerMemory returns l with DuckDB's memory limit m (a size such as
// "128MB") when m is a valid size below l's; it never raises it.
func (l Limits) LowerMemory(m string) Limits {
	l = l.WithDefaults()
	if n := parseSize(m); strings.TrimSpace(m) != "" && store.ValidSize(m) && n > 0 && n < parseSize(l.MemoryLimit) {
		l.MemoryLimit = strings.TrimSpace(m)
	}
	return l
}

// Query runs one ad-hoc statement on the store file db and returns at
// most lim.MaxRows rows (lim can only lower the sandbox's limits). Values
// are the plain Go types store.Store.Query documents. A statement the
// sandbox does not run wraps gongkai.ErrRefused with a hint; SQL DuckDB
// cannot parse or bind wraps ErrBadQuery; the time limit ErrTimeout; the
// memory or answer limit ErrTooLarge. Errors carry no host path.
func (s *Sandbox) Query(ctx context.Context, db, sql string, lim Limits) (*gongkai.Result, error) {
	c, err := s.call(ctx, db, sql, s.lower(lim), modeRows)
	if err != nil {
		return nil, err
	}
	f, err := c.next()
	c.finish(err == nil && f.Done)
	if err != nil {
		return nil, err
	}
	if f.Err != nil {
		return nil, f.Err.err()
	}
	res := &gongkai.Result{Columns: f.Columns, Types: f.Types, Truncated: f.Truncated, Rows: make([][]any, len(f.Rows))}
	for i, row := range f.Rows {
		res.Rows[i] = make([]any, len(row))
		for j, v := range row {
			res.Rows[i][j] = v.plain()
		}
	}
	if res.Columns == nil {
		res.Columns = []string{}
	}
	return res, nil
}

// Arrow runs one statement like Query and writes its rows to w as an
// Arrow IPC stream. Nothing is written unless the statement succeeds, so
// an error can still be answered cleanly; truncated says whether the row
// cap cut the answer.
func (s *Sandbox) Arrow(ctx context.Context, db, sql string, lim Limits, w io.Writer) (truncated bool, err error) {
	c, err := s.call(ctx, db, sql, s.lower(lim), modeArrow)
	if err != nil {
		return false, err
	}
	var data [][]byte
	for {
		f, err := c.next()
		if err != nil {
			c.finish(false)
			return false, err
		}
		if !f.Done {
			data = append(data, f.Data)
			continue
		}
		c.finish(true)
		if f.Err != nil {
			return false, f.Err.err()
		}
		for _, b := range data {
			if _, err := w.Write(b); err != nil {
				return false, err
			}
		}
		return f.Truncated, nil
	}
}

// Export runs one statement in the sandbox without a row cap (time limit
// ExportTimeout, or when.Timeout when lower and positive, counted from
// when.Since when set) and writes its rows to the file out in format f,
// atomically (see store.ExportRows). The file is written by this process
// from the rows the worker sent, never by DuckDB inside the sandbox. It
// returns the number of rows written. Only when's Timeout and Since count.
func (s *Sandbox) Export(ctx context.Context, db, sql string, when Limits, f render.Format, out string) (int64, error) {
	lim := s.cfg.Limits
	lim.Timeout, lim.Since = ExportTimeout, when.Since
	if when.Timeout > 0 && when.Timeout < ExportTimeout {
		lim.Timeout = when.Timeout
	}
	c, err := s.call(ctx, db, sql, lim, modeExport)
	if err != nil {
		return 0, err
	}
	// The worker's first frame is its error or the first rows with the
	// columns; nothing is written before it.
	first, err := c.next()
	if err != nil {
		c.finish(false)
		return 0, err
	}
	if first.Err != nil {
		c.finish(true)
		return 0, first.Err.err()
	}
	pending, done := first, false
	var streamErr error
	batches := func() ([][]any, error) {
		for !done {
			f := pending
			if f == nil {
				var err error
				if f, err = c.next(); err != nil {
					streamErr = err
					return nil, err
				}
			}
			pending = nil
			if f.Done {
				done = true
				if f.Err != nil {
					streamErr = f.Err.err()
					return nil, streamErr
				}
				break
			}
			rows := make([][]any, len(f.Rows))
			for i, row := range f.Rows {
				rows[i] = make([]any, len(row))
				for j, v := range row {
					rows[i][j] = v.plain()
				}
			}
			return rows, nil
		}
		return nil, io.EOF
	}
	n, err := store.ExportRows(ctx, first.Columns, first.Types, batches, f, out)
	c.finish(done && streamErr == nil)
	if streamErr != nil {
		return 0, streamErr
	}
	if err != nil {
		return 0, err
	}
	return n, nil
}

// ExportTo is Export writing to w (standard output), through a private
// temporary file.
func (s *Sandbox) ExportTo(ctx context.Context, db, sql string, when Limits, f render.Format, w io.Writer) (int64, error) {
	return store.ViaTempFile("", f, w, func(tmp string) (int64, error) {
		return s.Export(ctx, db, sql, when, f, tmp)
	})
}

func (s *Sandbox) lower(lim Limits) Limits {
	l := s.cfg.Limits.Lower(lim.Timeout, lim.MaxRows)
	l.Since = lim.Since
	return l
}

// Run is Query on a sandbox of one worker, closed afterwards: the CLI's
// way to run a single statement. lim may lower the default limits
// (memory included), never raise them.
func Run(ctx context.Context, db, sql string, lim Limits) (*gongkai.Result, error) {
	s := New(Config{Workers: 1, Limits: Limits{}.LowerMemory(lim.MemoryLimit)})
	defer s.Close()
	return s.Query(ctx, db, sql, lim)
}

// addressSpace is a worker's RLIMIT_AS for a DuckDB memory limit: the
// buffer pool, what DuckDB does not count against it (strings and lists
// being built), the Go runtime and the threads' stacks. Measured base: a
// worker with DuckDB started and two threads maps about 1.4 GB of address
// space (1.1 GB of it reserved, not used: the Go runtime's and the
// allocator's) while its resident set is under 50 MB.
func addressSpace(memoryLimit string) int64 {
	return base + 2*parseSize(memoryLimit)
}

const base = 1536 << 20

// parseSize reads a DuckDB size (512MB, 1GiB, 2GB); unknown units count as
// bytes, and an unreadable size as the default.
// ParseSize reads a size as DuckDB writes them ("512MB", "1GiB", "2.5GB",
// a bare number of bytes) in bytes; 0 when s is no such size.
func ParseSize(s string) int64 {
	num := strings.TrimRight(strings.TrimSpace(s), "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ ")
	unit := strings.ToLower(strings.TrimSpace(strings.TrimSpace(s)[len(num):]))
	n, err := strconv.ParseFloat(num, 64)
	if err != nil || n < 0 || strings.ContainsAny(num, "eE+-") {
		return 0
	}
	mult, ok := sizeUnits[unit]
	if !ok {
		return 0
	}
	return int64(n * mult)
}

// sizeUnits are DuckDB's size units, in bytes.
var sizeUnits = map[string]float64{
	"": 1, "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
}

func parseSize(s string) int64 {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	n, err := strconv.ParseFloat(s[:i], 64)
	if err != nil {
		return parseSize(DefaultMemoryLimit)
	}
	mult := sizeUnits[strings.ToLower(strings.TrimSpace(s[i:]))]
	if mult == 0 {
		mult = 1
	}
	return int64(n * mult)
}

// timeoutError is the answer to a statement past its limit.
func timeoutError(lim time.Duration) error {
	return &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: stopped after %v", ErrTimeout, lim),
		Hint: "narrow the query (WHERE, LIMIT, fewer joins); the sandbox stops statements at their time limit"}
}
