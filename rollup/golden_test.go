package rollup

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gongkai"
	"gongkai/division"
	"gongkai/gen"
	"gongkai/ingest"
	"gongkai/internal/sharedtest"
	"gongkai/store"
)

// updateGolden rewrites testdata/golden/*.jsonl.gz from the current code.
// The files were captured before the rollups, rules and compilation moved
// from the long-form cells to the per-report facts table (schema 6), so
// the test proves that change left every answer identical; rewrite them
// only for a change that is meant to alter answers, and say so.
var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/golden from the current code")

// goldenSet is one store the golden answers are taken on.
type goldenSet struct {
	name string
	load func(t *testing.T, st *store.Store) bool // false: skip (input absent)
	// divisions and compile prefixes asked of every rollup / compilation.
	divisions []string
	prefixes  []string
	years     []int
}

var goldenSets = []goldenSet{
	{
		name: "sample", load: loadSampleTruth,
		divisions: []string{"文登区", "威海市", "371003", "37", "泽库镇", "侯家镇人民政府", "山东省威海市文登区"},
		prefixes:  []string{"371003", "3710", "37"},
		years:     []int{2019, 2020, 2021, 2022, 2023, 2024},
	},
	{
		name: "district", load: loadGeneratedDistricts,
		divisions: []string{"文登区", "荣成市", "威海市", "371082", "3710", "37", "街道", "(unknown)"},
		prefixes:  []string{"371003", "371082", "3710", "37"},
		years:     []int{2019, 2020, 2021, 2022, 2023, 2024, 2025},
	},
	{
		name: "corpus", load: loadCorpus,
		divisions: []string{"", "区"},
		years:     []int{2019, 2020, 2021, 2022, 2023, 2024},
	},
}

// TestRollupsIdenticalToGolden runs every rollup with many parameter sets,
// every compilation and the cross-report rules on three stores (the
// committed sample, two generated districts with a whole-area report and
// a replaced report, and the real corpus when ../shared is present) and
// compares every answer with the capture made before schema 6.
func TestRollupsIdenticalToGolden(t *testing.T) {
	for _, gs := range goldenSets {
		t.Run(gs.name, func(t *testing.T) {
			path, err := filepath.Abs(filepath.Join("testdata", "golden", gs.name+".jsonl.gz"))
			if err != nil {
				t.Fatal(err)
			}
			st, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "g.duckdb"))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if !gs.load(t, st) {
				t.Skip("input absent")
			}
			if err := st.RunCrossRules(t.Context()); err != nil {
				t.Fatal(err)
			}
			got := captureGolden(t, st, gs)
			if *updateGolden {
				writeGolden(t, path, got)
				return
			}
			want := readGolden(t, path)
			compareGolden(t, want, got)
		})
	}
}

// goldenLine is one answer: a key naming what was asked, and the answer.
type goldenLine struct {
	Key    string `json:"key"`
	Answer string `json:"answer"`
}

func captureGolden(t *testing.T, st *store.Store, gs goldenSet) []goldenLine {
	t.Helper()
	ctx := t.Context()
	var out []goldenLine
	add := func(key string, v any) {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		out = append(out, goldenLine{key, string(b)})
	}
	// Every year would multiply the work: all years, the first (no prior
	// year), 2021 (the first of the 2021 layout, its prior in 2019's) and
	// the last.
	years := []int{0, gs.years[0], 2021, gs.years[len(gs.years)-1]}
	divs := append([]string{""}, gs.divisions...)
	for _, ro := range List() {
		for _, y := range years {
			for _, d := range divs {
				var variants []Params
				switch {
				case slices.Contains(ro.Params, "level") && (d == "" || d == gs.divisions[0]):
					for _, l := range []string{"", "body", "township", "county", "city", "province", "nation", "county_by_type", "nation_by_type"} {
						variants = append(variants, Params{Year: y, Division: d, Level: l})
					}
				case slices.Contains(ro.Params, "rule") && d == "":
					for _, r := range []string{"", "R1", "R6", "R7", "R9", "READ"} {
						variants = append(variants, Params{Year: y, Division: d, Rule: r})
					}
				default:
					variants = []Params{{Year: y, Division: d}}
				}
				for _, p := range variants {
					res, err := Run(ctx, st, ro.Name, p)
					if err != nil {
						t.Fatalf("%s %+v: %v", ro.Name, p, err)
					}
					add(fmt.Sprintf("rollup %s year=%d division=%s level=%s rule=%s", ro.Name, p.Year, p.Division, p.Level, p.Rule), res)
				}
			}
		}
	}
	for _, y := range gs.years {
		for _, pre := range gs.prefixes {
			c, err := st.Compile(ctx, pre, y)
			if err != nil {
				add(fmt.Sprintf("compile %s %d", pre, y), "error: "+err.Error())
				continue
			}
			var b strings.Builder
			if err := c.WriteJSON(&b); err != nil {
				t.Fatal(err)
			}
			add(fmt.Sprintf("compile %s %d", pre, y), b.String())
		}
	}
	res, err := st.Query(ctx, `SELECT r.organization, r.report_year, f.rule, f.severity, f.status, f."where", f.message, f.scope
		FROM findings f JOIN reports r USING (report_id) ORDER BY ALL`)
	if err != nil {
		t.Fatal(err)
	}
	add("findings", res)
	return out
}

func writeGolden(t *testing.T, path string, lines []goldenLine) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	enc := json.NewEncoder(zw)
	enc.SetEscapeHTML(false)
	for _, l := range lines {
		if err := enc.Encode(l); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func readGolden(t *testing.T, path string) []goldenLine {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (capture with -update-golden)", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var out []goldenLine
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 256<<20)
	for sc.Scan() {
		var l goldenLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func compareGolden(t *testing.T, want, got []goldenLine) {
	t.Helper()
	if len(want) != len(got) {
		t.Errorf("%d answers, golden has %d", len(got), len(want))
	}
	bad := 0
	for i := range min(len(want), len(got)) {
		if want[i].Key != got[i].Key {
			t.Fatalf("answer %d is %q, golden %q", i, got[i].Key, want[i].Key)
		}
		if normalized(want[i].Answer) != normalized(got[i].Answer) {
			bad++
			if bad <= 5 {
				t.Errorf("%s differs:\n got %.600s\nwant %.600s", got[i].Key, got[i].Answer, want[i].Answer)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d answers differ from the golden capture", bad, len(got))
	}
}

// normalized blanks the report_id column of an answer: ids are given in
// the order the readers store reports, which is not what the golden
// answers are about (the corpus's ids move when a reader starts refusing
// or accepting a file). When a reader change alters what the corpus
// reads, retake its capture: -update-golden -run TestRollupsIdenticalToGolden/corpus.
func normalized(answer string) string {
	var r struct {
		Columns   []string
		Types     []string
		Rows      [][]any
		Truncated bool
	}
	if json.Unmarshal([]byte(answer), &r) != nil || r.Columns == nil {
		return answer
	}
	i := slices.Index(r.Columns, "report_id")
	if i < 0 {
		return answer
	}
	for _, row := range r.Rows {
		row[i] = nil
	}
	b, _ := json.Marshal(r)
	return string(b)
}

// loadSampleTruth stores the truth records of testdata/sample placed with
// --district 文登区, one Put each (the one record that breaks R5 with a
// fraction is refused by the store).
func loadSampleTruth(t *testing.T, st *store.Store) bool {
	dir := filepath.Join("..", "testdata", "sample")
	f, err := os.Open(filepath.Join(dir, "truth.csv"))
	if err != nil {
		return false
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
	for _, rec := range recs[1:] {
		b, err := os.ReadFile(filepath.Join(dir, rec[col["truth"]]))
		if err != nil {
			t.Fatal(err)
		}
		r := new(gongkai.Report)
		if err := json.Unmarshal(b, r); err != nil {
			t.Fatal(err)
		}
		r.Body, _ = division.Default().Resolve(r.Organization, division.Hint{District: "文登区"})
		p := gongkai.Parsed{Report: r, Path: rec[col["file"]], Hash: "sha-" + rec[col["file"]], Rendering: "json"}
		if _, err := st.Put(t.Context(), []gongkai.Parsed{p}); err != nil && rec[col["violated_rule"]] != "R5" {
			t.Fatal(err)
		}
	}
	return true
}

// loadGeneratedDistricts stores two generated districts of 威海市 (文登区
// with its own townships, 荣成市 with its townships from the divisions
// data), 2019–2025 with rule violations; then a whole-area report of
// 文登区 for 2022, and a second file replacing one township's 2021 report.
func loadGeneratedDistricts(t *testing.T, st *store.Store) bool {
	res := division.Default()
	var rongcheng []string
	for _, d := range res.Children("371082") {
		rongcheng = append(rongcheng, d.Name)
	}
	if len(rongcheng) < 5 {
		t.Fatalf("divisions data lists %d townships of 荣成市", len(rongcheng))
	}
	var all []gongkai.Parsed
	for _, o := range []gen.Options{
		{District: "威海市文登区", Townships: 15, Departments: 6, FirstYear: 2019, LastYear: 2025, Seed: 11, Violations: 0.1},
		{District: "威海市荣成市", Townships: len(rongcheng), TownshipNames: rongcheng, Departments: 3, FirstYear: 2019, LastYear: 2025, Seed: 12, Violations: 0.1},
	} {
		items, err := gen.Build(o)
		if err != nil {
			t.Fatal(err)
		}
		_, district := o.District[:len("威海市")], o.District[len("威海市"):]
		for _, it := range items {
			r := it.Record
			if it.Violation == "R5" {
				continue // a fraction in a count: the store refuses it
			}
			r.Body, _ = res.Resolve(r.Organization, division.Hint{District: district})
			all = append(all, gongkai.Parsed{Report: r, Path: it.Base + ".json", Hash: "sha-" + it.Base, Rendering: "json"})
		}
	}
	// Leave one body unplaced: its district and kind come from its name.
	all[3].Report.Body = gongkai.Body{}
	for i := 0; i < len(all); i += 500 {
		if _, err := st.Put(t.Context(), all[i:min(i+500, len(all))]); err != nil {
			t.Fatal(err)
		}
	}
	// A whole-area report: the office's 2022 record restated for all of 文登区.
	var office *gongkai.Report
	for _, p := range all {
		if p.Report.Organization == "威海市文登区人民政府办公室" && p.Report.ReportYear == 2022 {
			office = p.Report
		}
	}
	if office == nil {
		t.Fatal("no 2022 office report generated")
	}
	agg := *office
	agg.Organization = "威海市文登区人民政府"
	agg.Body = gongkai.Body{Province: "山东省", City: "威海市", County: "文登区", DivisionCode: "371003", Type: "county_government", Aggregate: true}
	// A replacement: another file for a township's 2021 report, one cell changed.
	var town gongkai.Report
	for _, p := range all {
		if p.Report.ReportYear == 2021 && p.Report.Body.Type == "township_government" {
			town = *p.Report
			break
		}
	}
	town.Applications = map[string]*[gongkai.NumColumns]gongkai.Num{}
	for k, v := range all[0].Report.Applications {
		c := *v
		town.Applications[k] = &c
	}
	town.Applications[gongkai.RowNew][0] = gongkai.FromMicros(977 * 1_000_000)
	if _, err := st.Put(t.Context(), []gongkai.Parsed{
		{Report: &agg, Path: "aggregate.json", Hash: "sha-aggregate", Rendering: "json"},
		{Report: &town, Path: "replacement.json", Hash: "sha-replacement", Rendering: "json"},
	}); err != nil {
		t.Fatal(err)
	}
	return true
}

// loadCorpus ingests the real reports of ../shared/corpus/raw (see
// internal/sharedtest), placed by the divisions data as `gongkai ingest`
// does without --district, from inside that folder so the stored source
// paths do not depend on where the checkout is.
func loadCorpus(t *testing.T, st *store.Store) bool {
	shared, err := sharedtest.Find()
	if err != nil {
		return false
	}
	t.Chdir(filepath.Join(shared, "corpus", "raw"))
	res := division.Default()
	_, err = ingest.Run(t.Context(), ingest.Options{Inputs: []string{"."}, Workers: 1,
		Resolve: func(_ string, r *gongkai.Report) {
			if !r.Body.IsZero() {
				return
			}
			body, fs := res.Resolve(r.Organization, division.Hint{})
			r.Body = body
			r.Findings = append(r.Findings, fs...)
		}}, st)
	if err != nil {
		t.Fatal(err)
	}
	return true
}
