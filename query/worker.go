package query

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"

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
)

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

// workerMain applies the hard limits, says it is ready and answers
// requests until the parent closes the pipe.
func workerMain() int {
	in := os.NewFile(fdRequests, "requests")
	out := os.NewFile(fdAnswers, "answers")
	if in == nil || out == nil {
		fmt.Fprintln(os.Stderr, "gongkai: the SQL sandbox worker is started by gongkai itself")
		return 2
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
	if err := writeFrame(out, &frame{Ready: true}); err != nil {
		return 1
	}
	for {
		var req request
		if err := readFrame(in, maxRequest, &req); err != nil {
			return 0 // the parent is gone or done with us
		}
		if err := serveRequest(out, &req); err != nil {
			return 1
		}
	}
}

// maxRequest bounds one request frame (the SQL text and settings).
const maxRequest = 16 << 20

// serveRequest runs one statement in a fresh Guard and writes its answer.
// An error writing to the pipe ends the worker.
func serveRequest(out io.Writer, req *request) error {
	ctx, cancel := context.WithTimeout(context.Background(), req.Timeout)
	defer cancel()
	fail := func(err error) error {
		w := toWire(err)
		w.Msg = scrubPaths(w.Msg, req.DB)
		w.Hint = scrubPaths(w.Hint, req.DB)
		return writeFrame(out, &frame{Done: true, Err: w})
	}
	g, err := store.OpenGuard(ctx, req.DB, store.GuardConfig{MemoryLimit: req.MemoryLimit, Threads: req.Threads})
	if err != nil {
		return fail(err)
	}
	defer g.Close()
	switch req.Mode {
	case modeRows:
		res, err := g.Query(ctx, req.SQL, req.MaxRows, req.MaxAnswer)
		if err != nil {
			return fail(err)
		}
		return writeFrame(out, &frame{Done: true, Columns: res.Columns, Types: res.Types, Truncated: res.Truncated,
			Rows: toValues(res.Rows)})
	case modeExport:
		err := g.Rows(ctx, req.SQL, exportBatch, exportBatchBytes, func(cols, types []string, rows [][]any) error {
			return writeFrame(out, &frame{Columns: cols, Types: types, Rows: toValues(rows)})
		})
		if err != nil {
			return fail(err)
		}
		return writeFrame(out, &frame{Done: true})
	case modeArrow:
		fw := &frameWriter{w: out}
		truncated, err := g.Arrow(ctx, req.SQL, int64(req.MaxRows), req.MaxAnswer, fw)
		if err != nil {
			return fail(err)
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

// scrubPaths removes the store's path and folder from a message: answers
// and errors carry no host paths.
func scrubPaths(s, db string) string {
	if db == "" || s == "" {
		return s
	}
	s = strings.ReplaceAll(s, db, filepath.Base(db))
	if dir := filepath.Dir(db); len(dir) > 1 {
		s = strings.ReplaceAll(s, dir+string(filepath.Separator), "")
		s = strings.ReplaceAll(s, dir, ".")
	}
	return s
}
