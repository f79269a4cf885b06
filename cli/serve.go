package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"time"

	"gongkai/query"
	"gongkai/serve"
	"gongkai/store"
)

var serveCmd = &command{
	name:    "serve",
	run:     runServe,
	summary: "help.serve.summary",
	usage:   "help.serve",
}

func runServe(ctx context.Context, cmd *command, env *Env, args []string) error {
	fs := newFlags(cmd, env)
	db := dbFlag(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	timeout := fs.Duration("timeout", query.DefaultTimeout, "time limit of an ad-hoc query")
	maxRows := fs.Int("max-rows", query.DefaultMaxRows, "row cap of an ad-hoc query")
	memory := fs.String("memory-limit", query.DefaultMemoryLimit, "DuckDB memory limit of an ad-hoc query (each sandbox worker)")
	budget := fs.String("query-memory", "1GiB", "resident memory of all ad-hoc queries' sandbox workers together; past it the largest is stopped (413)")
	maxQueries := fs.Int("max-queries", 4, "ad-hoc queries run at once (a quarter kept for clients that hit no limit lately); more wait 2 s, then get 503")
	perClient := fs.Int("max-queries-per-client", 1, "ad-hoc queries one client (address) runs at once; more wait 2 s, then get 429")
	clientHeader := fs.String("client-header", "", "request header naming the client, set by a trusted proxy (such as X-Real-IP); default: the remote address")
	jsonLog := fs.Bool("log-json", false, "write request logs as JSON lines")
	live := fs.Bool("live", false, "read the store file on every request instead of snapshots")
	allowHosts := fs.StringSlice("allow-host", nil, "a host name clients call serve by (besides IP addresses and localhost); repeat for more")
	refresh := fs.Duration("refresh", 2*time.Second, "how often to check the store for a newer state to snapshot")
	cors := fs.StringSlice("cors", nil, "let browser pages on this origin (https://host[:port]) read the API and POST queries; '*' = any origin may read; repeatable")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	if *timeout <= 0 || *maxRows <= 0 || *maxQueries <= 0 || *perClient <= 0 {
		return usageError("--timeout, --max-rows, --max-queries and --max-queries-per-client must be positive")
	}
	if !store.ValidSize(*memory) {
		return usageError("--memory-limit %q is not a size such as 512MB", *memory)
	}
	if query.ParseSize(*budget) <= 0 {
		return usageError("--query-memory %q is not a size such as 1GiB", *budget)
	}
	if _, err := os.Stat(*db); err != nil {
		return usageError("no database at %s (create it with 'gongkai ingest --db %s FILES')", *db, *db)
	}
	// Fail now, not at the first request, if the file is no gongkai store.
	if st, err := openStore(ctx, env, *db, false); err != nil {
		return err
	} else if err := st.Close(); err != nil {
		return err
	}
	var h slog.Handler = slog.NewTextHandler(env.Stderr, nil)
	if *jsonLog {
		h = slog.NewJSONHandler(env.Stderr, nil)
	}
	srv, err := serve.New(ctx, serve.Config{
		DB:                  *db,
		Logger:              slog.New(h),
		Limits:              query.Limits{Timeout: *timeout, MaxRows: *maxRows, MemoryLimit: *memory},
		MaxQueries:          *maxQueries,
		QueryMemory:         query.ParseSize(*budget),
		MaxQueriesPerClient: *perClient,
		ClientHeader:        *clientHeader,
		Live:                *live,
		AllowedHosts:        *allowHosts,
		RefreshEvery:        *refresh,
		CORSOrigins:         *cors,
		// Long enough for an ad-hoc query at its limit plus the export.
		RequestTimeout: *timeout + 55*time.Second,
	})
	if err != nil {
		return err
	}
	return srv.ListenAndServe(ctx, *addr, func(a net.Addr) {
		fmt.Fprintln(env.Stderr, env.tr("serve.listening", "addr", a, "db", *db))
	})
}
