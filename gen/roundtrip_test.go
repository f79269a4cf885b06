package gen_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gongkai"
	"gongkai/gen"
	"gongkai/ingest"
)

// roundTripItems is a small district over both layouts, with violations
// (a report that breaks a rule must still read back exactly as printed)
// and noise on some reports.
func roundTripItems(t *testing.T) []*gen.Item {
	t.Helper()
	items, err := gen.Build(gen.Options{
		District: "威海市文登区", Townships: 3, Departments: 3, FirstYear: 2019, LastYear: 2024,
		Seed: 7, Violations: 0.25, Noise: 0.5,
	})
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// TestRoundTrip renders every report in every rendering, reads it back
// with ingest.ParseBytes and requires 100 % of the cells (and the
// organization, year, layout, date and narrative counts) to equal the
// truth. glued_text is the one exception the format forces: a digit run
// that splits more than one way must come back null under a READ finding;
// a wrong number is never accepted there either. The pdf rendering is
// checked like the others, on every report; it needs LibreOffice.
func TestRoundTrip(t *testing.T) {
	items := roundTripItems(t)
	for _, rendering := range gen.AllRenderings() {
		t.Run(rendering, func(t *testing.T) {
			if rendering == gen.PDF && !gen.PDFAvailable() {
				// Not skipped: the pdf rendering and reader are part of
				// what the test command checks.
				t.Fatal("no PDF converter: LibreOffice (soffice) is not on PATH; run ./scripts/install-deps " +
					"(./scripts/test, the project's test command, runs it first)")
			}
			// One call for all reports: for pdf, LibreOffice converts up to
			// 32 reports a run instead of starting once per report.
			rendered, err := gen.RenderBatch(t.Context(), rendering, items)
			if err != nil {
				t.Fatal(err)
			}
			var cells, equal, unsure, failedReports int
			for i, it := range items {
				name := it.Base + gen.Ext(rendering)
				got, err := ingest.ParseBytes(t.Context(), name, rendered[i])
				if err != nil {
					failedReports++
					t.Errorf("%s (noise %+v): ParseBytes: %v", name, it.Noise, err)
					continue
				}
				c, e, u, problems := compare(it, got, rendering == gen.GluedText)
				cells, equal, unsure = cells+c, equal+e, unsure+u
				if len(problems) > 0 {
					failedReports++
					if len(problems) > 8 {
						problems = append(problems[:8], fmt.Sprintf("… and %d more", len(problems)-8))
					}
					t.Errorf("%s (rendering %s read as %q, noise %+v, violation %q):\n  %s",
						name, rendering, got.Rendering, it.Noise, it.Violation, strings.Join(problems, "\n  "))
				}
			}
			t.Logf("%s: %d/%d cells equal to the truth (%d null under a READ finding), %d/%d reports with problems",
				rendering, equal, cells, unsure, failedReports, len(items))
		})
	}
}

// compare lists every difference between the truth and what was read.
func compare(it *gen.Item, p gongkai.Parsed, allowUnsure bool) (cells, equal, unsure int, problems []string) {
	want, got := it.Record, p.Report
	if got == nil {
		return 0, 0, 0, []string{"no report"}
	}
	if got.Organization != want.Organization {
		problems = append(problems, fmt.Sprintf("organization %q, want %q", got.Organization, want.Organization))
	}
	if got.ReportYear != want.ReportYear {
		problems = append(problems, fmt.Sprintf("report_year %d, want %d", got.ReportYear, want.ReportYear))
	}
	if got.FormatVersion != want.FormatVersion {
		return 0, 0, 0, append(problems, fmt.Sprintf("format_version %s, want %s", got.FormatVersion, want.FormatVersion))
	}
	if got.PublishedOn != want.PublishedOn {
		problems = append(problems, fmt.Sprintf("published_on %q, want %q", got.PublishedOn, want.PublishedOn))
	}
	var readPaths []string
	for _, f := range got.Findings {
		if f.Rule == gongkai.RuleRead {
			readPaths = append(readPaths, f.Where...)
		}
	}
	for _, c := range want.Cells() {
		cells++
		v, _ := got.Get(c.Path())
		switch {
		case v == c.Value:
			equal++
		case allowUnsure && !v.Valid() && covered(c.Path(), readPaths):
			unsure++
		default:
			problems = append(problems, fmt.Sprintf("%s = %v, want %v", c.Path(), v, c.Value))
		}
	}
	for k, v := range want.Narrative {
		if g, ok := got.Narrative[k]; !ok || g != v {
			problems = append(problems, fmt.Sprintf("narrative.%s = %v (found %v), want %v", k, g, ok, v))
		}
	}
	// The rules the truth fails must be found on what was read (unless a
	// cell the rule needs came back null under a READ finding).
	wantRules, gotRules := failed(want.Findings), failed(got.Findings)
	for _, r := range wantRules {
		if r != gongkai.R6 && unsure == 0 && !slices.Contains(gotRules, r) {
			problems = append(problems, fmt.Sprintf("rule %s fails in the truth but not on the parsed report (%v)", r, gotRules))
		}
	}
	return cells, equal, unsure, problems
}

func failed(fs []gongkai.Finding) []string {
	var out []string
	for _, f := range fs {
		if f.Status == gongkai.Failed {
			out = append(out, f.Rule)
		}
	}
	return out
}

// covered reports whether a READ finding names the cell, its row, its
// item or its column (applications.*.total).
func covered(path string, where []string) bool {
	parts := strings.Split(path, ".")
	for _, w := range where {
		if w == path || strings.HasPrefix(path, w+".") {
			return true
		}
		wp := strings.Split(w, ".")
		if len(wp) == 3 && wp[0] == parts[0] && (wp[1] == "*" || wp[1] == parts[1]) && (wp[2] == "*" || wp[2] == parts[2]) {
			return true
		}
	}
	return false
}

// TestSampleParsesToItsTruth reads every report of testdata/sample (what
// `gongkai demo` loads) and compares it with the truth file beside it.
func TestSampleParsesToItsTruth(t *testing.T) {
	dir := filepath.Join("..", "testdata", "sample")
	f, err := os.Open(filepath.Join(dir, gen.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows[1:] {
		data, err := os.ReadFile(filepath.Join(dir, row[7]))
		if err != nil {
			t.Fatal(err)
		}
		truth := new(gongkai.Report)
		if err := json.Unmarshal(data, truth); err != nil {
			t.Fatalf("%s: %v", row[7], err)
		}
		got, err := ingest.ParseFile(t.Context(), filepath.Join(dir, row[0]))
		if err != nil {
			t.Errorf("%s: %v", row[0], err)
			continue
		}
		if _, _, _, problems := compare(&gen.Item{Record: truth}, got, false); len(problems) > 0 {
			t.Errorf("%s:\n  %s", row[0], strings.Join(problems, "\n  "))
		}
	}
}
