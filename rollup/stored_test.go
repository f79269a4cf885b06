package rollup

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai"
	"gongkai/render"
	"gongkai/store"
)

// liveOnly hides the store's QuerySelection, so Run always runs the SQL.
type liveOnly struct{ st *store.Store }

func (l liveOnly) Query(ctx context.Context, q string, args ...any) (*gongkai.Result, error) {
	return l.st.Query(ctx, q, args...)
}

// storedParams are the parameter sets a kept answer may serve, per
// rollup, and some it may not.
func storedParams() []Params {
	ps := []Params{{}, {Year: 2022}, {Division: "文登区"}, {Year: 2023, Division: "泽库镇"}}
	for _, l := range Levels {
		ps = append(ps, Params{Level: l}, Params{Level: l, Year: 2022})
	}
	return ps
}

// TestKeptAnswersEqualTheSQL checks that a kept answer (schema 11) gives
// exactly what the rollup's SQL gives, for every parameter set it serves
// (levels filtered by year and level included: its previous-year columns
// and ranks must come out as the SQL filtered by year makes them), that
// it is the kept table that answers while fresh, and that once the
// reports change it is not used until it is made anew.
func TestKeptAnswersEqualTheSQL(t *testing.T) {
	ctx := t.Context()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "k.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rng := rand.New(rand.NewPCG(3, 5))
	putYears(t, st, rng, []int{2020, 2021, 2022}, "a", "a")

	// refresh keeps the answers, returning the parts made per rollup.
	refresh := func() map[string]int {
		t.Helper()
		made := map[string]int{}
		if err := Refresh(ctx, st, func(name string, a store.AnswerStats) {
			if a.Made {
				made[name] = a.Parts
			}
		}); err != nil {
			t.Fatal(err)
		}
		return made
	}
	kept := Kept()
	// Freshness follows the reports (their count and largest id): a kept
	// rollup must not read what changes without them.
	// (cell_labels changes only with a build's layouts, which the kept
	// answer's hash covers.)
	for _, f := range files() {
		if f.Stored && strings.Contains(f.SQL, "findings") {
			t.Errorf("rollup %s is kept but reads findings, which change without the reports", f.Name)
		}
	}
	if got := refresh(); len(kept) < 4 || !cmp.Equal(got, map[string]int{"district_year": 1, "district_year_review": 1, "district_year_active": 3, "levels": 3}) {
		t.Fatalf("made %v, want every stored rollup (%q), levels in its three years", got, kept)
	}

	compare := func(stage string, params []Params) {
		t.Helper()
		for _, name := range kept {
			for _, p := range params {
				b, err := Bind(name, p)
				if err != nil {
					continue // a parameter the rollup does not take
				}
				got, err := b.Run(ctx, st)
				if err != nil {
					t.Fatalf("%s %s %+v: %v", stage, name, p, err)
				}
				want, err := b.Run(ctx, liveOnly{st})
				if err != nil {
					t.Fatal(err)
				}
				if len(want.Rows) == 0 && p.Division == "" && p.Level != "nation_by_type" {
					t.Errorf("%s %s %+v: the SQL answers no rows; the comparison proves nothing", stage, name, p)
				}
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("%s %s %+v: kept answer differs from the SQL (-sql +kept):\n%s", stage, name, p, d)
				}
				// Streamed (rollup --format csv|jsonl): the text of the
				// SQL's Result, byte for byte.
				for _, f := range []render.Format{render.CSV, render.JSONLines, render.JSON} {
					var streamed, whole bytes.Buffer
					n, err := b.Write(ctx, st, &streamed, f)
					if err != nil {
						t.Fatalf("%s %s %+v: Write %s: %v", stage, name, p, f, err)
					}
					if err := render.Write(&whole, want, f); err != nil {
						t.Fatal(err)
					}
					if n != int64(len(want.Rows)) || streamed.String() != whole.String() {
						t.Errorf("%s %s %+v: streamed %s (%d rows) differs from the SQL's Result (%d rows):\n%.600s\nwant\n%.600s",
							stage, name, p, f, n, len(want.Rows), streamed.String(), whole.String())
					}
				}
			}
		}
	}
	compare("fresh", storedParams())

	// A new year: the kept answers read by the whole nation are stale
	// and the SQL answers, until an ingest makes anew what the new year
	// touches: the whole answers, and of levels its part of 2023 alone
	// (2022's reads 2021 and 2022). Then a second Refresh has nothing to do.
	putYears(t, st, rng, []int{2023}, "b", "b")
	compare("a new year", storedParams()[:4])
	if got := refresh(); !cmp.Equal(got, map[string]int{"district_year": 1, "district_year_review": 1, "district_year_active": 1, "levels": 1}) {
		t.Fatalf("after a new year made %v", got)
	}
	compare("made anew", storedParams())
	if got := refresh(); len(got) != 0 {
		t.Fatalf("a refresh with nothing changed made %v", got)
	}

	// A replacement (same organization and year, another file) keeps the
	// count of reports but not their largest id: levels' parts of 2021 and
	// 2022 are stale, 2020's and 2023's not.
	putYears(t, st, rng, []int{2021}, "c", "c")
	compare("replaced", storedParams()[:4])
	if got := refresh(); !cmp.Equal(got, map[string]int{"district_year": 1, "district_year_review": 1, "district_year_active": 2, "levels": 2}) {
		t.Fatalf("after a replacement in 2021 made %v", got)
	}

	// While fresh, the kept table answers: change it behind the store's
	// back and the rollup shows the change; once the reports it reads
	// change, it no longer does.
	if _, err := st.DB().ExecContext(ctx, `UPDATE answer_levels_2022 SET reports = -7 WHERE level = 'nation'`); err != nil {
		t.Fatal(err)
	}
	nation := func() any {
		t.Helper()
		res, err := Run(ctx, st, "levels", Params{Level: "nation", Year: 2022})
		if err != nil || len(res.Rows) != 1 {
			t.Fatalf("levels nation 2022 = %v, %v", res, err)
		}
		return res.Rows[0][slices.Index(res.Columns, "reports")]
	}
	if got := nation(); got != int64(-7) {
		t.Fatalf("levels nation 2022 says %v reports: the kept table did not answer", got)
	}
	// The streamed answer reads the kept table too.
	b, err := Bind("levels", Params{Level: "nation", Year: 2022})
	if err != nil {
		t.Fatal(err)
	}
	var csv bytes.Buffer
	if _, err := b.Write(ctx, st, &csv, render.CSV); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(csv.String(), "\nnation,2022,,,,,,,-7,") {
		t.Fatalf("levels nation 2022 streamed as CSV did not come from the kept table:\n%s", csv.String())
	}
	putYears(t, st, rng, []int{2021}, "d", "d")
	if got := nation(); got == int64(-7) {
		t.Fatal("levels nation 2022 answered from a part whose reports changed")
	}
}

// failAfter accepts n bytes, then fails as a closed pipe would.
type failAfter struct{ n int }

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		return 0, errors.New("write |1: broken pipe")
	}
	f.n -= len(p)
	return len(p), nil
}

// TestWriteReportsTheWritersError checks that when the output fails
// half-way (a closed pipe, a full disk) Write says so, as the writer's
// error, not as a failed query of the store.
func TestWriteReportsTheWritersError(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	putYears(t, st, rand.New(rand.NewPCG(1, 2)), []int{2019, 2020, 2021, 2022, 2023, 2024, 2025}, "a", "a")
	b, err := Bind("levels", Params{})
	if err != nil {
		t.Fatal(err)
	}
	// More rows than RowWriter's 64 KiB buffer holds, so the failure
	// comes while rows are still being read.
	var all bytes.Buffer
	if _, err := b.Write(ctx, st, &all, render.JSONLines); err != nil || all.Len() < 64<<10 {
		t.Fatalf("levels as JSON lines: %d bytes, %v; the test wants more than 64 KiB", all.Len(), err)
	}
	// Failing while rows are read, and at the final flush.
	for _, n := range []int{100, all.Len() - 10} {
		_, err = b.Write(ctx, st, &failAfter{n: n}, render.JSONLines)
		if err == nil || !strings.Contains(err.Error(), "broken pipe") || strings.Contains(err.Error(), path) {
			t.Fatalf("Write into a writer failing after %d bytes: %v; want the writer's error, without the store's path", n, err)
		}
	}
}
