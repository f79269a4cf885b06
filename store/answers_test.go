package store

import (
	"path/filepath"
	"testing"
)

// StoreAnswer lowers DuckDB's memory limit while it works and puts the
// store's own back afterwards, for every query after it.
func TestStoreAnswerRestoresMemoryLimit(t *testing.T) {
	ctx := t.Context()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "a.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Put(ctx, genParsed(t, 1, 2)); err != nil {
		t.Fatal(err)
	}
	limit := func() string {
		t.Helper()
		var v string
		if err := st.DB().QueryRowContext(ctx, `SELECT current_setting('memory_limit')`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	before := limit()
	during := ""
	a := Answer{Name: "years", Statement: `SELECT current_setting('memory_limit') AS m, count(*) AS n FROM reports`}
	got, err := st.StoreAnswer(ctx, a)
	if err != nil || !got.Made || got.Rows != 1 {
		t.Fatalf("StoreAnswer = %+v, %v", got, err)
	}
	if err := st.DB().QueryRowContext(ctx, `SELECT m FROM answer_years`).Scan(&during); err != nil {
		t.Fatal(err)
	}
	if during == before {
		t.Errorf("memory limit while keeping an answer = %s, the store's own", during)
	}
	if after := limit(); after != before {
		t.Errorf("memory limit after StoreAnswer = %s, want %s again", after, before)
	}
}
