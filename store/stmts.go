package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"sync"
)

// Query's statements are prepared once per connection and kept, on a few
// connections the store holds for them (stmtConns), because DuckDB binds a
// parameterised statement twice when it is prepared and run in one go: it
// prepares a statement whose plan depends on its parameters by binding it
// alone, then binds and optimizes it again with the values at execution
// (always_require_rebind). A kept statement skips the first binding,
// which the rollups' macros (level_reports, reports_in) make dear. At
// 963,617 reports (rollup.Run, means of 15, two alternations with the
// build before, 1 December): levels for a city 75 / 74 → 69 / 58 ms,
// district_year for a county 28 / 28 → 22 / 19 ms, township_year for a
// county 33 / 26 → 22 / 20 ms. A kept statement still sees every commit
// and catalog change (DuckDB binds it again at each execution), as
// TestQueryKeptStatementSeesChanges checks.

// maxStmtsPerConn bounds the statements kept on one connection; the least
// recently used is closed for a new one. gongkai's queries are a few dozen
// texts (the rollups, compile, the named queries).
const maxStmtsPerConn = 64

// stmtConns lends connections that keep their prepared statements. A
// caller takes one, uses it alone, and gives it back; when all max are
// lent, take says so and the caller uses the pool as before.
type stmtConns struct {
	db     *sql.DB
	mu     sync.Mutex
	idle   []*stmtConn
	open   int // connections made and not closed, lent or idle
	max    int
	closed bool
}

// stmtConn is one connection and the statements prepared on it.
type stmtConn struct {
	conn  *sql.Conn
	stmts map[string]*keptStmt
	tick  uint64
}

type keptStmt struct {
	stmt driver.Stmt
	used uint64
}

func newStmtConns(db *sql.DB) *stmtConns {
	// serve runs 2 × GOMAXPROCS rollup queries at once (MaxRollups).
	return &stmtConns{db: db, max: min(2*runtime.GOMAXPROCS(0), 8)}
}

// take lends an idle connection, or opens one while fewer than max are
// open; nil when none is to be had (all lent, or the store is closing).
func (p *stmtConns) take(ctx context.Context) *stmtConn {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return c
	}
	if p.open >= p.max {
		p.mu.Unlock()
		return nil
	}
	p.open++
	p.mu.Unlock()
	conn, err := p.db.Conn(ctx)
	if err != nil {
		p.mu.Lock()
		p.open--
		p.mu.Unlock()
		return nil
	}
	c := &stmtConn{conn: conn, stmts: map[string]*keptStmt{}}
	keptConns.Store(conn, c)
	return c
}

// keptConns finds, from the *sql.Conn a read runs on, the stmtConn it
// belongs to (rowsOn): the readers take a connection and pass it down
// several calls, and only those from stmtConns keep statements.
var keptConns sync.Map // *sql.Conn → *stmtConn

// keptOn is conn's stmtConn, nil for a connection of the pool.
func keptOn(conn *sql.Conn) *stmtConn {
	if c, ok := keptConns.Load(conn); ok {
		return c.(*stmtConn)
	}
	return nil
}

// give returns a lent connection; broken says it must not be used again.
// One that database/sql has closed meanwhile is not kept either: a
// transaction whose rollback failed drops its connection (txOn), and the
// read's error need not say so.
func (p *stmtConns) give(c *stmtConn, broken bool) {
	if !broken && c.conn.Raw(func(any) error { return nil }) != nil {
		broken = true
	}
	p.mu.Lock()
	if p.closed || broken {
		p.open--
		p.mu.Unlock()
		c.close()
		return
	}
	p.idle = append(p.idle, c)
	p.mu.Unlock()
}

// close closes the idle connections and makes every lent one close when it
// is given back. The store calls it before closing its pool.
func (p *stmtConns) close() {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.closed = true
	idle := p.idle
	p.idle = nil
	p.open -= len(idle)
	p.mu.Unlock()
	for _, c := range idle {
		c.close()
	}
}

// close closes c's statements and gives its connection back to the pool.
// The statements are closed directly, not inside conn.Raw, so that they
// are freed even when database/sql has closed the connection; nothing else
// uses c meanwhile.
func (c *stmtConn) close() {
	keptConns.Delete(c.conn)
	for q, k := range c.stmts {
		_ = k.stmt.Close()
		delete(c.stmts, q)
	}
	_ = c.conn.Close()
}

// prepared returns query's statement on dc, the driver connection of c,
// preparing and keeping it the first time.
func (c *stmtConn) prepared(ctx context.Context, dc any, query string) (driver.Stmt, error) {
	c.tick++
	if k, ok := c.stmts[query]; ok {
		k.used = c.tick
		return k.stmt, nil
	}
	pc, ok := dc.(driver.ConnPrepareContext)
	if !ok {
		return nil, fmt.Errorf("the DuckDB driver's connection (%T) cannot prepare statements", dc)
	}
	st, err := pc.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if len(c.stmts) >= maxStmtsPerConn {
		oldest := ""
		var at uint64
		for q, k := range c.stmts {
			if oldest == "" || k.used < at {
				oldest, at = q, k.used
			}
		}
		_ = c.stmts[oldest].stmt.Close()
		delete(c.stmts, oldest)
	}
	c.stmts[query] = &keptStmt{stmt: st, used: c.tick}
	testHookPrepared(query)
	return st, nil
}

// forget closes and drops query's statement after an error, so the next
// call prepares it afresh.
func (c *stmtConn) forget(query string) {
	if k, ok := c.stmts[query]; ok {
		_ = k.stmt.Close()
		delete(c.stmts, query)
	}
}

// testHookPrepared is called with each statement a stmtConn prepares.
var testHookPrepared = func(string) {}

// brokenConn says whether err means the connection itself is unusable.
func brokenConn(err error) bool { return errors.Is(err, driver.ErrBadConn) }

// errNotKept says keptQuery did not run the query: there is no stmtConn,
// or DuckDB would not prepare it (several statements in one text, say), and
// the caller runs it as before.
var errNotKept = errors.New("no kept statement")

// keptQuery runs query from its kept statement on kept, whose driver
// connection is dc. Only a query with arguments is kept: that is where
// the binding twice is (a statement without them is planned once anyway),
// and DuckDB binds it again at each execution, so it always reads the
// catalog as it is. A kept plan without parameters is checked only
// against the catalogs of the tables it reads, and one that reads none (a
// macro alone) would not see the macro change.
func keptQuery(ctx context.Context, dc any, kept *stmtConn, query string, nv []driver.NamedValue) (driver.Rows, error) {
	if kept == nil || len(nv) == 0 {
		return nil, errNotKept
	}
	st, err := kept.prepared(ctx, dc, query)
	if err != nil {
		return nil, errNotKept
	}
	sq, ok := st.(driver.StmtQueryContext)
	if !ok {
		kept.forget(query)
		return nil, errNotKept
	}
	rows, err := sq.QueryContext(ctx, nv)
	if err != nil {
		kept.forget(query)
		return nil, err
	}
	return rows, nil
}
