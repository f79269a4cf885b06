// Package serve is gongkai's read-only HTTP API for dashboard backends and
// analysts: rollups as JSON, CSV, Parquet or Arrow; reports with their
// findings and provenance; ad-hoc SQL through the store's guard.
//
// # One writer, many readers
//
// DuckDB lets one process write a database file, and while it holds the
// file no other process can open it, not even read-only. serve therefore
// never reads the store file while answering: it answers from a
// checkpointed copy (a snapshot) in a private folder beside the store, and
// makes a new copy when the store file changed and no writer holds it (see
// snapshots). So `gongkai ingest` can write while serve answers from the
// previous state; serve never shows a half-ingested run, because a copy is
// only taken while no writer holds the store; and a second writer gets
// gongkai.ErrDatabaseBusy naming the holder at once, from the store's open.
//
// With Config.Live (or when no copy could be made), every request opens the
// store read-only and closes it after; between requests the file is free,
// and while a writer holds it requests get 503 with Retry-After and the
// holder's PID.
package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"gongkai"
	"gongkai/msg"
	"gongkai/query"
	"gongkai/store"
	"gongkai/web"
)

// Config configures a Server. Zero fields take the defaults.
type Config struct {
	// DB is the store's database file.
	DB string
	// Logger receives one line per request; nil discards.
	Logger *slog.Logger
	// Limits bound ad-hoc SQL (POST /v1/query); a request may lower the
	// time limit and the row cap, never raise them.
	Limits query.Limits
	// MaxQueries is how many ad-hoc statements run at once, each in its
	// own sandbox worker process (default 4); more wait up to 2 s, then are
	// answered 503. A quarter of them (at least one) is kept for clients
	// whose statements did not hit a limit lately (see admission).
	MaxQueries int
	// QueryMemory bounds the resident memory of the ad-hoc statements'
	// workers together (query.Config.MemoryBudget; 0: its default).
	QueryMemory int64
	// MaxQueriesPerClient is how many of them one client may run at once
	// (default 1); its further requests wait up to 2 s, then get 429.
	MaxQueriesPerClient int
	// ClientHeader names the request header that identifies the client
	// (such as X-Real-IP, set by a trusted proxy); "" = the remote address.
	ClientHeader string
	// RequestTimeout bounds any request's work (default 60 s).
	RequestTimeout time.Duration
	// TempDir holds Parquet files, and rollup answers past 8 MB, while
	// they are sent ("" = system's).
	TempDir string
	// Live reads the store file itself on every request instead of
	// snapshots (see the package comment).
	Live bool
	// AllowedHosts are the host names (besides IP addresses and localhost)
	// clients may call the server by, as sent in the Host header; others
	// are refused, so a DNS-rebinding page cannot reach the API.
	AllowedHosts []string
	// RefreshEvery is how often a request may check the store for a newer
	// state to snapshot (default 2 s).
	RefreshEvery time.Duration
	// CORSOrigins lets browser pages on these origins (https://host[:port])
	// read the API, and POST /v1/query; "*" lets any origin read (GET,
	// HEAD). Empty (the default): no CORS headers at all.
	CORSOrigins []string
	// MaxRollups is how many rollup queries run at once (default
	// 2 × GOMAXPROCS); more wait, up to QueueWait (default 5 s), then are
	// answered 503 with Retry-After. Answers already computed for the
	// current replica come from a cache and never wait.
	MaxRollups int
	QueueWait  time.Duration
}

// maxBody is the largest request body accepted (POST /v1/query).
const maxBody = 64 << 10

// Server answers the API. It is safe for concurrent use.
type Server struct {
	cfg     Config
	log     *slog.Logger
	admit   *admission // who gets a sandbox worker
	handler http.Handler
	snaps   *snapshots // nil in live mode
	sandbox *query.Sandbox

	rollupSlots chan struct{}      // rollup queries running
	flightMu    sync.Mutex         // guards flights and answers' users
	flights     map[string]*flight // rollup answers being computed, by key
	spillAt     int                // an answer larger than this is made in a file (maxCachedAnswer; tests lower it)
}

// New returns a Server for cfg. It does not open the store: every request
// does (see the package comment). Outside live mode it makes the first
// replica before it returns, a copy of the whole store that takes seconds at
// a million reports: ctx bounds it, so an interrupted start stops the copy
// and returns ctx's error instead of serving from the store file.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.DB == "" {
		return nil, fmt.Errorf("%w: no database file", gongkai.ErrUsage)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxQueries <= 0 {
		cfg.MaxQueries = 4
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 60 * time.Second
	}
	cfg.Limits = cfg.Limits.WithDefaults()
	if cfg.RefreshEvery <= 0 {
		cfg.RefreshEvery = 2 * time.Second
	}
	cors, err := parseCORS(cfg.CORSOrigins)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", gongkai.ErrUsage, err)
	}
	if cfg.MaxRollups <= 0 {
		cfg.MaxRollups = 2 * runtime.GOMAXPROCS(0)
	}
	if cfg.QueueWait <= 0 {
		cfg.QueueWait = 5 * time.Second
	}
	s := &Server{cfg: cfg, log: cfg.Logger, admit: newAdmission(cfg.MaxQueries, cfg.MaxQueriesPerClient, queryQueueWait),
		sandbox:     query.New(query.Config{Limits: cfg.Limits, Workers: cfg.MaxQueries, MemoryBudget: cfg.QueryMemory}),
		rollupSlots: make(chan struct{}, cfg.MaxRollups), flights: map[string]*flight{}, spillAt: maxCachedAnswer}
	if !cfg.Live {
		sn, err := newSnapshots(cfg.DB, cfg.RefreshEvery, cfg.Logger)
		if err != nil {
			s.log.Warn("cannot keep snapshots; reading the store file on every request", "err", err)
		} else {
			s.snaps = sn
			if err := sn.refreshNow(ctx); err != nil {
				if ctx.Err() != nil {
					s.sandbox.Close()
					sn.close()
					return nil, fmt.Errorf("serve: making the first replica: %w", ctx.Err())
				}
				s.log.Warn("no snapshot yet; reading the store file until one can be made", "err", err)
			}
		}
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /v1/rollups", s.listRollups)
	mux.HandleFunc("GET /v1/rollups/{name}", s.getRollup)
	mux.HandleFunc("GET /v1/reports", s.listReports)
	mux.HandleFunc("GET /v1/reports/{id}", s.getReport)
	mux.HandleFunc("POST /v1/query", s.postQuery)
	mux.HandleFunc("GET /v1/openapi.json", s.getOpenAPI)
	web.New(s.open, s.log).Mount(mux) // the office's page at GET /
	mux.HandleFunc("/", notFound(mux,
		"endpoints: GET / (the page), GET /v1/rollups, GET /v1/rollups/{name}, GET /v1/reports, GET /v1/reports/{id}, POST /v1/query, GET /v1/openapi.json, GET /healthz"))

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusForbidden, "cross-origin request refused",
			"call the API from a server or from the same origin; browsers on other sites may not POST to it")
	}))
	for _, o := range cors.trusted() {
		if err := cop.AddTrustedOrigin(o); err != nil {
			return nil, fmt.Errorf("%w: CORS origin %q: %v", gongkai.ErrUsage, o, err)
		}
	}
	s.handler = s.logged(s.hardened(s.bounded(cors.handler(gzipped(cop.Handler(mux))))))
	return s, nil
}

// Close waits for a snapshot being made and deletes serve's snapshots.
// ListenAndServe calls it when it returns.
func (s *Server) Close() error {
	s.sandbox.Close()
	if s.snaps == nil {
		return nil
	}
	return s.snaps.close()
}

// Handler returns the API's handler, with request logs, limits and
// cross-origin protection.
func (s *Server) Handler() http.Handler { return s.handler }

// ListenAndServe serves on addr until ctx ends (SIGINT/SIGTERM in the
// CLI), then shuts down gracefully, letting requests in flight finish for
// up to 10 seconds. ready, if not nil, receives the bound address.
func (s *Server) ListenAndServe(ctx context.Context, addr string, ready func(net.Addr)) error {
	defer s.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return &gongkai.Error{Op: "serve", Path: addr, Err: err, Hint: "choose another --addr, or stop the process using it"}
	}
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      s.cfg.RequestTimeout + 15*time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    32 << 10,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return &gongkai.Error{Op: "serve", Path: addr, Err: err}
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return &gongkai.Error{Op: "serve", Path: addr, Err: fmt.Errorf("shutdown: %w", err)}
	}
	return nil
}

// bounded caps request bodies and the time a request may work.
func (s *Server) bounded(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
		defer cancel()
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logged writes one log line per request.
func (s *Server) logged(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.String("query", r.URL.RawQuery), slog.Int("status", sw.status),
			slog.Int64("bytes", sw.bytes), slog.Duration("took", time.Since(start)),
			slog.String("remote", r.RemoteAddr))
	})
}

// open returns the current replica's shared read-only handle (or, in live
// mode or before the first replica, the store itself opened for this
// request); done releases it.
func (s *Server) open(ctx context.Context) (st *store.Store, done func(), err error) {
	st, _, done, err = s.view(ctx)
	return st, done, err
}

// view is open with the replica's generation (nil when reading the store
// itself), whose ETag and answer cache the rollups use.
func (s *Server) view(ctx context.Context) (*store.Store, *generation, func(), error) {
	if s.snaps != nil {
		if g, release := s.snaps.acquire(); g != nil {
			return g.st, g, release, nil
		}
	}
	st, err := store.OpenReadOnly(ctx, s.cfg.DB)
	if err != nil {
		return nil, nil, nil, err
	}
	return st, nil, func() {
		if err := st.Close(); err != nil {
			s.log.Warn("closing the store", "err", err)
		}
	}, nil
}

// current returns the file to read for one request — the current snapshot,
// or the store itself in live mode — and the function that releases it.
func (s *Server) current() (path string, release func()) {
	if s.snaps != nil {
		if g, release := s.snaps.acquire(); g != nil {
			return g.path, release
		}
	}
	return s.cfg.DB, func() {}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// apiError is the body of every error response. Programs read error,
// hint and code, which stay English and stable; people read error_zh and
// hint_zh (the district offices). Both languages are in every answer, as
// findings carry message and message_zh, so an error answer does not vary
// with Accept-Language.
type apiError struct {
	Error   string `json:"error"`
	Hint    string `json:"hint,omitempty"`
	Code    string `json:"code"`
	ErrorZh string `json:"error_zh"`
	HintZh  string `json:"hint_zh,omitempty"`
}

// writeError answers an error serve words itself: its code and Chinese
// come from the catalogue's api.* text for the English (msg.APIErrorIn).
func writeError(w http.ResponseWriter, status int, text, hint string) {
	id, zh, ok := msg.APIErrorIn(text, msg.ZH)
	code := strings.TrimPrefix(string(id), "api.")
	if !ok {
		code = statusCode(status)
	}
	writeJSON(w, status, apiError{Error: text, Hint: hint, Code: code, ErrorZh: zh, HintZh: msg.HintIn(hint, msg.ZH)})
}

// statusCode is the code of an error the catalogue does not word: the
// status's name in snake case (not_found, service_unavailable).
func statusCode(status int) string {
	return strings.ReplaceAll(strings.ToLower(http.StatusText(status)), " ", "_")
}

// errorCodes name the kinds of error fail answers, for the body's code.
var errorCodes = []struct {
	err  error
	code string
}{
	{gongkai.ErrRefused, "refused"}, {query.ErrBadQuery, "bad_query"}, {gongkai.ErrUsage, "usage"},
	{query.ErrTimeout, "timeout"}, {query.ErrTooLarge, "too_large"}, {gongkai.ErrNotFound, "not_found"},
	{gongkai.ErrDatabaseBusy, "database_busy"}, {errOverloaded, "overloaded"},
}

// fail answers err with the status its kind calls for.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusInternalServerError
	switch {
	case errors.Is(err, gongkai.ErrRefused):
		status = http.StatusForbidden
	case errors.Is(err, query.ErrBadQuery), errors.Is(err, gongkai.ErrUsage):
		status = http.StatusBadRequest
	case errors.Is(err, query.ErrTimeout):
		status = http.StatusUnprocessableEntity
	case errors.Is(err, query.ErrTooLarge):
		status = http.StatusRequestEntityTooLarge
	case errors.Is(err, gongkai.ErrNotFound):
		status = http.StatusNotFound
	case errors.Is(err, gongkai.ErrDatabaseBusy):
		status = http.StatusServiceUnavailable
		w.Header().Set("Retry-After", "5")
	case errors.Is(err, errOverloaded), store.Overloaded(err):
		status = http.StatusServiceUnavailable
		w.Header().Set("Retry-After", "1")
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		status = http.StatusServiceUnavailable
		w.Header().Set("Retry-After", "1")
	}
	if status == http.StatusInternalServerError {
		s.log.Error("request failed", "path", r.URL.Path, "err", err)
		// The cause stays in the server's log: it may name files.
		writeError(w, status, "internal error", "the server's log has the cause")
		return
	}
	body := apiError{Error: s.public(err.Error()), Hint: s.public(gongkai.HintOf(err)), Code: statusCode(status),
		ErrorZh: s.public(gongkai.LocalError(err, msg.ZH)), HintZh: s.public(gongkai.LocalHint(err, msg.ZH))}
	for _, c := range errorCodes {
		if errors.Is(err, c.err) {
			body.Code = c.code
			break
		}
	}
	if store.Overloaded(err) {
		body.Code = "overloaded"
	}
	if status == http.StatusServiceUnavailable && body.Hint == "" {
		body.Hint = "retry in a few seconds"
		body.HintZh = msg.HintIn(body.Hint, msg.ZH)
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":"encoding the answer failed","code":"internal","error_zh":"无法编码答复"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
