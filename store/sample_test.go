package store

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gongkai"
	"gongkai/compile"
	"gongkai/division"
)

// sampleDir is the generator's committed sample district (testdata/sample,
// made by gongkai gen; see gen.SampleOptions).
const sampleDir = "../testdata/sample"

type sampleItem struct {
	report    *gongkai.Report
	violation string
}

// loadSample stores every truth record of the sample, placed by the
// division resolver with --district 文登区, one report per Put (a record
// that breaks R5 with a fraction is refused by the store and skipped).
func loadSample(t *testing.T, s *Store) []sampleItem {
	t.Helper()
	f, err := os.Open(filepath.Join(sampleDir, "truth.csv"))
	if err != nil {
		t.Skipf("no generated sample: %v", err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	var out []sampleItem
	for _, rec := range recs[1:] {
		b, err := os.ReadFile(filepath.Join(sampleDir, rec[col["truth"]]))
		if err != nil {
			t.Fatal(err)
		}
		var r gongkai.Report
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatalf("%s: %v", rec[col["truth"]], err)
		}
		body, fs := division.Default().Resolve(r.Organization, division.Hint{District: "文登区"})
		if body.County != "文登区" || body.Type != rec[col["body_type"]] {
			t.Fatalf("%s resolved to %+v %v, manifest says %s", r.Organization, body, fs, rec[col["body_type"]])
		}
		r.Body = body
		if _, err := s.Put(t.Context(), []gongkai.Parsed{parsed(&r)}); err != nil {
			if rec[col["violated_rule"]] == "R5" {
				continue
			}
			t.Fatalf("%s: %v", rec[col["file"]], err)
		}
		out = append(out, sampleItem{&r, rec[col["violated_rule"]]})
	}
	return out
}

func TestSampleCompileEqualsTruthSums(t *testing.T) {
	s, _ := openTemp(t)
	items := loadSample(t, s)
	years := map[int]bool{}
	for _, it := range items {
		years[it.report.ReportYear] = true
	}
	for y := range years {
		c, err := compile.Sum(t.Context(), s, division.CodePrefix("371003"), y)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, cell := range c.Report.Cells() {
			want := gongkai.Int(0)
			bodies := 0
			for _, it := range items {
				if it.report.ReportYear != y {
					continue
				}
				bodies++
				v, ok := it.report.Get(cell.Path())
				if !ok {
					v = gongkai.Null
				}
				want = want.Add(v)
			}
			if bodies != len(c.Bodies) {
				t.Fatalf("%d: %d bodies compiled, %d stored", y, len(c.Bodies), bodies)
			}
			if !cell.Value.Equal(want) {
				t.Errorf("%d %s = %s, truth sums to %s", y, cell.Path(), cell.Value, want)
			}
			n++
		}
		if n == 0 {
			t.Fatalf("%d: no cells", y)
		}
	}
}

func TestSampleCrossRules(t *testing.T) {
	s, _ := openTemp(t)
	items := loadSample(t, s)
	if err := s.RunCrossRules(t.Context()); err != nil {
		t.Fatal(err)
	}
	fs := storeFindings(t, s)
	first := 3000
	for _, it := range items {
		first = min(first, it.report.ReportYear)
	}
	injected := 0
	for _, it := range items {
		r := it.report
		if it.violation == "R6" {
			injected++
			if !has(fs, r.Organization, int64(r.ReportYear), "R6", "failed", "applications.2_carried_over") {
				t.Errorf("injected R6 in %s %d not found", r.Organization, r.ReportYear)
			}
		}
		if r.ReportYear == first && !has(fs, r.Organization, int64(r.ReportYear), "R6", "not_checkable", "applications.2_carried_over") {
			t.Errorf("%s %d: first year not reported not checkable", r.Organization, r.ReportYear)
		}
	}
	if injected == 0 {
		t.Logf("the sample has no injected R6")
	}
	// A clean body-year pair (neither report carries an injected violation)
	// never fails R6.
	bad := map[string]bool{}
	for _, it := range items {
		if it.violation != "" {
			bad[it.report.Organization+strconv.Itoa(it.report.ReportYear)] = true
		}
	}
	for _, f := range fs {
		if f.rule == "R6" && f.status == "failed" && !bad[f.org+strconv.FormatInt(f.year, 10)] &&
			!bad[f.org+strconv.FormatInt(f.year-1, 10)] {
			t.Errorf("unexpected R6 failure: %s %d %s %s", f.org, f.year, f.where, f.message)
		}
		if strings.HasPrefix(f.rule, "R7") && f.status == "failed" && !bad[f.org+strconv.FormatInt(f.year, 10)] &&
			!bad[f.org+strconv.FormatInt(f.year-1, 10)] {
			t.Errorf("unexpected R7 failure: %s %d %s %s", f.org, f.year, f.where, f.message)
		}
	}
}
