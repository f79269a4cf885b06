package cli

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongkai/gen"
	"gongkai/store"
)

// Acceptance test of issue 3: `gongkai ingest` on a folder of 2,000
// reports in mixed renderings shows progress and finishes with the right
// counts; a second run finds every file unchanged.
//
//	go test -run TestIngestScaleMixed -v ./cli/
//
// It takes 10–20 s on 2 cores shared with other work (generation ~3 s,
// each ingest 4–8 s); -short runs it on 200 reports.
func TestIngestScaleMixed(t *testing.T) {
	// 1 office + 217 townships + 32 departments = 250 bodies, 8 years.
	townships, years := 217, 8
	if testing.Short() {
		townships, years = 17, 4 // 50 bodies × 4 years = 200 reports
	}
	want := (1 + townships + 32) * years

	dir := filepath.Join(t.TempDir(), "reports")
	var renderings []string
	for _, r := range gen.AllRenderings() {
		if r != gen.PDF { // LibreOffice: seconds per batch, and not on every machine
			renderings = append(renderings, r)
		}
	}
	start := time.Now()
	sum, err := gen.Generate(t.Context(), gen.Options{
		Out: dir, District: "威海市文登区", Townships: townships, Departments: 32,
		FirstYear: 2019, LastYear: 2019 + years - 1, Seed: 3, Violations: 0.05, Noise: 0.2,
		Renderings: renderings, Mixed: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Reports != want || sum.Files != want {
		t.Fatalf("generated %d reports in %d files, want %d", sum.Reports, sum.Files, want)
	}
	t.Logf("generated %d reports in %v", want, time.Since(start).Round(time.Millisecond))

	// What the readers should call each file: the generator's html
	// variants (GBK-encoded, table built by a script) are all read as html.
	wantRendering := map[string]int{}
	for _, row := range readManifest(t, filepath.Join(dir, gen.ManifestName)) {
		rn := row["rendering"]
		if strings.HasPrefix(rn, gen.HTML) {
			rn = gen.HTML
		}
		wantRendering[rn]++
	}
	if len(wantRendering) < 8 {
		t.Fatalf("only %d renderings in the mixed folder: %v", len(wantRendering), wantRendering)
	}

	// Print the plain progress line on every update instead of every 5 s.
	defer func(d time.Duration) { plainProgressEvery = d }(plainProgressEvery)
	plainProgressEvery = 0

	db := filepath.Join(t.TempDir(), "scale.duckdb")
	ingestRun := func() (stdout, stderr string) {
		t.Helper()
		var out, errb bytes.Buffer // not terminals: plain progress lines
		start := time.Now()
		code := Run(t.Context(), []string{"ingest", "--db", db, dir}, &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		t.Logf("ingest of %d files: %v", want, time.Since(start).Round(time.Millisecond))
		if code != 0 {
			t.Fatalf("ingest exit %d\nstderr:\n%s\nstdout (end):\n%s", code, errb.String(), tail(out.String(), 20))
		}
		return out.String(), errb.String()
	}

	// First run: every report is added; the manifest truth.csv is no report.
	out, errOut := ingestRun()
	checkProgress(t, errOut, want+1)
	wantSummary := "parsed " + strconv.Itoa(want) + ", added " + strconv.Itoa(want) +
		", unchanged 0, replaced 0, failed 0, skipped 1"
	if got := lastLine(out); got != wantSummary {
		t.Errorf("first run summary:\n got %q\nwant %q", got, wantSummary)
	}
	if !strings.Contains(out, "skipped: "+filepath.Join(dir, gen.ManifestName)+" (not a report)") {
		t.Errorf("truth.csv not reported as skipped:\n%s", tail(out, 5))
	}

	st, err := store.OpenReadOnly(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	res, err := st.Query(t.Context(), `SELECT count(*), count(DISTINCT source_path), count(DISTINCT (organization, report_year)) FROM reports`)
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	for i, what := range []string{"reports", "source files", "organization-years"} {
		if n := toInt(t, res.Rows[0][i]); n != want {
			t.Errorf("store holds %d %s, want %d", n, what, want)
		}
	}
	res, err = st.Query(t.Context(), `SELECT rendering, count(*) FROM reports GROUP BY rendering`)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	gotRendering := map[string]int{}
	for _, r := range res.Rows {
		name, _ := r[0].(string)
		gotRendering[name] = toInt(t, r[1])
	}
	for rn, n := range wantRendering {
		if gotRendering[rn] != n {
			t.Errorf("rendering %s: %d stored, %d generated", rn, gotRendering[rn], n)
		}
	}
	if len(gotRendering) != len(wantRendering) {
		t.Errorf("stored renderings %v, generated %v", gotRendering, wantRendering)
	}

	// Second run: the same files, all unchanged, nothing written.
	out, errOut = ingestRun()
	checkProgress(t, errOut, want+1)
	wantSummary = "parsed " + strconv.Itoa(want) + ", added 0, unchanged " + strconv.Itoa(want) +
		", replaced 0, failed 0, skipped 1"
	if got := lastLine(out); got != wantSummary {
		t.Errorf("second run summary:\n got %q\nwant %q", got, wantSummary)
	}
	if n := strings.Count(out, " (already stored)\n"); n != want {
		t.Errorf("second run names %d files as unchanged, want %d", n, want)
	}
}

var progressLine = regexp.MustCompile(`^ingest: (\d+)/(\d+|\?) files, (\d+) parsed, (\d+) failed, (\d+) files/s$`)

// checkProgress wants at least one plain progress line on stderr, every
// line of stderr a progress line, with counts that never go down nor past
// the number of files.
func checkProgress(t *testing.T, stderr string, files int) {
	t.Helper()
	if stderr == "" {
		if testing.Short() {
			return // 200 reports may take less than ingest's 250 ms tick
		}
		t.Fatal("no progress line on stderr")
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
		// The run's last words: the kept answers made anew (schema 11).
		if !strings.HasPrefix(l, "kept the whole-nation answer of rollup ") {
			lines = append(lines, l)
		}
	}
	prev := 0
	for _, l := range lines {
		m := progressLine.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("stderr line is no progress line: %q", l)
			continue
		}
		done, _ := strconv.Atoi(m[1])
		if m[2] != "?" {
			if total, _ := strconv.Atoi(m[2]); total != files {
				t.Errorf("progress total %d, want %d: %q", total, files, l)
			}
		}
		if done < prev || done > files || m[4] != "0" {
			t.Errorf("progress line out of order or failing: %q (previous done %d)", l, prev)
		}
		prev = done
	}
	t.Logf("%d progress lines, last %q", len(lines), lines[len(lines)-1])
}

func readManifest(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 || !slices.Equal(rows[0], gen.ManifestHeader) {
		t.Fatalf("%s: unexpected header", path)
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func lastLine(s string) string {
	s = strings.TrimSuffix(s, "\n")
	return s[strings.LastIndexByte(s, '\n')+1:]
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

func toInt(t *testing.T, v any) int {
	t.Helper()
	switch n := v.(type) {
	case int64:
		return int(n)
	case int32:
		return int(n)
	case int:
		return n
	case uint64:
		return int(n)
	}
	t.Fatalf("not an integer: %T %v", v, v)
	return 0
}
