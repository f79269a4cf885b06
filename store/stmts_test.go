package store

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
	"slices"
	"sync"
	"testing"
)

// countPrepared counts, per query text, the statements kept connections
// prepare while the test runs.
func countPrepared(t *testing.T) func(q string) int {
	t.Helper()
	var mu sync.Mutex
	n := map[string]int{}
	old := testHookPrepared
	testHookPrepared = func(q string) {
		mu.Lock()
		n[q]++
		mu.Unlock()
	}
	t.Cleanup(func() { testHookPrepared = old })
	return func(q string) int {
		mu.Lock()
		defer mu.Unlock()
		return n[q]
	}
}

// A query run again with other arguments is prepared once per connection
// and answers for the arguments it is given.
func TestQueryKeepsStatements(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	prepared := countPrepared(t)
	if _, err := s.DB().ExecContext(ctx, `CREATE TABLE nums AS SELECT range AS n FROM range(100)`); err != nil {
		t.Fatal(err)
	}
	q := `SELECT count(*) FROM nums WHERE n < $1`
	for _, limit := range []int64{10, 50, 7, 10} {
		if got := scalar(t, s, q, limit); got != limit {
			t.Errorf("count below %d = %v", limit, got)
		}
	}
	// One caller at a time gets the same idle connection back.
	if got := prepared(q); got != 1 {
		t.Errorf("prepared %d times, want once", got)
	}
	// Without arguments nothing is kept (see keptQuery).
	plain := `SELECT count(*) FROM nums`
	for range 2 {
		if got := scalar(t, s, plain); got != int64(100) {
			t.Errorf("count = %v", got)
		}
	}
	if got := prepared(plain); got != 0 {
		t.Errorf("a query without arguments was kept (%d)", got)
	}
}

// A kept statement answers as the store is now: rows committed since it was
// prepared, a table replaced by one of other columns, a macro redefined.
func TestQueryKeptStatementSeesChanges(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	prepared := countPrepared(t)
	exec := func(q string) {
		t.Helper()
		if _, err := s.DB().ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`CREATE TABLE t AS SELECT 1 AS a`)
	q := `SELECT * FROM t WHERE $1 ORDER BY ALL`
	read := func() ([]string, [][]any) {
		t.Helper()
		res, err := s.Query(ctx, q, true)
		if err != nil {
			t.Fatal(err)
		}
		return res.Columns, res.Rows
	}
	if cols, rows := read(); !slices.Equal(cols, []string{"a"}) || fmt.Sprint(rows) != "[[1]]" {
		t.Fatalf("first read: %v %v", cols, rows)
	}
	exec(`INSERT INTO t VALUES (2)`)
	if _, rows := read(); fmt.Sprint(rows) != "[[1] [2]]" {
		t.Errorf("after an insert: %v", rows)
	}
	exec(`CREATE OR REPLACE TABLE t AS SELECT 'x' AS b, 3 AS c`)
	if cols, rows := read(); !slices.Equal(cols, []string{"b", "c"}) || fmt.Sprint(rows) != "[[x 3]]" {
		t.Errorf("after the table was replaced: %v %v", cols, rows)
	}
	// A macro redefined: the rollups' filters are macros (reports_in,
	// level_reports), read with their tables.
	exec(`CREATE MACRO twice(x) AS x * 2`)
	m := `SELECT twice(c) + $1 FROM t`
	if got := scalar(t, s, m, 0); got != int64(6) {
		t.Fatalf("twice(3) = %v", got)
	}
	exec(`CREATE OR REPLACE MACRO twice(x) AS x * 3`)
	if got := scalar(t, s, m, 0); got != int64(9) {
		t.Errorf("after the macro was redefined, twice(3) = %v, want 9", got)
	}
	if prepared(q) != 1 || prepared(m) != 1 {
		t.Errorf("prepared %d and %d times: the changes were not seen through kept statements", prepared(q), prepared(m))
	}
}

// A text DuckDB will not prepare as one statement runs as it did before
// statements were kept, and a failing statement is prepared afresh.
func TestQueryUnpreparedAndFailing(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	res, err := s.Query(ctx, `SELECT 1 AS one; SELECT 2 AS two`)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Columns, []string{"two"}) || fmt.Sprint(res.Rows) != "[[2]]" {
		t.Errorf("two statements: %v %v", res.Columns, res.Rows)
	}
	prepared := countPrepared(t)
	q := `SELECT CAST($1 AS INTEGER) * 2`
	if _, err := s.Query(ctx, q, "x"); err == nil {
		t.Fatal("CAST('x' AS INTEGER): want an error")
	}
	if got := scalar(t, s, q, "21"); got != int64(42) {
		t.Errorf("CAST('21' AS INTEGER) * 2 = %v", got)
	}
	if got := prepared(q); got != 2 {
		t.Errorf("prepared %d times, want 2 (afresh after the error)", got)
	}
	if _, err := s.Query(ctx, `SELECT * FROM no_such_table`); err == nil {
		t.Error("a missing table: want an error")
	}
}

// A connection keeps at most maxStmtsPerConn statements.
func TestQueryKeptStatementsBounded(t *testing.T) {
	s, _ := openTemp(t)
	for i := range maxStmtsPerConn + 10 {
		if got := scalar(t, s, fmt.Sprintf(`SELECT %d + $1`, i), 1); got != int64(i+1) {
			t.Fatalf("SELECT %d + 1 = %v", i, got)
		}
	}
	s.stmts.mu.Lock()
	defer s.stmts.mu.Unlock()
	if len(s.stmts.idle) == 0 {
		t.Fatal("no idle kept connection")
	}
	for _, c := range s.stmts.idle {
		if len(c.stmts) != maxStmtsPerConn {
			t.Errorf("%d statements kept on one connection, want the last %d", len(c.stmts), maxStmtsPerConn)
		}
	}
}

// Many readers at once share the kept connections and the pool, each gets
// its own answer, and closing the store then releases the file.
func TestQueryKeptStatementsConcurrent(t *testing.T) {
	s, path := openTemp(t)
	ctx := t.Context()
	if _, err := s.Put(ctx, genParsed(t, 1, 3)); err != nil {
		t.Fatal(err)
	}
	// Named parameters, as the rollups bind them.
	q := `SELECT count(*), sum(requests_new) FROM reports_in(CAST($year AS INTEGER), CAST($division AS VARCHAR))`
	run := func(y int) (string, error) {
		res, err := s.Query(ctx, q, sql.Named("year", y), sql.Named("division", "371003"))
		if err != nil {
			return "", err
		}
		return fmt.Sprint(res.Rows), nil
	}
	years := []int{2019, 2021, 2023}
	want := map[int]string{}
	for _, y := range years {
		got, err := run(y)
		if err != nil {
			t.Fatal(err)
		}
		want[y] = got
	}
	if want[2019] == want[2021] {
		t.Fatalf("the years answer alike (%s): the test cannot tell them apart", want[2019])
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 24 {
		wg.Go(func() {
			y := years[i%3]
			got, err := run(y)
			if err != nil {
				errs <- err
				return
			}
			if got != want[y] {
				errs <- fmt.Errorf("year %d: %s, want %s", y, got, want[y])
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen after Close: %v", err)
	}
	s2.Close()
}

// A kept connection that database/sql closed while it was lent (txOn drops
// one whose rollback failed) is not lent again.
func TestQueryKeptConnectionClosedMeanwhile(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	c := s.stmts.take(ctx)
	if c == nil {
		t.Fatal("no kept connection to take")
	}
	// What txOn does when ROLLBACK fails: database/sql closes the connection.
	_ = c.conn.Raw(func(any) error { return driver.ErrBadConn })
	s.stmts.give(c, false)
	for i := range 3 {
		if got := scalar(t, s, `SELECT $1::INTEGER + 1`, i); got != int64(i+1) {
			t.Errorf("%d + 1 = %v", i, got)
		}
	}
	s.stmts.mu.Lock()
	defer s.stmts.mu.Unlock()
	if s.stmts.open != len(s.stmts.idle) {
		t.Errorf("%d kept connections counted open, %d idle", s.stmts.open, len(s.stmts.idle))
	}
}
