package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"gongkai/store"
)

// GONGKAI_MEMORY_LIMIT reaches the store: a size DuckDB refuses fails the
// run before anything is stored, a good one is used.
func TestIngestMemoryLimitFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	file := recordFile(t, dir, "a.json", "文登区教育和体育局", 2023, 5)
	for _, tc := range []struct {
		limit string
		code  int
	}{{"lots", 1}, {"300MB", 0}} {
		db := filepath.Join(t.TempDir(), "g.duckdb")
		var out, errb bytes.Buffer
		env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string {
			if k == "GONGKAI_MEMORY_LIMIT" {
				return tc.limit
			}
			return ""
		}}
		if code := Run(t.Context(), []string{"ingest", "--db", db, file}, env); code != tc.code {
			t.Errorf("GONGKAI_MEMORY_LIMIT=%s: exit %d, want %d; stderr %s", tc.limit, code, tc.code, errb.String())
		}
		if tc.code == 0 && !strings.Contains(out.String(), "added 1") {
			t.Errorf("GONGKAI_MEMORY_LIMIT=%s: %s", tc.limit, out.String())
		}
	}
}

// Every command that opens the store honours GONGKAI_MEMORY_LIMIT (one
// opening helper): a size DuckDB refuses fails each of them, a good one
// works.
func TestEveryCommandHonoursMemoryLimit(t *testing.T) {
	db := analyticsDB(t)
	for _, args := range [][]string{
		{"rollup", "district_year", "--db", db},
		{"check", "--db", db},
		{"query", "SELECT count(*) FROM reports", "--db", db},
		{"export", "--table", "reports", "--format", "csv", "--out", "-", "--db", db},
	} {
		for _, tc := range []struct {
			limit string
			code  int
		}{{"lots", 1}, {"300MB", 0}} {
			var out, errb bytes.Buffer
			env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string {
				if k == "GONGKAI_MEMORY_LIMIT" {
					return tc.limit
				}
				return ""
			}}
			if code := Run(t.Context(), args, env); code != tc.code {
				t.Errorf("%s with GONGKAI_MEMORY_LIMIT=%s: exit %d, want %d; stderr %s", args[0], tc.limit, code, tc.code, errb.String())
			}
		}
	}
}

// ingest opens its store under store.IngestMemoryLimit, not the store's
// default, so that DuckDB and the parse workers stay within 1 GiB between
// them; GONGKAI_MEMORY_LIMIT still wins.
func TestIngestOpensUnderItsOwnLimit(t *testing.T) {
	setting := func(limit string, opts ...store.Option) string {
		t.Helper()
		env := &Env{Getenv: func(k string) string {
			if k == "GONGKAI_MEMORY_LIMIT" {
				return limit
			}
			return ""
		}}
		st, err := openStore(t.Context(), env, filepath.Join(t.TempDir(), "m.duckdb"), true, opts...)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		var v string
		if err := st.DB().QueryRowContext(t.Context(), `SELECT current_setting('memory_limit')`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	ingest, plain := setting("", store.ForIngest()), setting("")
	if ingest == plain {
		t.Errorf("ingest's DuckDB memory limit is the store's default, %s", plain)
	}
	if want := setting(store.IngestMemoryLimit); ingest != want {
		t.Errorf("ingest's limit is %s, want %s (%s)", ingest, want, store.IngestMemoryLimit)
	}
	if got, want := setting("2GB", store.ForIngest()), setting("2GB"); got != want {
		t.Errorf("GONGKAI_MEMORY_LIMIT=2GB gives ingest %s, want %s", got, want)
	}
}
