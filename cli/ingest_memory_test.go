package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
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
