package store

import (
	"fmt"
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
	limit := func() string { return memoryLimitOf(t, st) }
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

// A kept answer keeps its rows' order in a copy of the store made with
// COPY FROM DATABASE (serve's first replica when a writer left a WAL), and
// its freshness: the copy answers from it.
func TestKeptAnswerOrderInCopy(t *testing.T) {
	ctx := t.Context()
	path := exportFixture(t, 6)
	rw, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	// 300,000 rows in an order no plain scan would give (several row
	// groups, so DuckDB copies them in parallel).
	stmt := `SELECT g.i, r.report_id FROM reports r, range(50000) g(i) ORDER BY g.i DESC, r.report_id`
	if _, err := rw.StoreAnswer(ctx, Answer{Name: "desc", Statement: stmt}); err != nil {
		t.Fatal(err)
	}
	rw.Close()
	s := openRO(t, path)
	dest := filepath.Join(t.TempDir(), "copy.duckdb")
	if err := s.copyDatabase(ctx, dest); err != nil {
		t.Fatal(err)
	}
	cp := openRO(t, dest)
	src := Selection{Statement: stmt, Stored: &Stored{Name: "desc"}}
	want, err := s.Query(ctx, stmt)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Rows) != 300000 {
		t.Fatalf("the statement answers %d rows", len(want.Rows))
	}
	for _, st := range []*Store{s, cp} {
		got, err := st.Query(ctx, `SELECT * FROM answer_desc`)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Rows) != len(want.Rows) {
			t.Fatalf("%s: %d kept rows, want %d", st.Path(), len(got.Rows), len(want.Rows))
		}
		for i := range want.Rows {
			if fmt.Sprint(got.Rows[i]) != fmt.Sprint(want.Rows[i]) {
				t.Fatalf("%s: kept row %d is %v, want %v", st.Path(), i, got.Rows[i], want.Rows[i])
			}
		}
		parts, fresh, err := func() ([]keptPart, bool, error) {
			conn, err := st.DB().Conn(ctx)
			if err != nil {
				return nil, false, err
			}
			defer conn.Close()
			return freshParts(ctx, conn, *src.Stored, src.Statement)
		}()
		if err != nil || !fresh || len(parts) != 1 {
			t.Fatalf("%s: kept answer fresh %v (%v, %v)", st.Path(), fresh, parts, err)
		}
		if rows := parts[0].rows; rows != int64(len(want.Rows)) {
			t.Errorf("%s: answer_state says the kept answer has %d rows; it has %d", st.Path(), rows, len(want.Rows))
		}
	}
}

// The cross rules lower DuckDB's memory limit while they run, as keeping
// an answer does, and put the store's own back afterwards; a limit the
// user chose is left as it is throughout.
func TestCrossRulesRestoreMemoryLimit(t *testing.T) {
	ctx := t.Context()
	for _, opts := range [][]Option{nil, {ForIngest()}, {MemoryLimit("700MB")}, {MemoryLimit("700MB"), ForIngest()}} {
		st, err := Open(ctx, filepath.Join(t.TempDir(), "r.duckdb"), opts...)
		if err != nil {
			t.Fatal(err)
		}
		limit := func() string { return memoryLimitOf(t, st) }
		before := limit()
		if _, err := st.Put(ctx, genParsed(t, 2, 2)); err != nil {
			t.Fatal(err)
		}
		if err := st.UpdateCrossRules(ctx); err != nil {
			t.Fatal(err)
		}
		if err := st.RunCrossRules(ctx); err != nil {
			t.Fatal(err)
		}
		if after := limit(); after != before {
			t.Errorf("memory limit %v: %s after the cross rules, want %s again", opts, after, before)
		}
		st.Close()
	}
}

// memoryLimitOf is DuckDB's memory_limit on st as it says it.
func memoryLimitOf(t *testing.T, st *Store) string {
	t.Helper()
	var v string
	if err := st.DB().QueryRowContext(t.Context(), `SELECT current_setting('memory_limit')`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}
