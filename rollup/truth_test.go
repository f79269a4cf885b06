package rollup

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongkai"
	"gongkai/gen"
	"gongkai/ingest"
	"gongkai/store"
)

// TestRollupEqualsGeneratorTruth runs the whole path: the generator writes
// a district's reports and, beside each, its truth record; ingest parses
// the reports (not the truth) into a real store; the district_year and
// township_year totals must equal the sums computed here from the truth
// files alone.
func TestRollupEqualsGeneratorTruth(t *testing.T) {
	dir := t.TempDir()
	opts := gen.Options{Out: filepath.Join(dir, "reports"), District: "威海市文登区", Townships: 4, Departments: 2,
		FirstYear: 2020, LastYear: 2022, Seed: 42}
	if _, err := gen.Generate(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(opts.Out)
	if err != nil {
		t.Fatal(err)
	}
	var inputs []string
	var truth []*gongkai.Report
	for _, e := range entries {
		p := filepath.Join(opts.Out, e.Name())
		switch {
		case strings.HasSuffix(e.Name(), gen.TruthExt):
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			r := new(gongkai.Report)
			if err := json.Unmarshal(b, r); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			truth = append(truth, r)
		case e.Name() == gen.ManifestName:
		default:
			inputs = append(inputs, p)
		}
	}
	if len(truth) != len(inputs) || len(truth) < 10 {
		t.Fatalf("%d truth files for %d reports", len(truth), len(inputs))
	}

	st, err := store.Open(t.Context(), filepath.Join(dir, "t.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sum, err := ingest.Run(t.Context(), ingest.Options{Inputs: inputs, Parse: ingest.ParseBytes}, st)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed != 0 || sum.Added != len(inputs) {
		t.Fatalf("ingest: %+v", sum)
	}

	for _, year := range []int{2020, 2021, 2022} {
		res, err := Run(t.Context(), st, "district_year", Params{Year: year})
		if err != nil {
			t.Fatal(err)
		}
		tres, err := Run(t.Context(), st, "township_year", Params{Year: year})
		if err != nil {
			t.Fatal(err)
		}
		var total, townships map[string]any
		for _, r := range rowsOf(res) {
			if r["level"] == "total" {
				total = r
			}
		}
		for _, r := range rowsOf(tres) {
			if r["level"] == "district_year" {
				townships = r
			}
		}
		if total == nil || townships == nil {
			t.Fatalf("%d: missing total rows", year)
		}
		for _, m := range appMeasures {
			var all, town int64
			for _, r := range truth {
				if r.ReportYear != year || r.Body.Aggregate {
					continue
				}
				v, ok := measure(r, m.prefix, m.key)
				if !ok {
					t.Fatalf("truth %s %d has a null %s", r.Organization, year, m.name)
				}
				all += v
				if strings.HasSuffix(r.Organization, "镇人民政府") || strings.HasSuffix(r.Organization, "乡人民政府") ||
					strings.HasSuffix(r.Organization, "街道办事处") {
					town += v
				}
			}
			if total[m.name] != all {
				t.Errorf("%d district_year total %s = %v, truth %d", year, m.name, total[m.name], all)
			}
			if townships[m.name] != town {
				t.Errorf("%d township_year %s = %v, truth %d", year, m.name, townships[m.name], town)
			}
		}
		if total["incomplete_reports"] != int64(0) {
			t.Errorf("%d: incomplete_reports %v on clean generated reports", year, total["incomplete_reports"])
		}
	}
}
