package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"gongkai/query"
	"gongkai/render"
	"gongkai/store"
)

var queryCmd = &command{
	name:    "query",
	run:     runQuery,
	summary: "help.query.summary",
	usage:   "help.query",
}

func runQuery(ctx context.Context, cmd *command, env *Env, args []string) error {
	fs := newFlags(cmd, env)
	format := fs.String("format", "table", "output: "+render.NamesOr(render.Results))
	maxRows := fs.Int("max-rows", query.DefaultMaxRows, "keep at most this many rows (at most the default)")
	timeout := fs.Duration("timeout", query.DefaultTimeout, "stop the statement after this long (at most the default)")
	db := dbFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	f, err := render.ParseFormat(*format, render.Results)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError("want one SQL statement in quotes, got %d arguments", fs.NArg())
	}
	text := fs.Arg(0)
	if text == "-" {
		b, err := io.ReadAll(env.Stdin)
		if err != nil {
			return fmt.Errorf("query: reading SQL from stdin: %w", err)
		}
		text = string(b)
	}
	if *maxRows <= 0 || *maxRows > query.DefaultMaxRows {
		return usageError("--max-rows must be between 1 and %d", query.DefaultMaxRows)
	}
	if *timeout <= 0 || *timeout > query.DefaultTimeout {
		return usageError("--timeout must be positive and at most %v", query.DefaultTimeout)
	}
	// Open and close the store here first: a missing file, a store of
	// another version or one held by an ingest gets the store's own clear
	// error; then the statement runs in the sandbox. The time limit counts
	// from here, so the command answers within it (plus the kill's grace).
	start := time.Now()
	if err := checkStore(ctx, env, *db); err != nil {
		return err
	}
	res, err := query.Run(ctx, *db, text, query.Limits{MaxRows: *maxRows, Timeout: *timeout,
		MemoryLimit: env.Getenv("GONGKAI_MEMORY_LIMIT"), Since: start})
	if err != nil {
		return err
	}
	if err := render.Write(env.Stdout, res, f); err != nil {
		return err
	}
	if res.Truncated && f != render.Table {
		fmt.Fprintln(env.Stderr, env.tr("query.cut", "n", len(res.Rows)))
	}
	return nil
}

// checkStore opens the store at db read-only and closes it again, so a
// missing or foreign file is named before a worker starts. It opens with
// the store's default settings: GONGKAI_MEMORY_LIMIT bounds the sandbox's
// DuckDB here (the worker applies and checks it), and DuckDB refuses a
// second handle on one file with other settings in the same process — as
// when a test runs `query` beside `serve --live`.
func checkStore(ctx context.Context, env *Env, db string) error {
	if m := strings.TrimSpace(env.Getenv("GONGKAI_MEMORY_LIMIT")); m != "" && !store.ValidSize(m) {
		return fmt.Errorf("GONGKAI_MEMORY_LIMIT %q is not a size such as 512MB", m)
	}
	st, err := store.OpenReadOnly(ctx, db)
	if err != nil {
		return err
	}
	return st.Close()
}
