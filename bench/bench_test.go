package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongkai/rollup"
	"gongkai/store"
)

// TestMain lets the test binary be the benchmark's child process (the
// ingest whose visibility serve is timed): measureServe runs it as
// `EXE put …` with GONGKAI_BENCH_CHILD set.
func TestMain(m *testing.M) {
	if os.Getenv("GONGKAI_BENCH_CHILD") != "" {
		os.Exit(Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestNationalSmall runs the whole benchmark on two small sizes, one built
// through Put and one grown in SQL, as a test of correctness (not of
// time): every rollup, compile and serve answer, the rollups' totals equal
// the cells', every serve answer is 200 or 503, a child's ingest shows up
// in serve, the grown store's facts equal a fresh derivation from its
// cells, and BENCHMARKS.md gets every section.
func TestNationalSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two stores")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("GONGKAI_BENCH_CHILD", "1")
	dir := t.TempDir()
	var log bytes.Buffer
	cfg := Config{Dir: dir, Sizes: []int{500, 1500}, First: 2019, Last: 2021, Seed: 3, Clients: 8, PerClient: 3,
		FloorSample: 200, PutMax: 500, Exe: exe, KeepStores: true, Log: &log}
	res, err := Run(t.Context(), cfg)
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	for _, c := range res.Checks {
		if c.Err != nil {
			t.Errorf("%d reports: %s: %v", c.Size, c.Name, c.Err)
		}
	}
	perSize := 3 + len(rollup.List())*(len(exportFormats)+1) // totals, serve, visibility; each rollup's exports and its streamed CSV
	if got := len(res.Checks); got != 2*perSize {
		t.Errorf("%d checks, want %d per size", got, perSize)
	}
	for _, size := range cfg.Sizes {
		bs := res.Builds[size]
		if bs.Reports < size {
			t.Errorf("size %d: built %d reports", size, bs.Reports)
		}
		if ss := res.Serve[size]; len(ss.Phases) != 2 || ss.Phases[0].Status[200] == 0 || ss.Phases[1].Status[200] == 0 || ss.Visible == 0 {
			t.Errorf("size %d: serve %+v", size, ss)
		}
	}
	// A kept store ends with its answers fresh, the serve child's reports
	// (a year after the last) included.
	for _, size := range cfg.Sizes {
		st, err := store.OpenReadOnly(t.Context(), filepath.Join(dir, fmt.Sprintf("national-%d.duckdb", size)))
		if err != nil {
			t.Fatal(err)
		}
		var stale int64
		err = st.DB().QueryRowContext(t.Context(), `SELECT count(*) FROM answer_state a
			WHERE a.part = 0 AND a.reports <> (SELECT count(*) FROM reports)
			   OR a.rollup = 'levels' AND a.part = 0
			   OR NOT EXISTS (SELECT 1 FROM answer_state b WHERE b.rollup = a.rollup
			                  AND b.part IN (0, (SELECT max(report_year) FROM reports)))`).Scan(&stale)
		st.Close()
		if err != nil || stale != 0 {
			t.Errorf("size %d: %d kept answers not fresh after the run (%v)", size, stale, err)
		}
	}
	if res.Builds[1500].Grown == 0 {
		t.Errorf("the 1500 store was not grown: %+v", res.Builds[1500])
	}
	names := map[string]bool{}
	for _, f := range res.Figures {
		names[f.Name] = true
		if f.Value <= 0 {
			t.Errorf("%s: no time", f.Name)
		}
	}
	for _, want := range []string{"rollup district_year, whole nation, all years", "rollup levels, whole nation, all years",
		"`gongkai export --rollup district_year --out F.parquet`, whole nation, all years",
		"`gongkai export --rollup levels --out F.arrow`, whole nation, all years",
		"`gongkai export --rollup district_year --out F.csv`, whole nation, all years",
		"`gongkai rollup levels --format csv > F` (rows streamed), whole nation, all years",
		"rollup township_year, whole nation, all years", "rollup findings_summary, whole nation, all years"} {
		if !names[want] {
			t.Errorf("no figure %q", want)
		}
	}

	// The grown store's facts are what Put would have derived.
	path := filepath.Join(dir, "grown.duckdb")
	base := Pick(Counties(3), 300, 3)
	all := Pick(Counties(3), 800, 3)
	if _, err := Build(t.Context(), path, base, 2019, 2021, 3, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Grow(t.Context(), path, base, all[len(base):], &log); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var diff, n, orgs int64
	if err := st.DB().QueryRowContext(t.Context(), `SELECT
		(SELECT count(*) FROM (SELECT * FROM report_facts EXCEPT ALL SELECT * FROM report_facts_of(NULL, NULL))),
		(SELECT count(*) FROM report_facts), (SELECT count(DISTINCT (organization, report_year)) FROM reports)`).Scan(&diff, &n, &orgs); err != nil {
		t.Fatal(err)
	}
	if diff != 0 || n != orgs {
		t.Errorf("grown store: %d facts rows differ from the cells; %d facts, %d distinct organization-years", diff, n, orgs)
	}

	out := filepath.Join(dir, "BENCHMARKS.md")
	if err := os.WriteFile(out, []byte("old\n"+marker+"\nhand-written analysis\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeReport(out, res, "gongkai-bench --sizes 500,1500", nil); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## Store and Put", "## Rollups and compile", "## serve", "## Checks", "hand-written analysis", "| 1500 |"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("report lacks %q:\n%s", want, b)
		}
	}
	if strings.Contains(string(b), "old\n") {
		t.Error("the generated part was not replaced")
	}
	fmt.Fprint(&log)
}
