package store

import (
	"context"
	"database/sql"
	"fmt"
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
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, classify("query", s.path, err)
	}
	defer rows.Close()
	res, err := scanResult(rows, limit)
	if err != nil {
		return nil, classify("query", s.path, err)
	}
	return res, nil
}

// scanResult reads rows into a Result of plain values (Query, Guarded),
// keeping at most max rows (max <= 0: all) and setting Truncated when
// another row was available.
func scanResult(rows *sql.Rows, max int) (*gongkai.Result, error) {
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	res := &gongkai.Result{Columns: cols, Types: make([]string, len(types)), Rows: [][]any{}}
	for i, t := range types {
		res.Types[i] = t.DatabaseTypeName()
	}
	// Rows are cut from slabs of rowsPerSlab rows and scanned through one
	// reused set of pointers: two allocations a row fewer, and far fewer
	// objects for the collector to walk in a million-row answer
	// (BenchmarkQueryRows).
	const rowsPerSlab = 256
	var slab []any
	ptrs := make([]any, len(cols))
	for rows.Next() {
		if max > 0 && len(res.Rows) == max {
			res.Truncated = true
			break
		}
		if len(slab) < len(cols) {
			slab = make([]any, rowsPerSlab*len(cols))
		}
		vals := slab[:len(cols):len(cols)]
		slab = slab[len(cols):]
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		for i, v := range vals {
			vals[i] = plainValue(v, res.Types[i])
		}
		res.Rows = append(res.Rows, vals)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return res, nil
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
