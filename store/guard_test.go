package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/google/go-cmp/cmp"

	"gongkai"
)

// exportFixture builds a store of n synthetic reports (2021 layout) over
// two years and three provinces, one of them unknown (NULL), and returns
// its path, closed. Cell values follow a formula, some are left null and
// the active section carries money with six fraction digits, so a test can
// tell integers, decimals and nulls apart after a round trip.
func exportFixture(t *testing.T, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "store.duckdb")
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	provinces := []string{"浙江省", "广东省", ""}
	var batch []gongkai.Parsed
	for i := range n {
		r := gongkai.NewReport(gongkai.V2021)
		r.Organization = fmt.Sprintf("测试区第%d街道办事处", i)
		r.ReportYear = 2022 + i%2
		r.Body = gongkai.Body{Province: provinces[i%3], County: "测试区", Type: "street_office"}
		for j, c := range r.Cells() {
			var v gongkai.Num
			switch {
			case (i+j)%7 == 0: // left null: not stated
			case c.Section == gongkai.SecActive:
				v = gongkai.FromMicros(int64(i*1_000_000+j*1_234_567) + 123_456)
			default:
				v = gongkai.Int(int64(i*100 + j))
			}
			if err := r.Set(c.Path(), v); err != nil {
				t.Fatal(err)
			}
		}
		batch = append(batch, gongkai.Parsed{Report: r, Path: fmt.Sprintf("r%d.txt", i),
			Hash: fmt.Sprintf("%064x", i+1), Rendering: "word_text"})
	}
	if _, err := s.Put(t.Context(), batch); err != nil {
		t.Fatalf("Put: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func openRO(t *testing.T, path string) *Store {
	t.Helper()
	s, err := OpenReadOnly(t.Context(), path)
	if err != nil {
		t.Fatalf("OpenReadOnly: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// guarded runs q in a fresh Guard on the store file path, as a sandbox
// worker does (without the worker's process limits, which package query
// tests).
func guarded(t *testing.T, path, q string, maxRows int) (*gongkai.Result, error) {
	t.Helper()
	g, err := OpenGuard(t.Context(), path, GuardConfig{MemoryLimit: "256MB", Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if maxRows == 0 {
		maxRows = 10_000
	}
	return g.Query(t.Context(), q, maxRows, 0)
}

func TestGuardAllowsReads(t *testing.T) {
	path := exportFixture(t, 3)
	for _, tc := range []struct {
		q        string
		wantRows int
	}{
		{"SELECT count(*) FROM reports", 1},
		{"WITH x AS (SELECT report_id FROM reports) SELECT * FROM x", 3},
		{"FROM reports SELECT organization", 3},
		{"SELECT organization FROM reports;", 3},
		{"DESCRIBE reports", -1},
		{"SHOW TABLES", -1},
		{"SUMMARIZE reports", -1},
		{"EXPLAIN SELECT * FROM reports", -1},
		{"/* why */ EXPLAIN ANALYZE SELECT count(*) FROM applications", -1},
		{"EXPLAIN (FORMAT json) SELECT 1", -1},
		{"PRAGMA table_info('reports')", -1}, // DuckDB rewrites it into a SELECT
		{"SELECT * FROM applications WHERE value IS NULL LIMIT 5", 5},
	} {
		res, err := guarded(t, path, tc.q, 0)
		if err != nil {
			t.Errorf("%s: %v", tc.q, err)
			continue
		}
		if tc.wantRows >= 0 && len(res.Rows) != tc.wantRows {
			t.Errorf("%s: %d rows, want %d", tc.q, len(res.Rows), tc.wantRows)
		}
		if tc.wantRows < 0 && len(res.Rows) == 0 {
			t.Errorf("%s: no rows", tc.q)
		}
	}
	res, err := guarded(t, path, "SELECT count(*) AS n, CAST(NULL AS BIGINT) AS z FROM reports", 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows[0][0] != int64(3) || res.Rows[0][1] != nil || res.Columns[0] != "n" || res.Types[0] != "BIGINT" {
		t.Errorf("result %+v", res)
	}
}

func TestGuardRefuses(t *testing.T) {
	path := exportFixture(t, 1)
	for _, tc := range []struct {
		name, q string
		want    string // in the message
	}{
		{"read_csv", "SELECT * FROM read_csv('/etc/passwd')", "reads a file"},
		{"read_text", "SELECT * FROM read_text('/etc/passwd')", "reads a file"},
		{"read_text scalar", "SELECT content FROM read_text('/etc/hostname')", "reads a file"},
		{"glob", "SELECT * FROM glob('/etc/*')", "reads a file"},
		{"dotdot", "SELECT * FROM read_parquet('../../x.parquet')", "reads a file"},
		{"dotdot csv", "SELECT * FROM 'data/../../../etc/passwd.csv'", "reads a file"},
		{"copy to", "COPY reports TO '/tmp/gongkai-guard-test.csv'", "reads a file"},
		{"copy query to", "COPY (SELECT 1) TO 'out.parquet' (FORMAT parquet)", "reads a file"},
		{"export db", "EXPORT DATABASE '/tmp/gongkai-guard-export'", "reads a file"},
		{"attach", "ATTACH '/tmp/other.duckdb' AS o", "ATTACH"},
		{"detach", "DETACH store", "DETACH"},
		{"install", "INSTALL httpfs", "INSTALL/LOAD"},
		{"load", "LOAD httpfs", "INSTALL/LOAD"},
		{"set", "SET threads = 64", "SET"},
		{"set memory", "SET memory_limit = '100GB'", "SET"},
		{"reset", "RESET enable_external_access", "SET"},
		{"pragma", "PRAGMA enable_profiling", ""},
		{"pragma set", "PRAGMA threads = 8", ""},
		{"use", "USE memory", "SET"},
		{"create", "CREATE TABLE x (a INT)", "CREATE"},
		{"create in memory", "CREATE TABLE memory.x (a INT)", "CREATE"},
		{"create view", "CREATE VIEW v AS SELECT 1", "CREATE"},
		{"insert", "INSERT INTO reports SELECT * FROM reports", "INSERT"},
		{"update", "UPDATE reports SET organization = 'x'", "UPDATE"},
		{"delete", "DELETE FROM reports", "DELETE"},
		{"drop", "DROP TABLE reports", "DROP"},
		{"call", "CALL pragma_version()", "CALL"},
		{"checkpoint", "CHECKPOINT", ""},
		{"transaction", "BEGIN TRANSACTION", "transaction"},
		{"two statements", "SELECT 1; SELECT 2", "several statements"},
		{"select then delete", "SELECT 1; DELETE FROM reports", "several statements"},
		{"explain analyze delete", "EXPLAIN ANALYZE DELETE FROM reports", "read-only"},
		{"explain analyze copy", "EXPLAIN ANALYZE COPY (SELECT 1) TO '/tmp/x.csv'", ""},
		{"copy to the store", "COPY (SELECT 1) TO '" + path + "'", "disabled"},
		{"read the store", "SELECT * FROM read_blob('" + path + "')", "disabled"},
		{"copy to the wal", "COPY (SELECT 1) TO '" + path + ".wal'", "disabled"},
		{"read_blob", "SELECT * FROM read_blob('/etc/hostname')", "reads a file"},
		{"http", "SELECT * FROM read_csv('https://example.com/x.csv')", ""},
		{"sniff", "SELECT * FROM sniff_csv('/etc/passwd')", "Permission"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := guarded(t, path, tc.q, 0)
			if !errors.Is(err, gongkai.ErrRefused) {
				t.Fatalf("%s: err = %v, want ErrRefused", tc.q, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: message %q lacks %q", tc.q, err, tc.want)
			}
			if gongkai.HintOf(err) == "" {
				t.Errorf("%s: no hint", tc.q)
			}
		})
	}
	// query() runs a SQL string, but DuckDB takes only a SELECT there.
	for _, q := range []string{
		"SELECT * FROM query('DELETE FROM reports')",
		"SELECT * FROM query('ATTACH ''/tmp/gongkai-q.duckdb''')",
		"SELECT * FROM query('COPY (SELECT 1) TO ''/tmp/gongkai-q.csv''')",
	} {
		if _, err := guarded(t, path, q, 0); !errors.Is(err, gongkai.ErrRefused) && !errors.Is(err, ErrBadQuery) {
			t.Errorf("%s: %v", q, err)
		}
	}
	for _, f := range []string{"/tmp/gongkai-q.duckdb", "/tmp/gongkai-q.csv", "/tmp/gongkai-guard-test.csv"} {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("%s was written", f)
		}
	}
	// The store is unchanged and no file was written.
	res, err := guarded(t, path, "SELECT count(*) FROM reports", 0)
	if err != nil || res.Rows[0][0] != int64(1) {
		t.Fatalf("after refusals: %v %v", res, err)
	}
	if _, err := guarded(t, path, "SELEC 1", 0); !errors.Is(err, ErrBadQuery) || errors.Is(err, gongkai.ErrRefused) {
		t.Errorf("syntax error: %v, want ErrBadQuery", err)
	}
	if _, err := guarded(t, path, "SELECT * FROM nosuch", 0); !errors.Is(err, ErrBadQuery) {
		t.Errorf("unknown table: %v, want ErrBadQuery", err)
	}
}

func TestGuardInterruptsAtDeadline(t *testing.T) {
	path := exportFixture(t, 1)
	g, err := OpenGuard(t.Context(), path, GuardConfig{MemoryLimit: "256MB", Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	_, err = g.Query(ctx, "SELECT count(*) FROM range(1000000000) a, range(1000000) b WHERE a.range + b.range = -1", 10, 0)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
}

func TestGuardRowCap(t *testing.T) {
	path := exportFixture(t, 1)
	res, err := guarded(t, path, "SELECT range AS i FROM range(20000)", 10_000)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 10_000 || !res.Truncated {
		t.Fatalf("rows = %d truncated = %v, want 10000 true", len(res.Rows), res.Truncated)
	}
	if res.Rows[9999][0] != int64(9999) {
		t.Errorf("last row = %v", res.Rows[9999])
	}
	res, err = guarded(t, path, "SELECT range AS i FROM range(100)", 100)
	if err != nil || len(res.Rows) != 100 || res.Truncated {
		t.Fatalf("exact cap: %d rows truncated=%v err=%v", len(res.Rows), res.Truncated, err)
	}

	g, err := OpenGuard(t.Context(), path, GuardConfig{MemoryLimit: "256MB", Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	var buf bytes.Buffer
	trunc, err := g.Arrow(t.Context(), "SELECT range AS i FROM range(20000)", 10_000, 0, &buf)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ipc.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Release()
	var n int64
	for r.Next() {
		n += r.RecordBatch().NumRows()
	}
	if n != 10_000 || !trunc {
		t.Errorf("arrow rows = %d truncated = %v", n, trunc)
	}
	if _, err := g.Arrow(t.Context(), "DELETE FROM reports", 10, 0, &buf); !errors.Is(err, gongkai.ErrRefused) {
		t.Errorf("arrow delete: %v", err)
	}
	// The byte cap.
	if _, err := g.Query(t.Context(), "SELECT repeat('x', 1000) FROM range(5000)", 10_000, 1<<20); !errors.Is(err, ErrOutOfMemory) {
		t.Errorf("byte cap: %v", err)
	}
	if _, err := g.Arrow(t.Context(), "SELECT repeat('x', 1000) FROM range(5000)", 10_000, 1<<20, io.Discard); !errors.Is(err, ErrOutOfMemory) {
		t.Errorf("arrow byte cap: %v", err)
	}
}

// The Guard and Query give the same
// plain values (a UUID as its string, DECIMAL as gongkai.Num, lists,
// structs), and the shared views and macro of schema 0003 work under the
// guard too.
func TestGuardedValuesAreQueryValues(t *testing.T) {
	path := exportFixture(t, 3)
	s := openRO(t, path)
	q := `SELECT CAST('00000000-0000-0000-0000-00000000002a' AS UUID) AS u,
	             CAST(1.5 AS DECIMAL(18,6)) AS d, [1, 2] AS l, {'a': 1} AS st,
	             (SELECT count(*) FROM report_measures) AS measures,
	             (SELECT count(*) FROM rollup_bodies(NULL, '测试区')) AS bodies`
	want, err := s.Query(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	got, err := guarded(t, path, q, 0)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the Guard differs from Query (-Query +Guard):\n%s", diff)
	}
	if u := got.Rows[0][0]; u != "00000000-0000-0000-0000-00000000002a" {
		t.Errorf("UUID = %#v, want its string", u)
	}
	if got.Rows[0][4] != int64(3) || got.Rows[0][5] != int64(3) {
		t.Errorf("report_measures / rollup_bodies rows = %v, %v, want 3, 3", got.Rows[0][4], got.Rows[0][5])
	}
}
