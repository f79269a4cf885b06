// Package store is gongkai's store: an embedded DuckDB file holding the
// reports, their cells in long form and their findings. It is the only
// package that imports the DuckDB driver; everything else talks to it
// through Store and gongkai.Result.
//
// The schema lives in embedded, numbered .sql files (schema/*.sql) that
// Open applies in order, each once, inside one transaction.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"gongkai"
	sqlfiles "gongkai/sql"
)

// Store is an open gongkai database. It is safe for concurrent use; writes
// (Put) are serialized, since DuckDB allows one writing process and its
// transactions conflict on the same rows.
type Store struct {
	db        *sql.DB
	connector *duckdb.Connector
	path      string
	readOnly  bool
	writeMu   sync.Mutex
	// memoryLimit is DuckDB's memory_limit as configured (StoreMemoryLimit
	// unless an option says otherwise), and userLimit whether the
	// MemoryLimit option chose it (lowerMemory leaves that alone).
	memoryLimit string
	userLimit   bool
	// stmts lends the connections that keep Query's prepared statements.
	stmts *stmtConns
	// known is what Put knows of the stored reports (known.go); guarded
	// by writeMu.
	known *knownReports
}

// Open opens (creating if needed) the database at path for reading and
// writing, applies pending migrations and refreshes the cell labels. When
// another process holds the file, it returns an error wrapping
// gongkai.ErrDatabaseBusy that names the holder's PID.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	return open(ctx, path, false, opts)
}

// StoreMemoryLimit bounds DuckDB's memory when no MemoryLimit option is
// given. DuckDB's own default is 80% of the machine's RAM, so one large
// store (the project aims at about a million reports) could take the
// machine from everything else; with a fixed limit, a join or aggregate
// that outgrows it spills to the temp directory beside the database
// instead (slower, but the process stays within its bound).
const StoreMemoryLimit = "1GB"

// IngestMemoryLimit is DuckDB's memory_limit for an ingest (ForIngest;
// the CLI opens its store so unless GONGKAI_MEMORY_LIMIT says otherwise). An
// ingest's process holds DuckDB and the parse workers, and must stay
// within 1 GiB: DuckDB keeps what it reads in its buffer pool up to the
// limit, and with the store's 1 GB an ingest of 150,654 rendered reports
// peaked at 1.7 GB while the cross-report rules read their cells at the
// end (2.2 GB with the hostile files beside them).
const IngestMemoryLimit = answerMemoryLimit

// lowerMemory sets DuckDB's memory_limit to limit for work that reads much
// and keeps little (the cross rules, keeping answers) when the store runs
// under one of gongkai's own limits (StoreMemoryLimit, IngestMemoryLimit;
// one the user chose through the MemoryLimit option is left alone), and returns what puts the store's
// own back. The setting is the database's: callers hold writeMu.
func (s *Store) lowerMemory(ctx context.Context, conn *sql.Conn, limit string) (restore func(), err error) {
	if s.userLimit {
		return func() {}, nil
	}
	if _, err := conn.ExecContext(ctx, "SET memory_limit = '"+limit+"'"); err != nil {
		return nil, err
	}
	return func() {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SET memory_limit = '"+s.memoryLimit+"'")
	}, nil
}

// checkpointThreshold is the WAL size at which a read-write store
// checkpoints (see dsn).
const checkpointThreshold = "256MB"

// Option configures Open and OpenReadOnly.
type Option func(*config)

type config struct {
	memoryLimit string
	userLimit   bool // MemoryLimit chose memoryLimit
	threads     int
}

// MemoryLimit sets DuckDB's memory_limit, a size such as "512MB" or
// "4GB" (default StoreMemoryLimit), for everything the store does: it
// bounds DuckDB's buffer pool, not the Go heap.
func MemoryLimit(limit string) Option {
	return func(c *config) { c.memoryLimit, c.userLimit = limit, true }
}

// ForIngest opens the store for an ingest: DuckDB under
// IngestMemoryLimit unless a MemoryLimit option says otherwise.
func ForIngest() Option {
	return func(c *config) {
		if !c.userLimit {
			c.memoryLimit = IngestMemoryLimit
		}
	}
}

// Threads sets how many threads DuckDB runs a query on (default
// runtime.GOMAXPROCS(0), which follows the process's CPU quota where
// DuckDB would count every core of the machine; each thread holds its own
// share of a query's hash tables, so fewer threads also means less memory).
func Threads(n int) Option { return func(c *config) { c.threads = n } }

// dsn is the DuckDB connection string of path with the store's settings:
// access mode, memory_limit, threads and temp_directory (path + ".tmp",
// where DuckDB spills what does not fit under the memory limit; it creates
// the folder only when it spills, and removes its files when done).
func dsn(path string, readOnly bool, opts []Option) (string, error) {
	c := configOf(opts)
	if strings.TrimSpace(c.memoryLimit) == "" {
		return "", fmt.Errorf("%w: empty memory limit", gongkai.ErrUsage)
	}
	if c.threads < 1 {
		return "", fmt.Errorf("%w: threads %d: want at least 1", gongkai.ErrUsage, c.threads)
	}
	v := url.Values{}
	if readOnly {
		v.Set("access_mode", "read_only")
	}
	v.Set("memory_limit", c.memoryLimit)
	v.Set("threads", strconv.Itoa(c.threads))
	v.Set("temp_directory", path+".tmp")
	if !readOnly {
		// DuckDB checkpoints (writes the WAL's changes into the file)
		// whenever the WAL passes checkpoint_threshold, 16 MB by default:
		// about every 1,300 reports of an ingest (13 KB of WAL a report),
		// each checkpoint rewriting the cell tables' last, partly filled
		// row groups again. At 256 MB an ingest checkpoints about every
		// 20,000 reports and once at its close; a kill loses nothing either
		// way (the WAL is replayed on the next open).
		v.Set("checkpoint_threshold", checkpointThreshold)
	}
	return path + "?" + v.Encode(), nil
}

// configOf applies opts to the defaults.
func configOf(opts []Option) config {
	c := config{memoryLimit: StoreMemoryLimit, threads: runtime.GOMAXPROCS(0)}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// OpenReadOnly opens an existing database for queries only. Several
// read-only processes may share a file; a writer may not hold it meanwhile
// (gongkai.ErrDatabaseBusy). In one process, close a read-write Store on
// the same file before opening it read-only: DuckDB refuses two differently
// configured handles on one file.
func OpenReadOnly(ctx context.Context, path string, opts ...Option) (*Store, error) {
	return open(ctx, path, true, opts)
}

func open(ctx context.Context, path string, readOnly bool, opts []Option) (*Store, error) {
	op := "open"
	if readOnly {
		op = "open read-only"
	}
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, &gongkai.Error{Op: op, Path: path, Err: fmt.Errorf("%w: database path must be a plain file name without ? or #", gongkai.ErrUsage)}
	}
	dsn, err := dsn(path, readOnly, opts)
	if err != nil {
		return nil, &gongkai.Error{Op: op, Path: path, Err: err}
	}
	c, err := duckdb.NewConnector(dsn, nil)
	if err != nil {
		e := classify(op, path, err)
		if readOnly && !errors.Is(e, gongkai.ErrDatabaseBusy) {
			var ge *gongkai.Error
			if errors.As(e, &ge) && strings.Contains(err.Error(), "does not exist") {
				ge.Hint = "create the database first with 'gongkai ingest --db " + path + " FILES'"
			}
		}
		return nil, e
	}
	cfg := configOf(opts)
	s := &Store{db: sql.OpenDB(c), connector: c, path: path, readOnly: readOnly, memoryLimit: cfg.memoryLimit, userLimit: cfg.userLimit}
	s.stmts = newStmtConns(s.db)
	if readOnly {
		err = s.checkVersion(ctx)
	} else {
		err = s.migrate(ctx)
	}
	if err != nil {
		s.db.Close()
		return nil, err
	}
	return s, nil
}

// Close releases the database file.
func (s *Store) Close() error {
	s.stmts.close()
	if err := s.db.Close(); err != nil {
		return classify("close", s.path, err)
	}
	return nil
}

// Path returns the database file the store was opened on.
func (s *Store) Path() string { return s.path }

// DB returns the shared connection pool, for this package's other files
// (rollups, rules, export) and their tests.
func (s *Store) DB() *sql.DB { return s.db }

// migration is one numbered schema file.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations lists the embedded schema files in version order.
func migrations() ([]migration, error) {
	names, err := fs.Glob(sqlfiles.Files, "schema/*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, n := range names {
		base := path.Base(n)
		num, _, _ := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("schema file %s: name must start with its version number", base)
		}
		b, err := sqlfiles.Files.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{v, strings.TrimSuffix(base, ".sql"), string(b)})
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("schema files %s and %s share version %d", out[i-1].name, out[i].name, out[i].version)
		}
	}
	return out, nil
}

// SchemaVersion is the newest migration this build knows.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// migrate applies the pending migrations and refills cell_labels, all in
// one transaction: a crash leaves the database at the previous version.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return &gongkai.Error{Op: "migrate", Path: s.path, Err: err}
	}
	return s.inTx(ctx, "migrate", func(conn *sql.Conn) error {
		if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			name       VARCHAR NOT NULL,
			applied_at TIMESTAMPTZ NOT NULL)`); err != nil {
			return err
		}
		applied := map[int]bool{}
		rows, err := conn.QueryContext(ctx, `SELECT version FROM schema_migrations`)
		if err != nil {
			return err
		}
		newest := 0
		for rows.Next() {
			var v int
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return err
			}
			applied[v] = true
			newest = max(newest, v)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if known := ms[len(ms)-1].version; newest > known {
			return &gongkai.Error{Op: "migrate", Path: s.path,
				Err:  fmt.Errorf("database schema version %d is newer than this gongkai (%d)", newest, known),
				Hint: "use a newer gongkai build, or another --db file"}
		}
		for _, m := range ms {
			if applied[m.version] {
				continue
			}
			if _, err := conn.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			if _, err := conn.ExecContext(ctx, `INSERT INTO schema_migrations VALUES (?, ?, ?)`,
				m.version, m.name, time.Now().UTC()); err != nil {
				return err
			}
		}
		return refillLabels(ctx, conn)
	})
}

// checkVersion makes sure a read-only database has this build's schema.
func (s *Store) checkVersion(ctx context.Context) error {
	var v sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&v)
	if err != nil {
		var de *duckdb.Error
		if errors.As(err, &de) && de.Type == duckdb.ErrorTypeCatalog {
			return &gongkai.Error{Op: "open read-only", Path: s.path,
				Err:  fmt.Errorf("%w: not a gongkai database (no schema_migrations table)", gongkai.ErrNotFound),
				Hint: "create it with 'gongkai ingest --db " + s.path + " FILES'"}
		}
		return classify("open read-only", s.path, err)
	}
	want := SchemaVersion()
	switch {
	case int(v.Int64) < want:
		return &gongkai.Error{Op: "open read-only", Path: s.path,
			Err:  fmt.Errorf("database schema version %d is older than this gongkai (%d)", v.Int64, want),
			Hint: "open it read-write once to migrate it: 'gongkai ingest --db " + s.path + " FILE'"}
	case int(v.Int64) > want:
		return &gongkai.Error{Op: "open read-only", Path: s.path,
			Err:  fmt.Errorf("database schema version %d is newer than this gongkai (%d)", v.Int64, want),
			Hint: "use a newer gongkai build"}
	}
	return nil
}

// labelRow is one row of cell_labels.
type labelRow struct {
	version, section, rowKey, colKey, rowLabel, colLabel, group string // group "" = NULL
	rowOrder, colOrder                                          int32
	kind                                                        string
}

func (l labelRow) String() string {
	return fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s|%d|%d|%s", l.version, l.section, l.rowKey, l.colKey,
		l.rowLabel, l.colLabel, l.group, l.rowOrder, l.colOrder, l.kind)
}

// layoutLabels lists cell_labels' rows as the Go layouts give them.
func layoutLabels() []labelRow {
	var out []labelRow
	for _, v := range gongkai.Versions {
		l := gongkai.LayoutOf(v)
		for i, it := range l.Active {
			for j, m := range it.Metrics {
				out = append(out, labelRow{string(v), gongkai.SecActive, it.Key, m.Key, it.Label, m.Label,
					it.Block, int32(i + 1), int32(j + 1), m.Kind.String()})
			}
		}
		for i, r := range l.AllRows() { // 2021: with 3_6, printed by some as one row
			for j, c := range l.Columns {
				out = append(out, labelRow{string(v), gongkai.SecApplications, r.Key, c.Key, r.Label, c.Label,
					r.Group, int32(i + 1), int32(j + 1), gongkai.Count.String()})
			}
		}
		for i, b := range l.ReviewBlocks {
			for j, c := range l.ReviewColumns {
				out = append(out, labelRow{string(v), gongkai.SecReview, b.Key, c.Key, b.Label, c.Label,
					"", int32(i + 1), int32(j + 1), gongkai.Count.String()})
			}
		}
	}
	return out
}

// refillLabels rewrites cell_labels from the Go layouts, so the views'
// labels always equal what readers and the generator use. When the stored
// labels already equal the layouts (every open but the first of a new
// build) it writes nothing: rewriting them on each open grew the file a
// little every run, since DuckDB reuses the freed blocks only later.
func refillLabels(ctx context.Context, conn *sql.Conn) error {
	want := layoutLabels()
	same, err := labelsEqual(ctx, conn, want)
	if err != nil || same {
		return err
	}
	if _, err := conn.ExecContext(ctx, `DELETE FROM cell_labels`); err != nil {
		return err
	}
	return withAppender(conn, "cell_labels", func(a *duckdb.Appender) error {
		for _, l := range want {
			var group any
			if l.group != "" {
				group = l.group
			}
			if err := a.AppendRow(l.version, l.section, l.rowKey, l.colKey, l.rowLabel, l.colLabel,
				group, l.rowOrder, l.colOrder, l.kind); err != nil {
				return err
			}
		}
		return nil
	})
}

// labelsEqual says whether cell_labels holds exactly the rows want.
func labelsEqual(ctx context.Context, conn *sql.Conn, want []labelRow) (bool, error) {
	rows, err := conn.QueryContext(ctx, `SELECT format_version, section, row_key, col_key, row_label, col_label,
		coalesce(row_group, ''), row_order, col_order, kind FROM cell_labels`)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var l labelRow
		if err := rows.Scan(&l.version, &l.section, &l.rowKey, &l.colKey, &l.rowLabel, &l.colLabel,
			&l.group, &l.rowOrder, &l.colOrder, &l.kind); err != nil {
			return false, err
		}
		got = append(got, l.String())
	}
	if err := rows.Err(); err != nil {
		return false, err
	}
	if len(got) != len(want) {
		return false, nil
	}
	ws := make([]string, len(want))
	for i, l := range want {
		ws[i] = l.String()
	}
	slices.Sort(got)
	slices.Sort(ws)
	return slices.Equal(got, ws), nil
}

// inTx runs f on one connection inside BEGIN … COMMIT, rolling back when
// f fails or ctx ends. An explicit transaction on a dedicated connection
// (rather than database/sql's Tx) lets the Appender, which needs the raw
// driver connection, write inside the same transaction.
func (s *Store) inTx(ctx context.Context, op string, f func(conn *sql.Conn) error) (err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return classify(op, s.path, err)
	}
	defer conn.Close()
	return s.txOn(ctx, conn, op, f)
}

// txOn is inTx on a connection the caller holds (and closes).
func (s *Store) txOn(ctx context.Context, conn *sql.Conn, op string, f func(conn *sql.Conn) error) (err error) {
	if _, err := conn.ExecContext(ctx, `BEGIN TRANSACTION`); err != nil {
		return classify(op, s.path, err)
	}
	defer func() {
		if err != nil {
			// Roll back on a fresh context: ctx may be the reason we stop.
			if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`); rerr != nil {
				err = errors.Join(err, fmt.Errorf("rollback: %w", rerr))
				// The connection's state is unknown: drop it from the pool.
				_ = conn.Raw(func(any) error { return driver.ErrBadConn })
			}
		}
	}()
	if err := f(conn); err != nil {
		var ge *gongkai.Error
		if errors.As(err, &ge) {
			return err
		}
		return classify(op, s.path, err)
	}
	if err := ctx.Err(); err != nil {
		return classify(op, s.path, err)
	}
	if _, err := conn.ExecContext(ctx, `COMMIT`); err != nil {
		return classify(op, s.path, err)
	}
	return nil
}

// withAppender runs f with an Appender on table over conn's raw driver
// connection, so the rows join conn's open transaction, and closes
// (flushes) it.
func withAppender(conn *sql.Conn, table string, f func(a *duckdb.Appender) error) error {
	return conn.Raw(func(dc any) error {
		raw, ok := dc.(driver.Conn)
		if !ok {
			return fmt.Errorf("appender: unexpected driver connection %T", dc)
		}
		a, err := duckdb.NewAppenderFromConn(raw, "", table)
		if err != nil {
			return fmt.Errorf("appender on %s: %w", table, err)
		}
		if err := f(a); err != nil {
			_ = a.Close()
			return fmt.Errorf("appending to %s: %w", table, err)
		}
		if err := a.Close(); err != nil {
			return fmt.Errorf("flushing %s: %w", table, err)
		}
		return nil
	})
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
