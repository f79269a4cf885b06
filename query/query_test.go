package query

import (
	"errors"
	"path/filepath"
	"testing"

	"gongkai"
	"gongkai/store"
)

func TestRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "q.duckdb")
	w, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	st, err := store.OpenReadOnly(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	for _, empty := range []string{"", "  ;  ", "\n;"} {
		if _, err := Run(t.Context(), st, empty, Options{}); !errors.Is(err, gongkai.ErrUsage) {
			t.Errorf("%q: err %v, want usage", empty, err)
		}
	}
	res, err := Run(t.Context(), st, "SELECT count(*) AS n FROM reports", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 || res.Rows[0][0] != int64(0) {
		t.Errorf("rows %v", res.Rows)
	}
	res, err = Run(t.Context(), st, "SELECT * FROM range(10)", Options{MaxRows: 3})
	if err != nil || len(res.Rows) != 3 || !res.Truncated {
		t.Errorf("cap: %v %v", res, err)
	}
	if _, err := Run(t.Context(), st, "DROP TABLE reports", Options{}); !errors.Is(err, gongkai.ErrRefused) {
		t.Errorf("DROP: err %v, want refused", err)
	}
}
