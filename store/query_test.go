package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"gongkai"
)

// Query reads the driver's rows itself (readAll) instead of through
// database/sql's Rows.Scan. This test keeps the database/sql reading as
// the oracle and compares every value, type name and column of both, for
// every kind of value and argument a caller passes.
func TestQueryReadsAsDatabaseSQL(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "q.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cases := []struct {
		sql  string
		args []any
	}{
		{`SELECT 1::TINYINT a, 300::SMALLINT b, 70000::INTEGER c, 5000000000::BIGINT d, 18446744073709551615::UBIGINT e,
		         170141183460469231731687303715884105727::HUGEINT f, 1.5::FLOAT g, 2.25::DOUBLE h, true i, NULL::INTEGER j`, nil},
		{`SELECT 'text' a, '中文' b, ''::VARCHAR c, '\x00\x01\xff'::BLOB d, NULL::BLOB e, '6ba7b810-9dad-11d1-80b4-00c04fd430c8'::UUID f`, nil},
		{`SELECT 12.345::DECIMAL(18,3) a, 0.1234567::DECIMAL(18,7) b, 123456789012345678901234.5::DECIMAL(38,1) c`, nil},
		{`SELECT DATE '2020-03-19' a, TIMESTAMP '2020-03-19 10:11:12' b, TIMESTAMPTZ '2020-03-19 10:11:12+08' c, INTERVAL 3 DAY d, TIME '10:11:12' e`, nil},
		{`SELECT [1, 2, NULL] a, {'k': 1, 'v': 'x'} b, ['a', 'b'] c, MAP {'k': 1} d`, nil},
		{`SELECT range AS i, 'row ' || range AS s FROM range(3000)`, nil},
		{`SELECT $year + 1 AS y, $division AS d, $missing IS NULL AS m`, []any{sql.Named("year", 2023), sql.Named("division", "文登区"), sql.Named("missing", nil)}},
		{`SELECT ? * 2 AS x, ? AS s, ?::BIGINT AS big`, []any{21, "a", int64(1) << 40}},
		{`SELECT 1 WHERE false`, nil},
	}
	for _, c := range cases {
		got, err := s.Query(t.Context(), c.sql, c.args...)
		if err != nil {
			t.Errorf("%s: %v", c.sql, err)
			continue
		}
		want := viaDatabaseSQL(t, s, 0, c.sql, c.args...)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %#v\nwant %#v", c.sql, got, want)
		}
	}

	// The row cap and Truncated, as QueryLimit promises.
	for _, n := range []int{1, 255, 256, 257, 2999, 3000, 3001} {
		got, err := s.QueryLimit(t.Context(), n, `SELECT range FROM range(3000)`)
		if err != nil {
			t.Fatal(err)
		}
		want := viaDatabaseSQL(t, s, n, `SELECT range FROM range(3000)`)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("QueryLimit %d: %d rows truncated=%v, want %d truncated=%v", n, len(got.Rows), got.Truncated, len(want.Rows), want.Truncated)
		}
	}

	// A row kept by the caller is its own: appending to it does not write
	// into the next row's values (rows are cut from one slab).
	res, err := s.Query(t.Context(), `SELECT range AS a, range + 1 AS b FROM range(2)`)
	if err != nil {
		t.Fatal(err)
	}
	_ = append(res.Rows[0], "extra")
	if res.Rows[1][0] != int64(1) {
		t.Errorf("second row changed by appending to the first: %v", res.Rows[1])
	}

	// Bad arguments and a cancelled context are errors, as they were.
	if _, err := s.Query(t.Context(), `SELECT ?`, struct{ X int }{1}); err == nil {
		t.Error("an argument of no SQL type: no error")
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := s.Query(ctx, `SELECT range FROM range(100000)`); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v, want context.Canceled", err)
	}
}

// viaDatabaseSQL is the reading Query did before readAll: database/sql's
// Rows.Scan into *any, then plainValue.
func viaDatabaseSQL(t *testing.T, s *Store, max int, q string, args ...any) *gongkai.Result {
	t.Helper()
	rows, err := s.db.QueryContext(t.Context(), q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	types, _ := rows.ColumnTypes()
	r := &gongkai.Result{Columns: cols, Types: make([]string, len(cols)), Rows: [][]any{}}
	for i, ty := range types {
		r.Types[i] = ty.DatabaseTypeName()
	}
	for rows.Next() {
		if max > 0 && len(r.Rows) == max {
			r.Truncated = true
			break
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			vals[i] = plainValue(v, r.Types[i])
		}
		r.Rows = append(r.Rows, vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestCollectSizedAnyHint checks that the row count a kept answer's state
// gives collect (made room for at once) only sizes the Result: too small,
// too large, absurd (a damaged answer_state) or none, the rows are the
// same, and no allocation of an absurd size is tried.
func TestCollectSizedAnyHint(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "h.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	conn, err := s.DB().Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	const q = `SELECT range AS i, 'row ' || range AS s, NULL AS n FROM range(1000)`
	want, err := s.collect(t.Context(), conn, 0, q, nil)
	if err != nil || len(want.Rows) != 1000 {
		t.Fatalf("collect: %d rows, %v", len(want.Rows), err)
	}
	for _, hint := range []int64{1, 999, 1000, 1001, 5000, maxSizedValues, 1 << 62} {
		got, err := s.collectSized(t.Context(), conn, 0, hint, q, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("hint %d: Result differs from collect's", hint)
		}
		if got.Rows[999][0] != int64(999) || got.Rows[0][1] != "row 0" {
			t.Errorf("hint %d: rows %v … %v", hint, got.Rows[0], got.Rows[999])
		}
	}
}
