package store

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"gongkai"
)

// Query runs trusted SQL (an embedded rollup, rule or named query; ad-hoc
// SQL must pass the guard first) and returns the whole answer. Values are
// plain Go types, so callers never see the driver's: nil, bool, int64 (any
// integer type that fits), float64, string, []byte, time.Time,
// gongkai.Num (DECIMAL with at most six fraction digits that fits),
// string (other DECIMAL, HUGEINT beyond int64, UUID, INTERVAL…),
// []any (LIST, ARRAY) and map[string]any (STRUCT).
func (s *Store) Query(ctx context.Context, query string, args ...any) (*gongkai.Result, error) {
	return s.query(ctx, 0, query, args...)
}

// QueryLimit is Query with a row cap: at most max rows are kept, and
// Result.Truncated says whether more were available. max <= 0 means none.
func (s *Store) QueryLimit(ctx context.Context, max int, query string, args ...any) (*gongkai.Result, error) {
	return s.query(ctx, max, query, args...)
}

func (s *Store) query(ctx context.Context, limit int, query string, args ...any) (*gongkai.Result, error) {
	conn, release, err := s.readConn(ctx)
	if err != nil {
		return nil, classify("query", s.path, err)
	}
	res, err := s.collect(ctx, conn, limit, query, args)
	release(err)
	return res, err
}

// readConn lends a connection for a read: one that keeps its prepared
// statements (stmtConns, stmts.go) when one is free, else one of the
// pool's. release gives it back, with the read's error.
func (s *Store) readConn(ctx context.Context) (conn *sql.Conn, release func(error), err error) {
	if sc := s.stmts.take(ctx); sc != nil {
		return sc.conn, func(err error) { s.stmts.give(sc, brokenConn(err)) }, nil
	}
	conn, err = s.db.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	return conn, func(error) { conn.Close() }, nil
}

// collect runs query on conn and keeps its whole answer (at most limit
// rows when limit > 0).
func (s *Store) collect(ctx context.Context, conn *sql.Conn, limit int, query string, args []any) (*gongkai.Result, error) {
	return s.collectSized(ctx, conn, limit, 0, query, args)
}

// maxSizedValues bounds what collectSized makes room for at once: 2 GiB
// of interface values, 2.6 times a whole nation's levels (68 million).
const maxSizedValues = 1 << 27

// collectSized is collect for an answer expected to have about rows rows
// (0: unknown), which are then made room for at once.
func (s *Store) collectSized(ctx context.Context, conn *sql.Conn, limit int, rows int64, query string, args []any) (*gongkai.Result, error) {
	// Rows are cut from slabs of rowsPerSlab rows, and the driver's values
	// are written straight into them: a million-row answer is then a few
	// thousand objects for the collector, not a million.
	const rowsPerSlab = 256
	var res *gongkai.Result
	var slab []any
	_, err := rowsOn(ctx, conn, query, args, func(cols, types []string) error {
		res = &gongkai.Result{Columns: cols, Types: types, Rows: [][]any{}}
		// The hint comes from the store's own answer_state; one that
		// claims more than maxSizedValues is not trusted with an
		// allocation of its size, and the slabs grow as for any query.
		if rows > 0 && len(cols) > 0 && rows <= maxSizedValues/int64(len(cols)) {
			res.Rows = make([][]any, 0, rows)
			slab = make([]any, rows*int64(len(cols)))
		}
		return nil
	}, func() []any {
		w := len(res.Columns)
		if len(slab) < w {
			slab = make([]any, rowsPerSlab*w)
		}
		row := slab[:w:w]
		slab = slab[w:]
		return row
	}, func(row []any) error {
		if limit > 0 && len(res.Rows) == limit {
			res.Truncated = true
			return errEnoughRows
		}
		res.Rows = append(res.Rows, row)
		return nil
	})
	if err != nil && !errors.Is(err, errEnoughRows) {
		return nil, classify("query", s.path, err)
	}
	return res, nil
}

// rows runs trusted query q on one of the pool's connections, through
// driverRows.
func (s *Store) rows(ctx context.Context, q string, args []any, start func(cols, types []string) error, dst func() []any, add func(row []any) error) (int64, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	return rowsOn(ctx, conn, q, args, start, dst, add)
}

// rowsOn is rows on a connection the caller holds.
func rowsOn(ctx context.Context, conn *sql.Conn, q string, args []any, start func(cols, types []string) error, dst func() []any, add func(row []any) error) (int64, error) {
	var n int64
	var err error
	kept := keptOn(conn)
	err = conn.Raw(func(dc any) error {
		n, err = driverRows(ctx, dc, kept, q, args, start, dst, add)
		return err
	})
	return n, err
}

// errEnoughRows ends a read at QueryLimit's row cap.
var errEnoughRows = errors.New("row cap reached")

// driverRows runs query on the driver's own connection dc and hands its
// columns and DuckDB types to start, then each row as plain values to add,
// written into the slice dst gives for it.
//
// It reads the driver's rows directly rather than through database/sql's
// Rows.Scan, which converts and locks per value: a rollup-shaped answer
// reads in about 0.8 µs a row instead of 1.25 (BenchmarkQueryRows), which
// is most of what Go adds to a whole nation's million-row rollup. What
// database/sql did besides is kept: arguments are checked as it checks
// them (namedValues), byte slices are copied, and a cancelled ctx stops
// the read (TestQueryReadsAsDatabaseSQL).
func driverRows(ctx context.Context, dc any, kept *stmtConn, query string, args []any, start func(cols, types []string) error, dst func() []any, add func(row []any) error) (int64, error) {
	var types []string
	var asIs []bool
	return driverEach(ctx, dc, kept, query, args, func(c, t []string) error {
		types = t
		asIs = make([]bool, len(t))
		for i, typ := range t {
			asIs[i] = plainAsIs(typ)
		}
		return start(c, t)
	}, func(dest []driver.Value) error {
		row := dst()
		for i, v := range dest {
			if !asIs[i] {
				if b, ok := v.([]byte); ok {
					v = bytes.Clone(b)
				}
				v = plainValue(v, types[i])
			}
			row[i] = v
		}
		return add(row)
	})
}

// plainAsIs says whether the driver gives the values of a column of DuckDB
// type typ as plain values already (int64, float64, string, bool, or nil),
// so driverRows keeps them without a look at each: a rollup's columns are
// nearly all of these, and the look was a tenth of reading a whole
// nation's levels.
func plainAsIs(typ string) bool {
	switch typ {
	case "BIGINT", "DOUBLE", "VARCHAR", "BOOLEAN":
		return true
	}
	return false
}

// driverEach runs query on the driver's own connection dc and hands its
// columns and DuckDB types to start, then each row's values as the driver
// gives them to each, in dest (reused: each must copy what it keeps).
// driverRows converts them to plain values; the Arrow writer reads them
// as they are. Arguments are checked as database/sql checks them, and a
// cancelled ctx stops the read.
func driverEach(ctx context.Context, dc any, kept *stmtConn, query string, args []any, start func(cols, types []string) error, each func(dest []driver.Value) error) (int64, error) {
	qc, ok := dc.(driver.QueryerContext)
	if !ok {
		return 0, fmt.Errorf("the DuckDB driver's connection (%T) cannot run queries", dc)
	}
	nv, err := namedValues(dc, args)
	if err != nil {
		return 0, err
	}
	rows, err := keptQuery(ctx, dc, kept, query, nv)
	if errors.Is(err, errNotKept) {
		rows, err = qc.QueryContext(ctx, query, nv)
	}
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, types := columnsOf(rows)
	if err := start(cols, types); err != nil {
		return 0, err
	}
	dest := make([]driver.Value, len(cols))
	var n int64
	for {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return n, err
			}
		}
		if err := rows.Next(dest); errors.Is(err, io.EOF) {
			return n, nil
		} else if err != nil {
			return n, err
		}
		if err := each(dest); err != nil {
			return n, err
		}
		n++
	}
}

// columnsOf gives the names and DuckDB type names of rows' columns.
func columnsOf(rows driver.Rows) (cols, types []string) {
	cols = rows.Columns()
	types = make([]string, len(cols))
	if tn, ok := rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		for i := range cols {
			types[i] = tn.ColumnTypeDatabaseTypeName(i)
		}
	}
	return cols, types
}

// namedValues turns Query's arguments into the driver's, as database/sql
// does before it calls a driver: a sql.NamedArg gives its name, the
// driver's own check (driver.NamedValueChecker) comes first, and what it
// skips goes through driver.DefaultParameterConverter (int to int64,
// driver.Valuer and so on).
func namedValues(dc any, args []any) ([]driver.NamedValue, error) {
	checker, _ := dc.(driver.NamedValueChecker)
	out := make([]driver.NamedValue, len(args))
	for i, a := range args {
		nv := driver.NamedValue{Ordinal: i + 1, Value: a}
		if na, ok := a.(sql.NamedArg); ok {
			nv.Name, nv.Value = na.Name, na.Value
		}
		err := driver.ErrSkip
		if checker != nil {
			err = checker.CheckNamedValue(&nv)
		}
		if errors.Is(err, driver.ErrSkip) {
			nv.Value, err = driver.DefaultParameterConverter.ConvertValue(nv.Value)
		}
		if err != nil {
			return nil, fmt.Errorf("argument %d (%s): %w", i+1, nv.Name, err)
		}
		out[i] = nv
	}
	return out, nil
}

// plain converts a driver value into the plain types Query documents.
func plain(v any) any {
	switch x := v.(type) {
	case nil, bool, int64, float64, string, []byte, time.Time:
		return x
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case int:
		return int64(x)
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case uint64:
		if x <= 1<<63-1 {
			return int64(x)
		}
		return fmt.Sprint(x)
	case float32:
		return float64(x)
	case *big.Int:
		if x == nil {
			return nil
		}
		if x.IsInt64() {
			return x.Int64()
		}
		return x.String()
	case duckdb.Decimal:
		if x.Value == nil {
			return nil
		}
		if x.Scale <= gongkai.Scale {
			m := new(big.Int).Mul(x.Value, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(gongkai.Scale-int(x.Scale))), nil))
			if m.IsInt64() {
				return gongkai.FromMicros(m.Int64())
			}
		}
		return x.String()
	case duckdb.UUID:
		return x.String()
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plain(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = plain(e)
		}
		return out
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}
