package query

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"time"

	"gongkai"
	"gongkai/store"
)

// Worker processes are the program itself, started again with envWorker
// set. The hook is an init function of this package, so every binary that
// can run ad-hoc SQL — gongkai, and the test binaries of query, cli and
// serve — can also be a worker, with no TestMain or main to remember: the
// worker takes over before main (or the test runner) starts and exits when
// its parent closes the request pipe.
const (
	envWorker       = "GONGKAI_SQL_SANDBOX_WORKER"
	envAddressSpace = "GONGKAI_SQL_SANDBOX_AS"
	// envDB names the store a worker is bound to; envIsolate says it was
	// started in new namespaces and should isolate itself (isolate).
	envDB      = "GONGKAI_SQL_SANDBOX_DB"
	envIsolate = "GONGKAI_SQL_SANDBOX_ISOLATE"
	// envNamespaces, set to "off" in the parent's environment, starts
	// workers without namespaces: to test the fallback, or where a
	// security module objects to them.
	envNamespaces = "GONGKAI_SQL_SANDBOX_NAMESPACES"
)

// NeutralPath is the store's path as DuckDB sees it in an isolated
// worker.
const NeutralPath = "/store.duckdb"

// The worker's pipes: fd 3 carries requests, fd 4 answers. Stdout and
// stderr stay apart, so nothing DuckDB prints can break a frame.
const (
	fdRequests = 3
	fdAnswers  = 4
)

func init() {
	if os.Getenv(envWorker) != "1" {
		return
	}
	os.Exit(workerMain())
}

// workerMain isolates the worker (or prepares to scrub), applies the hard
// limits, says it is ready and answers requests until the parent closes
// the pipe.
func workerMain() int {
	in := os.NewFile(fdRequests, "requests")
	out := os.NewFile(fdAnswers, "answers")
	if in == nil || out == nil {
		fmt.Fprintln(os.Stderr, "gongkai: the SQL sandbox worker is started by gongkai itself")
		return 2
	}
	// Time zones are read from the host's files once, before the worker
	// may lose sight of them.
	time.Now().Zone()
	wk := &workerState{db: os.Getenv(envDB)}
	wk.attach, wk.scrub = wk.db, newScrubber(wk.db)
	if os.Getenv(envIsolate) == "1" {
		if p, err := isolate(wk.db); err == nil {
			wk.attach, wk.isolated = p, true
		} else {
			fmt.Fprintln(os.Stderr, "gongkai: SQL sandbox worker not isolated, scrubbing paths instead:", err)
		}
	}
	if !wk.isolated {
		// The working folder is the caller's; DuckDB shows paths relative
		// to it in some settings.
		os.Chdir("/")
	}
	as, _ := strconv.ParseInt(os.Getenv(envAddressSpace), 10, 64)
	if err := applyLimits(as); err != nil {
		writeFrame(out, &frame{Ready: true, Done: true, Err: toWire(err)})
		return 1
	}
	if as > 0 {
		// Collect the Go heap before it nears the address-space limit.
		debug.SetMemoryLimit(as / 4)
	}
	if err := writeFrame(out, &frame{Ready: true, Isolated: wk.isolated}); err != nil {
		return 1
	}
	for {
		var req request
		if err := readFrame(in, maxRequest, &req); err != nil {
			return 0 // the parent is gone or done with us
		}
		if err := wk.serve(out, &req); err != nil {
			return 1
		}
	}
}

// workerState is what a worker knows about its store.
type workerState struct {
	db       string // the store's host path
	attach   string // the path DuckDB attaches: NeutralPath when isolated
	isolated bool
	scrub    *scrubber
}

// maxRequest bounds one request frame (the SQL text and settings).
const maxRequest = 16 << 20

// serve runs one statement in a fresh Guard and writes its answer. An
// error writing to the pipe ends the worker.
func (wk *workerState) serve(out io.Writer, req *request) error {
	ctx, cancel := context.WithTimeout(context.Background(), req.Timeout)
	defer cancel()
	fail := func(err error) error {
		w := toWire(err)
		w.Msg = wk.scrub.String(w.Msg)
		w.Hint = wk.scrub.String(w.Hint)
		return writeFrame(out, &frame{Done: true, Err: w})
	}
	if req.DB != wk.db {
		return fail(sandboxError(errors.New("a worker bound to another store got a statement")))
	}
	g, err := store.OpenGuard(ctx, wk.attach, store.GuardConfig{MemoryLimit: req.MemoryLimit, Threads: req.Threads})
	if err != nil {
		return fail(err)
	}
	defer g.Close()
	// Without isolation DuckDB names the store's host path in metadata
	// (duckdb_databases(), settings): values are scrubbed like errors.
	values := toValues
	if !wk.isolated {
		values = func(rows [][]any) [][]value { return wk.scrub.rows(toValues(rows)) }
	}
	switch req.Mode {
	case modeRows:
		res, err := g.Query(ctx, req.SQL, req.MaxRows, req.MaxAnswer)
		if err != nil {
			return fail(err)
		}
		return writeFrame(out, &frame{Done: true, Columns: res.Columns, Types: res.Types, Truncated: res.Truncated,
			Rows: values(res.Rows)})
	case modeExport:
		err := g.Rows(ctx, req.SQL, exportBatch, exportBatchBytes, func(cols, types []string, rows [][]any) error {
			return writeFrame(out, &frame{Columns: cols, Types: types, Rows: values(rows)})
		})
		if err != nil {
			return fail(err)
		}
		return writeFrame(out, &frame{Done: true})
	case modeArrow:
		fw := &frameWriter{w: out}
		var w io.Writer = fw
		var seen *pathSeen
		if !wk.isolated {
			// Arrow bytes are not rewritten: an answer that shows the
			// store's path is refused (the parent drops the frames sent).
			seen = wk.scrub.watch(fw)
			w = seen
		}
		truncated, err := g.Arrow(ctx, req.SQL, int64(req.MaxRows), req.MaxAnswer, w)
		if err != nil {
			return fail(err)
		}
		if seen != nil && seen.found {
			return fail(&gongkai.Error{Op: "query", Err: fmt.Errorf("%w: the answer shows the store's host path", gongkai.ErrRefused),
				Hint: "ask for it as JSON or CSV, where the path is replaced by " + NeutralPath})
		}
		if err := fw.flush(); err != nil {
			return err
		}
		return writeFrame(out, &frame{Done: true, Truncated: truncated})
	}
	return fail(errors.New("unknown request mode"))
}

// An export streams its rows in frames of at most exportBatch rows or
// about exportBatchBytes.
const (
	exportBatch      = 4096
	exportBatchBytes = 4 << 20
)

func toValues(rows [][]any) [][]value {
	out := make([][]value, len(rows))
	for i, row := range rows {
		out[i] = make([]value, len(row))
		for j, v := range row {
			out[i][j] = toValue(v)
		}
	}
	return out
}
