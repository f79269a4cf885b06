package store

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
)

// eachAll reads src through EachSelection into a Result, copying each
// row (EachSelection reuses them).
func eachAll(t *testing.T, s *Store, src Selection) (*Result, int64, error) {
	t.Helper()
	var got Result
	n, err := s.EachSelection(t.Context(), src, func(cols, types []string) error {
		got.Columns, got.Types, got.Rows = cols, types, [][]any{}
		return nil
	}, func(row []any) error {
		got.Rows = append(got.Rows, slices.Clone(row))
		return nil
	})
	return &got, n, err
}

// Result is the part of gongkai.Result these tests compare.
type Result struct {
	Columns, Types []string
	Rows           [][]any
}

// EachSelection hands start and add what QuerySelection returns, row for
// row, whether the kept parts or the statement answer, for answers of no
// rows, of less than a batch and of many batches with a part-filled last.
func TestEachSelectionAsQuerySelection(t *testing.T) {
	st, kept := partsFixture(t)
	plain := Selection{Statement: kept.Statement, Args: kept.Args}
	small := Selection{Statement: `SELECT range AS i, 'r' || range AS s FROM range(7)`}
	none := Selection{Statement: `SELECT report_id, organization FROM reports WHERE false`}
	// Read part by part with the filter's WHERE (and its argument) on each.
	filtered := kept
	stored := *kept.Stored
	stored.Filters = []Filter{{Column: "k", Value: int64(1000)}}
	filtered.Stored = &stored
	for name, src := range map[string]Selection{"kept": kept, "kept, filtered": filtered, "plain": plain, "small": small, "none": none} {
		t.Run(name, func(t *testing.T) {
			want, err := st.QuerySelection(t.Context(), src)
			if err != nil {
				t.Fatal(err)
			}
			got, n, err := eachAll(t, st, src)
			if err != nil {
				t.Fatal(err)
			}
			if n != int64(len(want.Rows)) || !reflect.DeepEqual(got.Rows, want.Rows) ||
				!reflect.DeepEqual(got.Columns, want.Columns) || !reflect.DeepEqual(got.Types, want.Types) {
				t.Fatalf("EachSelection: %d rows (n %d) of %v; QuerySelection: %d of %v", len(got.Rows), n, got.Columns, len(want.Rows), want.Columns)
			}
			if name == "kept, filtered" && (len(want.Rows) == 0 || len(want.Rows) >= len(rowsOf(t, st, kept))) {
				t.Fatalf("the filter keeps %d rows: it tests nothing", len(want.Rows))
			}
			if name == "kept" && len(want.Rows) <= eachBatchRows*4 {
				t.Fatalf("%d rows: the parts do not take several batches", len(want.Rows))
			}
			if name != "none" && name != "small" && name != "kept, filtered" && len(want.Rows)%eachBatchRows == 0 {
				t.Fatalf("%d rows fill whole batches; the test wants a part-filled last batch", len(want.Rows))
			}
		})
	}
}

func rowsOf(t *testing.T, st *Store, src Selection) [][]any {
	t.Helper()
	res, err := st.QuerySelection(t.Context(), src)
	if err != nil {
		t.Fatal(err)
	}
	return res.Rows
}

// An error from add or start ends the read at once: it is returned (as a
// read error, wrapped), no row is handed over after it, and the store is
// left as it was, free for a write.
func TestEachSelectionStops(t *testing.T) {
	st, kept := partsFixture(t)
	ctx := t.Context()
	stop := errors.New("the reader went away")
	for _, at := range []int{0, 1, 511, 512, 513, 5000} {
		calls := 0
		n, err := st.EachSelection(ctx, kept, func([]string, []string) error { return nil }, func([]any) error {
			if calls++; calls > at {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || n != int64(at) || calls != at+1 {
			t.Errorf("add failing after %d rows: n %d, %d calls, %v", at, n, calls, err)
		}
	}
	adds := 0
	_, err := st.EachSelection(ctx, kept, func([]string, []string) error { return stop }, func([]any) error { adds++; return nil })
	if !errors.Is(err, stop) || adds != 0 {
		t.Errorf("start failing: %d rows added, %v", adds, err)
	}
	cctx, cancel := context.WithCancel(ctx)
	calls := 0
	_, err = st.EachSelection(cctx, kept, func([]string, []string) error { return nil }, func([]any) error {
		if calls++; calls == 3000 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || calls > 3000+eachBatchRows {
		t.Errorf("cancelled after 3000 rows: %d rows, %v", calls, err)
	}
	if _, err := st.DB().ExecContext(ctx, `CREATE TABLE after_stop AS SELECT 1 AS x`); err != nil {
		t.Fatalf("a write after stopped reads: %v", err)
	}
}
