package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// partsFixture is a store of four report years with an answer kept by
// year: each part tens of thousands of rows (many driver chunks), of
// integers, text and NULLs, in an order no plain scan gives.
func partsFixture(t testing.TB) (*Store, Selection) {
	return partsStore(t, `SELECT report_year AS year, report_id, organization, g.k,
			CASE WHEN g.k % 7 = 0 THEN NULL ELSE g.k * report_id END AS maybe
		FROM reports, range(3000) g(k)
		WHERE report_year = coalesce($year, report_year)
		ORDER BY year, g.k DESC, report_id`)
}

// partsStore is a store of four report years (2019–2022) with stmt's
// answer kept by year ($year binds each part's year, NULL the whole).
func partsStore(t testing.TB, stmt string) (*Store, Selection) {
	t.Helper()
	ctx := t.Context()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "parts.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Put(ctx, genParsed(t, 3, 3)); err != nil {
		t.Fatal(err)
	}
	a := Answer{Name: "parts", Statement: stmt, Params: []string{"year"}, ByYear: true}
	made, err := st.StoreAnswer(ctx, a)
	if err != nil || made.Parts != 4 {
		t.Fatalf("StoreAnswer = %+v, %v; want 4 parts (2019–2022)", made, err)
	}
	return st, Selection{Statement: stmt, Args: []any{sql.Named("year", nil)}, Stored: &Stored{Name: "parts", ByYear: true}}
}

// The parts of a kept answer read on several connections at once make the
// Result one connection reading the statement makes, row for row, with any
// number of readers; and that Result is the statement's own. The first
// connection waits for a helper to take a part, so helpers do read.
func TestCollectPartsAsOneRead(t *testing.T) {
	st, src := partsFixture(t)
	ctx := t.Context()
	var mu sync.Mutex
	var byHelper int
	helped := make(chan struct{})
	partHook = func(reader int, i int64) {
		if reader > 0 {
			mu.Lock()
			if byHelper++; byHelper == 1 {
				close(helped)
			}
			mu.Unlock()
			return
		}
		if i > 0 {
			return
		}
		select {
		case <-helped:
		case <-time.After(20 * time.Second):
			t.Error("no helper took a part within 20 s")
		}
	}
	defer func() { partHook = nil }()
	plain, err := st.QuerySelection(ctx, Selection{Statement: src.Statement, Args: src.Args})
	if err != nil {
		t.Fatal(err)
	}
	if len(plain.Rows) < 4*2048 {
		t.Fatalf("the fixture has %d rows; it needs several chunks a part", len(plain.Rows))
	}
	for _, procs := range []int{2, 3, 4, 8, 1} {
		t.Run(fmt.Sprint("GOMAXPROCS=", procs), func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			mu.Lock()
			byHelper, helped = 0, make(chan struct{})
			if procs == 1 {
				close(helped) // no helper
			}
			mu.Unlock()
			got, err := st.QuerySelection(ctx, src)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, plain) {
				t.Fatalf("%d rows from the kept parts differ from the statement's %d", len(got.Rows), len(plain.Rows))
			}
			mu.Lock()
			if (procs > 1) != (byHelper > 0) {
				t.Errorf("helpers read %d parts", byHelper)
			}
			mu.Unlock()
			// Each row has its own room: writing one touches no other.
			got.Rows[0] = append(got.Rows[0], "x")
			if len(got.Rows[1]) != len(got.Columns) {
				t.Fatal("rows share their backing array past their width")
			}
		})
	}
}

// A kept table that no longer holds what answer_state says of it (changed
// by hand) is read as the statement on one connection reads it, not
// wrongly placed into room sized for other rows; tables that statement
// cannot read together are an error, as they were.
func TestCollectPartsOtherShape(t *testing.T) {
	ctx := t.Context()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	for _, change := range []string{
		`DELETE FROM answer_parts_2020 WHERE k % 2 = 0`,
		`INSERT INTO answer_parts_2021 SELECT * FROM answer_parts_2021 LIMIT 5`,
		`UPDATE answer_state SET rows = rows + 1 WHERE rollup = 'parts' AND part = 2022`,
		`UPDATE answer_state SET rows = 0 WHERE rollup = 'parts' AND part = 2019`,
		`ALTER TABLE answer_parts_2022 DROP COLUMN maybe`,
	} {
		t.Run(change, func(t *testing.T) {
			st, src := partsFixture(t)
			if _, err := st.DB().ExecContext(ctx, change); err != nil {
				t.Fatal(err)
			}
			conn, err := st.DB().Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			parts, fresh, err := freshParts(ctx, conn, *src.Stored, src.Statement)
			if err != nil || !fresh {
				t.Fatalf("freshParts: %v, %v", fresh, err)
			}
			branches, _ := storedBranches(*src.Stored, parts)
			q := strings.Join(branches, "\nUNION ALL\n")
			want, werr := st.collect(ctx, conn, 0, q, nil)
			conn.Close()
			got, err := st.QuerySelection(ctx, src)
			if werr != nil {
				// Parts of other columns do not make one statement.
				if err == nil {
					t.Fatalf("the kept tables cannot be read together (%v), yet QuerySelection gave %d rows", werr, len(got.Rows))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%d rows, want the %d the kept tables hold", len(got.Rows), len(want.Rows))
			}
		})
	}
}

// A helper connection whose transaction sees other parts than the first
// connection's (a writer committed in between) reads nothing.
func TestHelpReadOtherParts(t *testing.T) {
	st, src := partsFixture(t)
	ctx := t.Context()
	conn, err := st.DB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	parts, fresh, err := freshParts(ctx, conn, *src.Stored, src.Statement)
	conn.Close()
	if err != nil || !fresh {
		t.Fatalf("freshParts: %v, %v", fresh, err)
	}
	read := 0
	count := func(*sql.Conn) error { read++; return nil }
	if err := st.helpRead(ctx, src, parts, count); err != nil || read != 1 {
		t.Fatalf("the same parts: read %d times, %v; want once", read, err)
	}
	older := append([]keptPart(nil), parts...)
	older[2].reports--
	older[2].top--
	read = 0
	if err := st.helpRead(ctx, src, older, count); err != nil || read != 0 {
		t.Fatalf("other parts: read %d times, %v; want none", read, err)
	}
}

// The error reported for several readers is the one that stopped them,
// not the cancellation it caused the others, and errPartShape (which only
// sends the read to one connection) only when nothing else failed.
func TestPartsCause(t *testing.T) {
	broke := errors.New("IO Error: disk")
	cancelled := fmt.Errorf("query: %w", context.Canceled)
	shape := fmt.Errorf("query: %w", errPartShape)
	for _, c := range []struct {
		errs []error
		want error
	}{
		{[]error{nil, nil}, nil},
		{[]error{cancelled, broke}, broke},
		{[]error{broke, cancelled, shape}, broke},
		{[]error{shape, cancelled}, cancelled},
		{[]error{nil, shape}, shape},
		{[]error{cancelled, nil}, cancelled},
	} {
		if got := cause(c.errs); got != c.want {
			t.Errorf("cause(%v) = %v, want %v", c.errs, got, c.want)
		}
	}
}

// BenchmarkQuerySelectionParts reads a kept answer of levels' shape (a
// year, text columns, counts, rates) in four parts of 250,000 rows, whole:
// -cpu 1 reads them on one connection, -cpu 2 on two.
//
//	go test -run '^$' -bench QuerySelectionParts -cpu 1,2 -benchtime 3x -count 3 ./store/
func BenchmarkQuerySelectionParts(b *testing.B) {
	st, src := partsStore(b, `SELECT report_year AS year, 'county' AS level, '山东省' AS province,
			'威海市' AS city, '文登区' || (g.k % 40) AS county,
			g.k AS a1, g.k * 3 AS a2, g.k % 1000 AS a3, g.k % 97 AS a4, g.k * 7 AS a5,
			g.k % 5000 AS a6, g.k + 300 AS a7, g.k % 13 AS a8, g.k * 11 AS a9, g.k % 300 AS a10,
			g.k % 77 AS a11, g.k * 2 AS a12, g.k % 4000 AS a13, g.k + 999 AS a14, g.k % 3 AS a15,
			g.k / 7.0 AS r1, g.k / 13.0 AS r2, (g.k % 100) / 100.0 AS r3, g.k / 3.0 AS r4
		FROM (SELECT DISTINCT report_year FROM reports WHERE report_year = coalesce($year, report_year)) y,
		     range(250000) g(k)
		ORDER BY year, g.k`)
	rows := 0
	for b.Loop() {
		res, err := st.QuerySelection(b.Context(), src)
		if err != nil {
			b.Fatal(err)
		}
		rows = len(res.Rows)
	}
	if rows != 1_000_000 {
		b.Fatalf("%d rows, want 1,000,000", rows)
	}
}
