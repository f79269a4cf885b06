package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/xuri/excelize/v2"

	"gongkai"
	"gongkai/rollup"
	"gongkai/store"
)

// exportStore writes n synthetic reports to a new store and returns its
// path, closed.
func exportStore(t *testing.T, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "g.duckdb")
	s, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	var batch []gongkai.Parsed
	for i := range n {
		r := gongkai.NewReport(gongkai.V2021)
		r.Organization = fmt.Sprintf("文登区第%d镇人民政府", i)
		r.ReportYear = 2023
		r.Body = gongkai.Body{Province: "山东省", City: "威海市", County: "文登区", DivisionCode: "371003", Type: "township_government"}
		for j, c := range r.Cells() {
			if j%5 != 0 {
				r.Set(c.Path(), gongkai.Int(int64(i+j)))
			}
		}
		batch = append(batch, gongkai.Parsed{Report: r, Path: fmt.Sprintf("%d.txt", i), Hash: fmt.Sprintf("%064x", i+1), Rendering: "word_text"})
	}
	if _, err := s.Put(t.Context(), batch); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func runExportCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(t.Context(), args, &Env{Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

func TestExportCommand(t *testing.T) {
	db := exportStore(t, 3)
	dir := t.TempDir()

	pq := filepath.Join(dir, "apps.parquet")
	code, _, stderr := runExportCLI(t, "export", "--db", db, "--table", "applications", "--out", pq)
	if code != 0 {
		t.Fatalf("table export: %d %s", code, stderr)
	}
	st, err := store.OpenReadOnly(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	res, err := st.Query(t.Context(), `SELECT (SELECT count(*) FROM read_parquet($p)), (SELECT count(*) FROM applications),
		(SELECT count(*) FROM read_parquet($p) WHERE value IS NULL), (SELECT count(*) FROM applications WHERE value IS NULL)`,
		namedArg("p", pq))
	if err != nil {
		t.Fatal(err)
	}
	if r := res.Rows[0]; r[0] != r[1] || r[2] != r[3] || r[0] == int64(0) || r[2] == int64(0) {
		t.Errorf("parquet rows/nulls %v, want equal pairs", r)
	}

	// export --query: the rows come out of the sandbox and keep their
	// types (integers, DECIMAL money, nulls).
	qpq := filepath.Join(dir, "q.parquet")
	code, _, stderr = runExportCLI(t, "export", "--db", db, "--query",
		"SELECT report_id, row_key, col_key, value FROM applications ORDER BY ALL", "--out", qpq)
	if code != 0 || !strings.Contains(stderr, "wrote ") {
		t.Fatalf("query export: %d %s", code, stderr)
	}
	res, err = st.Query(t.Context(), `SELECT
		(SELECT count(*) FROM (SELECT report_id, row_key, col_key, value FROM applications
		                       EXCEPT ALL SELECT * FROM read_parquet($p))),
		(SELECT count(*) FROM read_parquet($p)), (SELECT count(*) FROM applications),
		(SELECT typeof(value) FROM read_parquet($p) LIMIT 1), (SELECT typeof(value) FROM applications LIMIT 1)`, namedArg("p", qpq))
	if err != nil {
		t.Fatal(err)
	}
	if r := res.Rows[0]; r[0] != int64(0) || r[1] != r[2] || r[3] != r[4] {
		t.Errorf("query export: missing %v, rows %v of %v, value type %v, want %v", r[0], r[1], r[2], r[3], r[4])
	}

	xl := filepath.Join(dir, "r.xlsx")
	name := rollup.List()[0].Name
	code, _, stderr = runExportCLI(t, "export", "--db", db, "--rollup", name, "--out", xl)
	if code != 0 {
		t.Fatalf("rollup export: %d %s", code, stderr)
	}
	x, err := excelize.OpenFile(xl)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows("data")
	keys, _ := x.GetCols("columns")
	x.Close()
	want, err := rollup.Run(t.Context(), st, name, rollup.Params{})
	if err != nil {
		t.Fatal(err)
	}
	// The header shows official labels (requests_new → 一、本年新收…);
	// the columns sheet keeps every machine key, in order.
	if len(rows) != len(want.Rows)+1 || len(keys) < 2 || strings.Join(keys[1][1:], ",") != strings.Join(want.Columns, ",") {
		t.Errorf("xlsx has %d rows (keys %v), rollup %d rows (%v)", len(rows), keys, len(want.Rows), want.Columns)
	}
	for i, c := range want.Columns {
		label, ok := gongkai.ColumnLabel(c)
		if !ok {
			label = c
		}
		if i >= len(rows[0]) || rows[0][i] != label {
			t.Errorf("header of %s = %q, want %q", c, rows[0], label)
			break
		}
	}

	ds := filepath.Join(dir, "lake")
	code, _, stderr = runExportCLI(t, "export", "--db", db, "--dataset", ds)
	if code != 0 || !strings.Contains(stderr, "hive_partitioning") {
		t.Fatalf("dataset: %d %s", code, stderr)
	}
	res, err = st.Query(t.Context(), `SELECT count(*), min(year), min(province) FROM read_parquet(?, hive_partitioning = true)`,
		filepath.Join(ds, "**", "*.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if r := res.Rows[0]; r[0] != int64(3*(10+25*7+15)) || r[1] != int64(2023) || r[2] != "山东省" {
		t.Errorf("dataset read back %v", r)
	}

	// --out - writes to standard output, never a file named "-"; Arrow
	// needs no build tag.
	code, stdout, stderr := runExportCLI(t, "export", "--db", db, "--table", "applications", "--format", "jsonl", "--out", "-")
	if code != 0 || !strings.Contains(stderr, "standard output") {
		t.Fatalf("jsonl to stdout: %d %s", code, stderr)
	}
	if _, err := os.Stat("-"); err == nil {
		t.Errorf(`a file named "-" was written`)
	}
	code, qout, stderr := runExportCLI(t, "export", "--db", db, "--query", "SELECT 1 AS one, 'x' AS s", "--format", "csv", "--out", "-")
	if code != 0 || qout != "one,s\n1,x\n" {
		t.Errorf("query csv to stdout: %d %q %s", code, qout, stderr)
	}
	if _, err := os.Stat("-"); err == nil {
		t.Errorf(`a file named "-" was written`)
	}
	code, stdout, stderr = runExportCLI(t, "export", "--db", db, "--table", "applications", "--format", "arrows", "--out", "-")
	if code != 0 {
		t.Fatalf("arrows to stdout: %d %s", code, stderr)
	}
	rr, err := ipc.NewReader(strings.NewReader(stdout))
	if err != nil {
		t.Fatal(err)
	}
	var arrowRows int64
	for rr.Next() {
		arrowRows += rr.RecordBatch().NumRows()
	}
	rr.Release()
	apps, err := st.Query(t.Context(), "SELECT count(*) FROM applications")
	if err != nil {
		t.Fatal(err)
	}
	if arrowRows != apps.Rows[0][0].(int64) || arrowRows == 0 {
		t.Errorf("arrows to stdout: %d rows, want %v", arrowRows, apps.Rows[0][0])
	}
	if lines := strings.Count(mustExport(t, db, "jsonl"), "\n"); int64(lines) != arrowRows {
		t.Errorf("jsonl to stdout: %d lines, want %d", lines, arrowRows)
	}

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--table", "reports", "--out", "-"}, 2, "needs --format"},
		{[]string{"--query", "SELECT * FROM read_csv('/etc/passwd')", "--out", filepath.Join(dir, "x.csv")}, 1, "statement refused"},
		{[]string{"--query", "DELETE FROM reports", "--out", filepath.Join(dir, "x.csv")}, 1, "Try:"},
		{[]string{"--table", "reports", "--out", filepath.Join(dir, "x.weird")}, 2, "pass --format"},
		{[]string{"--table", "reports", "--query", "SELECT 1", "--out", "x.csv"}, 2, "exactly one"},
		{[]string{"--table", "nosuch", "--out", filepath.Join(dir, "x.csv")}, 1, "not found"},
		{[]string{"--table", "reports"}, 2, "--out"},
	} {
		code, _, stderr := runExportCLI(t, append([]string{"export", "--db", db}, tc.args...)...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: %d %q, want %d with %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}

// mustExport writes the applications table to standard output in format f.
func mustExport(t *testing.T, db, f string) string {
	t.Helper()
	code, stdout, stderr := runExportCLI(t, "export", "--db", db, "--table", "applications", "--format", f, "--out", "-")
	if code != 0 {
		t.Fatalf("export %s to stdout: %d %s", f, code, stderr)
	}
	return stdout
}

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServeCommand(t *testing.T) {
	db := exportStore(t, 2)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, &Env{Stdout: io.Discard, Stderr: &stderr})
	}()
	re := regexp.MustCompile(`listening on (http://[0-9.:]+)`)
	var base string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(stderr.String()); m != nil {
			base = m[1]
			break
		}
	}
	if base == "" {
		cancel()
		t.Fatalf("serve did not start: %s", stderr.String())
	}
	resp, err := http.Get(base + "/v1/rollups/" + rollup.List()[0].Name + "?format=parquet")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.HasPrefix(body, []byte("PAR1")) {
		t.Errorf("parquet rollup: %d %q", resp.StatusCode, body[:min(len(body), 80)])
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d: %s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop on cancel")
	}
	if !strings.Contains(stderr.String(), "status=200") {
		t.Errorf("no request log: %s", stderr.String())
	}

	code, _, errs := runExportCLI(t, "serve", "--db", filepath.Join(t.TempDir(), "none.duckdb"))
	if code != 2 || !strings.Contains(errs, "no database") {
		t.Errorf("missing db: %d %s", code, errs)
	}
}

func namedArg(name string, v any) any { return sql.Named(name, v) }

// TestExportCSVForExcel checks a CSV file meant for people starts with
// the UTF-8 byte-order mark and round-trips (the mark removed, every field
// equal to the store's rows, Chinese intact), and that a CSV stream and
// --bom=false have none.
func TestExportCSVForExcel(t *testing.T) {
	db := exportStore(t, 2)
	out := filepath.Join(t.TempDir(), "reports.csv")
	q := "SELECT organization, report_year FROM reports ORDER BY organization"
	if code, _, stderr := runExportCLI(t, "export", "--db", db, "--table", "reports", "--out", out); code != 0 {
		t.Fatalf("export: %d %s", code, stderr)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")) {
		t.Fatalf("no byte-order mark: % x", raw[:8])
	}
	recs, err := csv.NewReader(bytes.NewReader(raw[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.OpenReadOnly(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	want, err := st.Query(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, c := range recs[0] {
		col[c] = i
	}
	var got [][]string
	for _, r := range recs[1:] {
		got = append(got, []string{r[col["organization"]], r[col["report_year"]]})
	}
	slices.SortFunc(got, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
	if len(got) != len(want.Rows) || len(got) != 2 {
		t.Fatalf("%d rows, want %d", len(got), len(want.Rows))
	}
	for i, r := range want.Rows {
		if got[i][0] != r[0] || got[i][1] != fmt.Sprint(r[1]) || !strings.Contains(got[i][0], "文登区") {
			t.Errorf("row %d: %v, want %v", i, got[i], r)
		}
	}
	// DuckDB reads the file back with the mark skipped: same header.
	res, err := st.Query(t.Context(), "SELECT * FROM read_csv(?, header = true) LIMIT 0", out)
	if err != nil {
		t.Fatal(err)
	}
	if res.Columns[0] != recs[0][0] {
		t.Errorf("DuckDB reads the first column as %q, want %q", res.Columns[0], recs[0][0])
	}

	// No mark on standard output or with --bom=false; a mark with --bom on stdout.
	for _, c := range []struct {
		args []string
		bom  bool
	}{
		{[]string{"--format", "csv", "--out", "-"}, false},
		{[]string{"--format", "csv", "--out", "-", "--bom"}, true},
	} {
		code, stdout, stderr := runExportCLI(t, append([]string{"export", "--db", db, "--table", "reports"}, c.args...)...)
		if code != 0 || strings.HasPrefix(stdout, "\xef\xbb\xbf") != c.bom {
			t.Errorf("%v: exit %d, mark %v, want %v: %s", c.args, code, strings.HasPrefix(stdout, "\xef\xbb\xbf"), c.bom, stderr)
		}
	}
	plain := filepath.Join(t.TempDir(), "plain.csv")
	if code, _, stderr := runExportCLI(t, "export", "--db", db, "--table", "reports", "--bom=false", "--out", plain); code != 0 {
		t.Fatalf("--bom=false: %d %s", code, stderr)
	}
	if b, _ := os.ReadFile(plain); bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) || len(b) != len(raw)-3 {
		t.Errorf("--bom=false: %d bytes, with mark %d", len(b), len(raw))
	}
}
