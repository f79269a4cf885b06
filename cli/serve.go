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
	summary: "read-only HTTP API: rollups as JSON/CSV/Parquet/Arrow, reports, guarded ad-hoc SQL",
	usage: `Usage: gongkai serve [--db PATH] [--addr 127.0.0.1:8080] [--allow-host NAME]...

Serves the store read-only over HTTP: a page for the district or city
office at / (open http://127.0.0.1:8080/ in a browser: pick a division and
a year, see the compiled tables, bodies, findings and charts, download the
workbook; Chinese, ?lang=en for English), and an API for dashboard
backends and analysts:

  GET  /                                             the page
  GET  /healthz
  GET  /v1/rollups                                   the rollups and their parameters
  GET  /v1/rollups/{name}?year=&division=&level=&format=json|csv|parquet|arrow
                                                     ETag per ingest; If-None-Match → 304
  GET  /v1/reports?division=&year=&limit=&offset=    reports, newest ingest included
  GET  /v1/reports/{id}                              the record, its findings, provenance
  POST /v1/query  {"sql": "...", "timeout_ms": 2000, "max_rows": 1000, "format": "json|csv|arrow"}
  GET  /v1/openapi.json                              OpenAPI 3.1 description of all of the above

Ad-hoc SQL runs in the same sandbox as 'gongkai query' (--max-queries worker
processes, each with --memory-limit of DuckDB memory): one read statement, no
file or network access, at most --max-rows rows and --timeout (a request may
lower both). One client (address, or --client-header behind a proxy) runs
--max-queries-per-client at once (its further requests get 429), and a
quarter of the workers is kept for clients whose queries hit no limit lately,
so a flood of bombs leaves room for healthy queries. Errors are JSON {"error": "...", "hint": "..."} with a 4xx
status; 503 with Retry-After while an ingest holds the store. Cross-origin
POSTs from browsers are refused, and browsers on other sites may not read
answers, unless --cors names their origin. Answers are gzipped for clients
that accept it; a wrong method gets 405 with Allow.

One writer, many readers: serve answers from a replica of the store (in a
hidden folder beside it, deleted when serve stops), so 'gongkai ingest' can
write the store while serve keeps answering from the last state. When the
store file changes and no writer holds it, serve brings its other replica up
to date in the background (checked at most every --refresh), copying only the
reports added or removed since, and switches to it; a replica never holds
half an ingest run. Rollup answers are computed once per replica; when too
many rollups wait, serve answers 503 with Retry-After. With --live, serve
instead opens the store itself per request: an ingest can start between
requests, and requests during it get 503 naming the ingest's PID. SIGINT or SIGTERM
stops serve gracefully. Bind to 127.0.0.1 (the default) unless a proxy in
front of serve handles authentication: the API has none. Requests must name
serve by an IP address, localhost or a name given with --allow-host (so a
DNS-rebinding web page cannot use it); POST bodies must be exactly
application/json.

Examples:
  gongkai serve --db gongkai.duckdb
  gongkai serve --db gongkai.duckdb --cors https://dash.example.org
  curl -s localhost:8080/v1/rollups
  curl -sO -J 'localhost:8080/v1/rollups/district_year?year=2023&format=parquet'
  duckdb -c "SELECT * FROM 'district_year-2023.parquet'"
  curl -s localhost:8080/v1/query -H 'Content-Type: application/json' \
       -d '{"sql": "SELECT report_year, count(*) FROM reports GROUP BY ALL"}'
`,
}

func runServe(ctx context.Context, cmd *command, env *Env, args []string) error {
	fs := newFlags(cmd, env)
	db := dbFlag(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	timeout := fs.Duration("timeout", query.DefaultTimeout, "time limit of an ad-hoc query")
	maxRows := fs.Int("max-rows", query.DefaultMaxRows, "row cap of an ad-hoc query")
	memory := fs.String("memory-limit", query.DefaultMemoryLimit, "DuckDB memory limit of an ad-hoc query (each sandbox worker)")
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
	srv, err := serve.New(serve.Config{
		DB:                  *db,
		Logger:              slog.New(h),
		Limits:              query.Limits{Timeout: *timeout, MaxRows: *maxRows, MemoryLimit: *memory},
		MaxQueries:          *maxQueries,
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
		fmt.Fprintf(env.Stderr, "gongkai serve: listening on http://%s (database %s); Ctrl-C stops\n", a, *db)
	})
}
