package query_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai"
	"gongkai/cli"
	"gongkai/query"
	"gongkai/serve"
	"gongkai/store"
)

// outcome is what a hostile statement may come to.
type outcome int

const (
	// refused: the sandbox refuses it (gongkai.ErrRefused; HTTP 403).
	refused outcome = iota
	// failed: any bounded error — refused, invalid, timed out or over the
	// memory limit (HTTP 400, 403, 413 or 422), never a success.
	failed
	// bounded: it may even succeed (a trick that DuckDB reads as a plain
	// SELECT); what matters is that nothing escapes and it ends in time.
	bounded
)

type hostile struct {
	class string
	sql   string
	want  outcome
}

// hostileStatements returns the suite: every class of attack the issue
// names, written against the store at db, the marker folder mark (which
// must stay empty) and the store's write-ahead log path.
func hostileStatements(db, mark string) []hostile {
	q := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	var hs []hostile
	add := func(class string, want outcome, sqls ...string) {
		for _, s := range sqls {
			hs = append(hs, hostile{class, s, want})
		}
	}
	targets := []string{"/etc/passwd", "/etc/shadow", db, db + ".wal", "/proc/self/environ", "/proc/self/fd/3",
		"../../../../etc/hostname", filepath.Join(mark, "x.csv")}
	// File readers, on every target.
	for _, f := range []string{"read_csv", "read_csv_auto", "read_parquet", "read_json", "read_json_auto",
		"read_ndjson", "read_text", "read_blob", "glob", "sniff_csv", "parquet_metadata", "parquet_schema"} {
		for _, t := range targets[:5] {
			add("file reader", failed, fmt.Sprintf("SELECT * FROM %s(%s)", f, q(t)))
		}
	}
	for _, t := range targets {
		add("replacement scan", failed, "SELECT * FROM "+q(t), "FROM "+q(t+".parquet"), "SELECT * FROM "+q(t+".csv")+" LIMIT 1")
	}
	add("remote reader", failed,
		"SELECT * FROM read_csv('https://example.com/x.csv')",
		"SELECT * FROM 's3://bucket/x.parquet'",
		"SELECT * FROM read_parquet('http://127.0.0.1:1/x.parquet')",
		"SELECT * FROM read_text('file:///etc/passwd')")
	// Writers.
	for _, t := range []string{db, db + ".wal", filepath.Join(mark, "out.csv"), "pwned.csv", "/tmp/gongkai-hostile.csv"} {
		add("COPY", refused,
			"COPY reports TO "+q(t),
			"COPY (SELECT 1) TO "+q(t)+" (FORMAT parquet)",
			"COPY (SELECT 1) TO "+q(t)+" (FORMAT json)",
			"COPY reports FROM "+q(t))
	}
	add("EXPORT/IMPORT", refused,
		"EXPORT DATABASE "+q(filepath.Join(mark, "exp")),
		"EXPORT DATABASE "+q(filepath.Join(mark, "exp"))+" (FORMAT parquet)",
		"IMPORT DATABASE "+q(mark),
		"COPY FROM DATABASE store TO memory")
	add("ATTACH/DETACH/USE", refused,
		"ATTACH "+q(db)+" AS again",
		"ATTACH "+q(db)+" AS rw (READ_WRITE)",
		"ATTACH "+q(filepath.Join(mark, "new.duckdb"))+" AS n",
		"ATTACH ':memory:' AS m",
		"ATTACH 'md:' AS md",
		"DETACH store",
		"DETACH DATABASE IF EXISTS store",
		"USE memory",
		"USE system")
	add("INSTALL/LOAD", refused,
		"INSTALL httpfs",
		"FORCE INSTALL httpfs",
		"INSTALL spatial FROM community",
		"INSTALL httpfs FROM 'http://127.0.0.1:1'",
		"LOAD httpfs",
		"LOAD "+q(filepath.Join(mark, "evil.duckdb_extension")),
		"LOAD '/tmp/evil.duckdb_extension'")
	add("SET/RESET", refused,
		"SET enable_external_access = true",
		"SET disabled_filesystems = ''",
		"SET lock_configuration = false",
		"RESET lock_configuration",
		"SET memory_limit = '100GB'",
		"SET threads = 64",
		"SET temp_directory = "+q(mark),
		"SET GLOBAL allowed_directories = ['/']",
		"SET allowed_paths = ['/etc/shadow']",
		"SET autoinstall_known_extensions = true",
		"SET profiling_output = "+q(filepath.Join(mark, "prof.json")),
		"SET log_query_path = "+q(filepath.Join(mark, "log.txt")),
		"SET VARIABLE q = 'COPY (SELECT 1) TO ''x.csv'''",
		"SET search_path = 'memory'",
		"SET schema = 'main'")
	add("PRAGMA", refused,
		"PRAGMA enable_profiling",
		"PRAGMA enable_profiling = 'json'",
		"PRAGMA profiling_output = "+q(filepath.Join(mark, "p.json")),
		"PRAGMA memory_limit = '10GB'",
		"PRAGMA threads = 8",
		"PRAGMA enable_checkpoint_on_shutdown",
		"PRAGMA force_checkpoint",
		"PRAGMA disable_optimizer")
	add("write statements", refused,
		"CREATE TABLE t AS SELECT 1",
		"CREATE TEMP TABLE t AS SELECT 1",
		"CREATE TABLE memory.t (a INT)",
		"CREATE OR REPLACE VIEW reports AS SELECT 1",
		"CREATE MACRO m(x) AS x",
		"CREATE SEQUENCE s",
		"CREATE TYPE mood AS ENUM ('a')",
		"CREATE INDEX i ON reports (report_id)",
		"INSERT INTO reports SELECT * FROM reports",
		"INSERT OR REPLACE INTO reports SELECT * FROM reports",
		"UPDATE reports SET organization = 'x'",
		"DELETE FROM reports",
		"TRUNCATE reports",
		"DROP TABLE reports",
		"DROP VIEW IF EXISTS report_bodies",
		"ALTER TABLE reports RENAME TO r",
		"ALTER TABLE reports ADD COLUMN x INT",
		"CHECKPOINT",
		"FORCE CHECKPOINT",
		"VACUUM",
		"ANALYZE",
		"BEGIN TRANSACTION",
		"COMMIT",
		"ROLLBACK",
		"PREPARE p AS SELECT 1",
		"DEALLOCATE p",
		"CALL pragma_version()",
		"CALL checkpoint()",
		"UPDATE reports SET organization = organization RETURNING *")
	// DuckDB fails these before their type is known (no such prepared
	// statement, no s3 secret type without httpfs, RESET ALL unsupported).
	add("write statements", failed,
		"RESET ALL",
		"EXECUTE p",
		"CREATE SECRET s (TYPE s3, KEY_ID 'x', SECRET 'y')",
		"CREATE PERSISTENT SECRET s (TYPE s3, KEY_ID 'x', SECRET 'y')")
	add("multi-statement", refused,
		"SELECT 1; SELECT 2",
		"SELECT 1; DELETE FROM reports",
		"SELECT 1;COPY (SELECT 1) TO "+q(db),
		"SELECT 1; /* x */ ATTACH "+q(db)+" AS a",
		"SELECT 1 -- x\n; DROP TABLE reports",
		"SELECT 1;\r\nSET enable_external_access = true",
		"SELECT 1; SELECT 2; SELECT 3",
		";;SELECT 1;;DELETE FROM reports",
		"WITH x AS (SELECT 1) SELECT * FROM x; CHECKPOINT",
		"SELECT ';'; DELETE FROM reports",
		"SELECT $$;$$; DELETE FROM reports",
		"SELECT 1 /* ; */ ; DROP TABLE reports")
	// Comment and white-space tricks: DuckDB's reading is the only one,
	// so each of them is refused, fails, or is the harmless SELECT DuckDB
	// sees.
	add("comment tricks", failed,
		"/* /* */ SELECT 1 */ COPY (SELECT 1) TO "+q(db),
		"/* /* nested */ */ COPY reports TO "+q(db),
		"/* */ EXPLAIN /* /* */ */ COPY (SELECT 1) TO "+q(db),
		"EXPLAIN /* /* */ SELECT 1 */ COPY (SELECT 1) TO "+q(db),
		"EXPLAIN ANALYZE /* /* */ */ COPY (SELECT 1) TO "+q(db),
		"-- comment\rCOPY (SELECT 1) TO "+q(db),
		"--\rDELETE FROM reports",
		"EXPLAIN -- x\rANALYZE COPY (SELECT 1) TO "+q(db),
		"EXPLAIN ANALYZE -- x\rDELETE FROM reports",
		"/**/COPY/**/reports/**/TO/**/"+q(db),
		"\ufeffCOPY (SELECT 1) TO "+q(db),
		"\u00a0COPY (SELECT 1) TO "+q(db),
		"\fCOPY (SELECT 1) TO "+q(db),
		"\vDELETE FROM reports",
		"COPY\t(SELECT 1)\nTO\r"+q(db),
		"/* unterminated COPY (SELECT 1) TO "+q(db),
		"SELECT 1 /* */ ; /* */ DELETE FROM reports /* */",
		"EXPLAIN ANALYZE DELETE FROM reports",
		"EXPLAIN ANALYZE INSERT INTO reports SELECT * FROM reports",
		"EXPLAIN ANALYZE COPY (SELECT 1) TO "+q(db),
		"EXPLAIN ANALYZE COPY reports TO "+q(filepath.Join(mark, "e.csv")),
		"EXPLAIN ANALYZE SET enable_external_access = true",
		"EXPLAIN ANALYZE ATTACH "+q(db)+" AS a",
		"EXPLAIN ANALYZE CREATE TABLE t AS SELECT 1",
		"EXPLAIN ANALYZE EXPORT DATABASE "+q(mark),
		"EXPLAIN (FORMAT json) COPY (SELECT 1) TO "+q(db),
		"EXPLAIN ANALYZE (SELECT 1); DELETE FROM reports",
		"COPY (SELECT 1) TO "+q(db)+" -- SELECT",
		"EXPLAIN ANALYZE SELECT * FROM read_text("+q(db)+")")
	add("comment tricks that read", bounded,
		"/* /* */ COPY (SELECT 1) TO 'x' */ SELECT 1",
		"-- x\nSELECT 1",
		"SELECT 1 -- ; DELETE FROM reports",
		"SELECT 1 /* ; DELETE FROM reports */",
		"EXPLAIN SELECT 1",
		"EXPLAIN ANALYZE SELECT count(*) FROM reports",
		"EXPLAIN (FORMAT json) SELECT 1",
		"/* /* /* */ */ */ SELECT 'deep'",
		"SELECT path FROM duckdb_databases()",
		"SELECT * FROM duckdb_extensions()",
		"SELECT * FROM pragma_database_list()",
		"PRAGMA table_info('reports')",
		"SELECT current_setting('enable_external_access'), current_setting('lock_configuration')",
		"SELECT * FROM duckdb_secrets()",
		// The driver hands DuckDB a C string: it ends at the NUL.
		"SELECT 1\x00; DROP TABLE reports")
	// query() runs SQL text that may depend on settings or values: it
	// binds in the same locked, file-less instance.
	add("query()", failed,
		"SELECT * FROM query('COPY (SELECT 1) TO "+strings.ReplaceAll(q(db), "'", "''")+"')",
		"SELECT * FROM query('DELETE FROM reports')",
		"SELECT * FROM query('SELECT * FROM read_text(''/etc/shadow'')')",
		"SELECT * FROM query(concat('SELECT * FROM read_', 'text(''/etc/shadow'')'))",
		"SELECT * FROM query('SELECT * FROM read_csv(' || quote(current_setting('home_directory') || '/.bashrc') || ')')",
		"SELECT * FROM query(getvariable('q'))",
		"SELECT * FROM query('ATTACH ''/tmp/x.duckdb''')",
		"SELECT * FROM query('SET enable_external_access = true')",
		"SELECT * FROM query('SELECT 1; DELETE FROM reports')",
		"SELECT * FROM query_table('read_text')",
		"SELECT * FROM query((SELECT 'SELECT * FROM read_blob(''/etc/passwd'')'))",
		"SELECT * FROM query('INSTALL httpfs')")
	// CPU bombs DuckDB cannot interrupt inside one value, or runs long.
	add("CPU bomb", failed,
		"SELECT levenshtein(repeat('a', 200000), repeat('b', 200000))",
		"SELECT damerau_levenshtein(repeat('a', 60000), repeat('b', 60000))",
		"SELECT jaro_winkler_similarity(repeat('ab', 300000), repeat('ba', 300000))",
		"SELECT sum(levenshtein(repeat('a', 30000) || x, repeat('b', 30000))) FROM range(8) t(x)",
		"SELECT count(*) FROM range(1000000000000) t(x)",
		"SELECT count(*) FROM range(100000000) a, range(100000000) b",
		"WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r",
		"SELECT md5(repeat('a', 1000000000))",
		"SELECT sha256(repeat(repeat('a', 100000), 10000))",
		"SELECT list_sort(range(200000000))",
		"SELECT count(*) FROM range(10000000) a JOIN range(10000000) b ON a.range % 7 = b.range % 7",
		"SELECT max(hamming(repeat('a', 1000000), repeat('b', 999999) || (x % 10)::VARCHAR)) FROM range(100000) t(x)",
		"SELECT regexp_matches(repeat('a', 100000000), '(a|aa)*c')",
		"SELECT string_agg(md5(x::VARCHAR), '') FROM range(1000000000) t(x)")
	// Memory bombs DuckDB does not count against its memory limit.
	add("memory bomb", failed,
		"SELECT length(repeat('x', 2000000000))",
		"SELECT repeat('x', 100000000) FROM range(40)",
		"SELECT length(repeat(repeat('x', 100000), 100000))",
		"SELECT len(range(1000000000))",
		"SELECT len(list(x)) FROM range(1000000000) t(x)",
		"SELECT length(string_agg(repeat('x', 1000), '')) FROM range(10000000)",
		"SELECT len(array_agg(repeat('y', 100))) FROM range(100000000)",
		"SELECT lpad('x', 2000000000, 'y')",
		"SELECT length(printf('%0200000000d', 1))",
		"SELECT len(list_concat(range(300000000), range(300000000)))",
		"SELECT len([x for x in range(500000000)])",
		"SELECT length(array_to_string(range(300000000), ','))",
		"SELECT cardinality(map(range(100000000), range(100000000)))",
		"SELECT len(string_split(repeat('a,', 500000000), ','))",
		"SELECT length(repeat('x', 50000000) || repeat('y', 50000000)) FROM range(100)",
		"SELECT repeat('z', 5000000) AS big FROM range(10000)")
	return hs
}

// hostileDB makes a store with one report and returns its path.
func hostileDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hostile.duckdb")
	st, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	r := gongkai.NewReport(gongkai.V2021)
	r.Organization, r.ReportYear = "测试区人民政府", 2023
	r.Body = gongkai.Body{Province: "山东省", County: "测试区", Type: "district_government"}
	for i, c := range r.Cells() {
		if err := r.Set(c.Path(), gongkai.Int(int64(i))); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.Put(t.Context(), []gongkai.Parsed{{Report: r, Path: "r.txt", Hash: strings.Repeat("a", 64), Rendering: "word_text"}}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// folderState hashes every file in dir (name and bytes).
func folderState(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		fmt.Fprintf(h, "%s\x00", e.Name())
		if e.Type().IsRegular() {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			h.Write(b)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// The hostile-SQL suite: every statement through `gongkai query` and
// POST /v1/query (and many through `gongkai export --query`) (serve --live, so workers read the store file itself),
// each refused or ended by a bounded error in time; afterwards the store's
// bytes, its folder, the marker folder and the working folder are as
// before, and serve still answers. The limits are small for bombs (1 s,
// 128MB of DuckDB memory) so the suite stays short on two cores.
func TestHostileSQL(t *testing.T) {
	if testing.Short() {
		t.Skip("hostile-SQL suite: not in -short")
	}
	db := hostileDB(t)
	mark := t.TempDir()
	cwd, _ := os.Getwd()
	before := map[string]string{"store folder": folderState(t, filepath.Dir(db)), "marker folder": folderState(t, mark),
		"working folder": folderState(t, cwd), "/tmp": tmpNames(t)}
	statements := hostileStatements(db, mark)
	if len(statements) < 200 {
		t.Fatalf("only %d statements; the suite promises at least 200", len(statements))
	}
	// Bombs get 1 s, so the suite stays short; the rest the default 5 s,
	// so that a loaded machine (a worker slow to open the store) cannot
	// turn a refusal into a time-out. hang is generous too: it catches a
	// statement that is not stopped, not the exact latency
	// (scripts/sandbox-load measures that).
	const bombLimit, hang = time.Second, 4 * time.Second

	srv, err := serve.New(context.Background(), serve.Config{DB: db, Live: true, MaxQueries: 2,
		// Each statement is a client of its own (see post): the suite tests
		// the sandbox, TestQueryFlood in serve the sharing of workers.
		ClientHeader: "X-Hostile-Client",
		Limits:       query.Limits{MemoryLimit: "128MB", Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer func() {
		ts.Close()
		srv.Close()
	}()

	// Healthy requests keep being answered while the suite runs.
	stopHealth := make(chan struct{})
	var healthWG sync.WaitGroup
	var healthMu sync.Mutex
	var healthFails []string
	healthWG.Add(1)
	go func() {
		defer healthWG.Done()
		for {
			select {
			case <-stopHealth:
				return
			case <-time.After(200 * time.Millisecond):
			}
			for _, u := range []string{"/healthz", "/v1/reports?limit=1"} {
				resp, err := http.Get(ts.URL + u)
				if err != nil || resp.StatusCode != 200 {
					healthMu.Lock()
					healthFails = append(healthFails, fmt.Sprintf("%s: %v %v", u, err, resp))
					healthMu.Unlock()
				}
				if resp != nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}
		}
	}()

	var mu sync.Mutex
	slowest := map[string]time.Duration{}
	slowestSQL := map[string]string{}
	note := func(path string, d time.Duration, sql string) {
		mu.Lock()
		defer mu.Unlock()
		if d > slowest[path] {
			slowest[path], slowestSQL[path] = d, sql
		}
	}
	classes := map[string]int{}
	for _, h := range statements {
		classes[h.class]++
	}
	t.Logf("%d statements in %d classes: %v", len(statements), len(classes), classes)

	// Four statements at a time: most of the suite waits on deadlines, not
	// on the two cores.
	next := make(chan int)
	var runners sync.WaitGroup
	for range 4 {
		runners.Add(1)
		go func() {
			defer runners.Done()
			for i := range next {
				h := statements[i]
				t.Run(fmt.Sprintf("%03d_%s", i, strings.ReplaceAll(h.class, " ", "_")), func(t *testing.T) {
					limit := query.DefaultTimeout
					if strings.HasSuffix(h.class, "bomb") {
						limit = bombLimit
					}
					runHostile(t, i, h, db, ts.URL, limit, limit+hang, note)
				})
			}
		}()
	}
	for i := range statements {
		next <- i
	}
	close(next)
	runners.Wait()
	close(stopHealth)
	healthWG.Wait()
	for _, p := range []string{"CLI", "export", "HTTP"} {
		t.Logf("slowest %s answer: %v (%.70q)", p, slowest[p], slowestSQL[p])
	}
	for _, f := range healthFails {
		t.Errorf("healthy request failed during the suite: %s", f)
	}

	// Nothing escaped.
	after := map[string]string{"store folder": folderState(t, filepath.Dir(db)), "marker folder": folderState(t, mark),
		"working folder": folderState(t, cwd), "/tmp": tmpNames(t)}
	for k, v := range before {
		if after[k] != v {
			t.Errorf("the %s changed during the suite", k)
		}
	}
	// serve still answers, and the store still reads the same.
	status, body := post(t, ts.URL, "SELECT count(*) AS n FROM reports", query.DefaultTimeout)
	if status != 200 || !strings.Contains(body, `"rows":[[1]]`) {
		t.Errorf("after the suite: %d %s", status, body)
	}
	res, err := query.Run(t.Context(), db, "SELECT organization FROM reports", query.Limits{})
	if err != nil || len(res.Rows) != 1 || res.Rows[0][0] != "测试区人民政府" {
		t.Errorf("after the suite: %v %v", res, err)
	}
	if _, err := query.Run(t.Context(), db, "DELETE FROM reports", query.Limits{}); !errors.Is(err, gongkai.ErrRefused) {
		t.Errorf("DELETE after the suite: %v", err)
	}
}

// tmpNames lists the names in the system's temporary folder that a
// hostile statement above could create.
func tmpNames(t *testing.T) string {
	var names []string
	for _, n := range []string{"gongkai-hostile.csv", "x.duckdb", "evil.duckdb_extension", "x.csv"} {
		if _, err := os.Stat(filepath.Join(os.TempDir(), n)); err == nil {
			names = append(names, n)
		}
	}
	return strings.Join(names, ",")
}

func post(t *testing.T, url, sql string, limit time.Duration) (int, string) {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"sql": sql, "timeout_ms": limit.Milliseconds()})
	req, err := http.NewRequest("POST", url+"/v1/query", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Hostile-Client", fmt.Sprintf("%x", sha256.Sum256([]byte(sql))))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Errorf("POST %q: %v", sql, err)
		return 0, ""
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// env is the CLI's environment in the suite: a small sandbox.
func env(k string) string {
	if k == "GONGKAI_MEMORY_LIMIT" {
		return "128MB"
	}
	return ""
}

// runHostile runs statement i through the CLI (query and export --query)
// and through HTTP.
func runHostile(t *testing.T, i int, h hostile, db, url string, limit, hang time.Duration, note func(string, time.Duration, string)) {
	// Through the CLI.
	start := time.Now()
	var out, errb bytes.Buffer
	code := cli.Run(context.Background(), []string{"query", "--db", db, "--timeout", limit.String(), "--format", "csv", h.sql},
		&cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: env})
	took := time.Since(start)
	note("CLI", took, h.sql)
	if took > hang {
		t.Errorf("CLI %q: answered after %v", h.sql, took)
	}
	switch {
	case h.want == refused && (code == 0 || !strings.Contains(errb.String(), "statement refused")):
		t.Errorf("CLI %q: exit %d, stderr %q; want a refusal", h.sql, code, errb.String())
	case h.want == failed && code == 0:
		t.Errorf("CLI %q: succeeded (%q); want an error", h.sql, out.String())
	case code != 0 && !strings.Contains(errb.String(), "Error: query") && !strings.Contains(errb.String(), "Error: usage"):
		t.Errorf("CLI %q: exit %d with an unexpected error %q", h.sql, code, errb.String())
	}

	// Through export --query, for the statements that aim at files, and
	// a third of the rest: the same sandbox, and no file but the output.
	if i%3 == 0 || strings.Contains(h.class, "comment") || h.class == "COPY" || h.class == "query()" {
		out := filepath.Join(t.TempDir(), "out.csv")
		var stdout, stderr bytes.Buffer
		start := time.Now()
		code := cli.Run(context.Background(), []string{"export", "--db", db, "--timeout", limit.String(), "--query", h.sql, "--out", out},
			&cli.Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: env})
		took := time.Since(start)
		note("export", took, h.sql)
		if took > hang {
			t.Errorf("export %q: answered after %v", h.sql, took)
		}
		_, statErr := os.Stat(out)
		switch {
		case h.want == refused && (code == 0 || !strings.Contains(stderr.String(), "statement refused")):
			t.Errorf("export %q: exit %d, stderr %q; want a refusal", h.sql, code, stderr.String())
		case h.want == failed && code == 0:
			t.Errorf("export %q: succeeded; want an error", h.sql)
		case code != 0 && statErr == nil:
			t.Errorf("export %q failed but wrote %s", h.sql, out)
		}
	}

	// Through HTTP.
	start = time.Now()
	status, body := post(t, url, h.sql, limit)
	took = time.Since(start)
	note("HTTP", took, h.sql)
	if took > hang {
		t.Errorf("HTTP %q: answered after %v", h.sql, took)
	}
	if status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests {
		return // all workers (or this client's share) busy with other bombs: bounded
	}
	ok := []int{400, 403, 413, 422}
	switch {
	case h.want == refused && status != 403:
		t.Errorf("HTTP %q: %d %s; want 403", h.sql, status, body)
	case h.want == failed && !slices.Contains(ok, status):
		t.Errorf("HTTP %q: %d %s; want 400, 403, 413 or 422", h.sql, status, body)
	case h.want == bounded && status != 200 && !slices.Contains(ok, status):
		t.Errorf("HTTP %q: %d %s", h.sql, status, body)
	}
}
