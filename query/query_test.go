package query

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"gongkai"
	"gongkai/store"
)

// emptyStore creates a store with the schema and no reports.
func emptyStore(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "q.duckdb")
	w, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRun(t *testing.T) {
	db := emptyStore(t)
	for _, empty := range []string{"", "  ;  ", "\n;", "-- nothing\n", "/* */"} {
		if _, err := Run(t.Context(), db, empty, Limits{}); !errors.Is(err, gongkai.ErrUsage) {
			t.Errorf("%q: err %v, want ErrUsage", empty, err)
		}
	}
	res, err := Run(t.Context(), db, "SELECT count(*) AS n FROM reports", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 || res.Rows[0][0] != int64(0) || res.Columns[0] != "n" || res.Types[0] != "BIGINT" {
		t.Errorf("result %+v", res)
	}
	res, err = Run(t.Context(), db, "SELECT * FROM range(10)", Limits{MaxRows: 3})
	if err != nil || len(res.Rows) != 3 || !res.Truncated {
		t.Errorf("cap: %v %v", res, err)
	}
	if _, err := Run(t.Context(), db, "DROP TABLE reports", Limits{}); !errors.Is(err, gongkai.ErrRefused) {
		t.Errorf("DROP: err %v, want refused", err)
	}
	start := time.Now()
	_, err = Run(t.Context(), db, "SELECT count(*) FROM range(1000000000000) a", Limits{Timeout: time.Second})
	if !errors.Is(err, ErrTimeout) {
		t.Errorf("runaway: err %v, want timeout", err)
	}
	t.Logf("runaway answered in %v", time.Since(start))
}
