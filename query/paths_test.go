package query_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongkai/cli"
	"gongkai/query"
	"gongkai/serve"
)

// pathProbes are statements that make DuckDB name files: every metadata
// function, pragma and setting that shows the attached database's path,
// plans, and errors about tables and files.
var pathProbes = []string{
	"SELECT path FROM duckdb_databases()",
	"SELECT * FROM duckdb_databases()",
	"SELECT current_setting('allowed_paths')",
	"SELECT current_setting('allowed_directories')",
	"SELECT current_setting('temp_directory'), current_setting('home_directory'), current_setting('secret_directory'), current_setting('extension_directory')",
	"SELECT * FROM duckdb_settings()",
	"FROM duckdb_settings() WHERE value LIKE '%/%'",
	"PRAGMA database_list",
	"SELECT * FROM pragma_database_list",
	"PRAGMA database_size",
	"SELECT * FROM pragma_database_size()",
	"SELECT * FROM pragma_metadata_info()",
	"SELECT * FROM pragma_storage_info('reports')",
	"SELECT * FROM duckdb_temporary_files()",
	"SELECT * FROM duckdb_external_file_cache()",
	"SELECT * FROM duckdb_extensions()",
	"SELECT * FROM duckdb_secrets()",
	"SELECT * FROM which_secret('s3://x/y', 's3')",
	"SELECT * FROM duckdb_logs",
	"SELECT * FROM duckdb_tables()",
	"SELECT * FROM duckdb_views()",
	"SHOW DATABASES",
	"SHOW ALL TABLES",
	"EXPLAIN SELECT * FROM reports",
	"EXPLAIN ANALYZE SELECT count(*) FROM reports",
	"EXPLAIN (FORMAT json) SELECT * FROM reports",
	"SELECT * FROM sql_auto_complete('SELECT * FROM ''/')",
	"SELECT * FROM sql_auto_complete('SELECT * FROM ''')",
	"SELECT * FROM store.nosuch",
	"SELECT * FROM nosuch.main.reports",
	"SELECT * FROM read_csv('nosuch.csv')",
	"SELECT * FROM 'store.duckdb'",
	"ATTACH 'x.duckdb'",
	"SELECT * FROM checkpoint()",
	"SELECT error(current_setting('allowed_paths')::VARCHAR)",
	"SELECT error((SELECT path FROM duckdb_databases() WHERE database_name = 'store'))",
	"SELECT * FROM query('SELECT path FROM duckdb_databases()')",
}

// hostTraces are strings no answer or error may hold: the store's
// folder, the system's temporary folder (tests keep their stores there),
// the working folder, /work and /proc/self/fd.
func hostTraces(t *testing.T, db string) []string {
	cwd, _ := os.Getwd()
	traces := []string{filepath.Dir(db), os.TempDir() + "/", "/work", "/proc/self/fd", cwd}
	if real, err := filepath.EvalSymlinks(filepath.Dir(db)); err == nil {
		traces = append(traces, real)
	}
	return traces
}

// TestNoHostPaths runs every path probe through `gongkai query` (CSV and
// JSON), `gongkai export --query` and POST /v1/query (JSON, CSV, Arrow) on
// serve with its replicas and with --live, with workers in namespaces
// where the system allows them and without (the scrubbing fallback): no
// answer or error holds a host path.
func TestNoHostPaths(t *testing.T) {
	if testing.Short() {
		t.Skip("not in -short")
	}
	db := hostileDB(t)
	for _, mode := range []string{"namespaces", "fallback"} {
		t.Run(mode, func(t *testing.T) {
			if mode == "fallback" {
				t.Setenv("GONGKAI_SQL_SANDBOX_NAMESPACES", "off")
			}
			traces := hostTraces(t, db)
			check := func(how, sql, answer string) {
				t.Helper()
				for _, tr := range traces {
					if strings.Contains(answer, tr) {
						t.Errorf("%s %q: the answer shows %q:\n%.600s", how, sql, tr, answer)
					}
				}
			}
			// The CLI.
			for _, sql := range pathProbes {
				for _, format := range []string{"csv", "json"} {
					var out, errb bytes.Buffer
					cli.Run(context.Background(), []string{"query", "--db", db, "--format", format, sql},
						&cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
					check("CLI "+format, sql, out.String()+errb.String())
				}
				outFile := filepath.Join(t.TempDir(), "out.csv")
				var out, errb bytes.Buffer
				cli.Run(context.Background(), []string{"export", "--db", db, "--query", sql, "--out", outFile},
					&cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
				b, _ := os.ReadFile(outFile)
				// The summary names the output file the caller chose.
				check("export", sql, strings.ReplaceAll(out.String()+errb.String(), outFile, "OUT")+string(b))
			}
			// The CLI's sandbox says whether it was isolated.
			sb := query.New(query.Config{})
			if _, err := sb.Query(t.Context(), db, "SELECT 1", query.Limits{}); err != nil {
				t.Fatal(err)
			}
			t.Logf("workers isolated in namespaces: %v", sb.Isolated())
			if mode == "fallback" && sb.Isolated() {
				t.Error("GONGKAI_SQL_SANDBOX_NAMESPACES=off: the worker was isolated all the same")
			}
			sb.Close()
			// HTTP, on a replica and on the store itself.
			for _, live := range []bool{false, true} {
				srv, err := serve.New(context.Background(), serve.Config{DB: db, Live: live})
				if err != nil {
					t.Fatal(err)
				}
				ts := httptest.NewServer(srv.Handler())
				for _, sql := range pathProbes {
					for _, format := range []string{"json", "csv", "arrow"} {
						b, _ := json.Marshal(map[string]any{"sql": sql, "format": format})
						resp, err := http.Post(ts.URL+"/v1/query", "application/json", bytes.NewReader(b))
						if err != nil {
							t.Fatal(err)
						}
						body, _ := io.ReadAll(resp.Body)
						resp.Body.Close()
						if resp.StatusCode >= 500 {
							t.Errorf("HTTP %s %q: %d %s", format, sql, resp.StatusCode, body)
						}
						check("HTTP "+format, sql, string(body))
					}
				}
				ts.Close()
				srv.Close()
			}
		})
	}
}
