package rollup

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gongkai"
	"gongkai/store"
)

// appMeasures are district_year's measures, each defined on the record as
// the rows of section 三 (column 总计) it adds up.
var appMeasures = []struct {
	name   string
	prefix string // rows whose key starts with prefix, or exactly key
	key    string
}{
	{"requests_new", "", "1_new"},
	{"carried_over", "", "2_carried_over"},
	{"outcome_1", "", "3_1_disclosed"},
	{"outcome_2", "", "3_2_partially"},
	{"outcome_3", "3_3_", ""},
	{"outcome_4", "3_4_", ""},
	{"outcome_5", "3_5_", ""},
	{"outcome_6", "3_6", ""}, // 3_6 (2019) or 3_6_1..3 (2021)
	{"outcome_7", "", "3_7_total"},
	{"carried_forward", "", "4_carried_forward"},
}

// measure sums the 总计 cells of the rows a measure covers; ok is false
// when any of them is null (the measure is unknown for this report).
func measure(r *gongkai.Report, prefix, key string) (sum int64, ok bool) {
	total := gongkai.ColumnIndex(gongkai.ColTotal)
	n := 0
	for _, row := range r.Layout().Rows {
		if (key != "" && row.Key == key) || (prefix != "" && strings.HasPrefix(row.Key, prefix)) {
			v, isInt := r.Applications[row.Key][total].Int64()
			if !isInt {
				return 0, false
			}
			sum += v
			n++
		}
	}
	return sum, n > 0
}

type body struct {
	org, township, typ string
	aggregate          bool
	resolved           bool
}

var bodies = []body{
	{"威海市文登区泽库镇人民政府", "泽库镇", "township_government", false, true},
	{"威海市文登区龙山街道办事处", "龙山街道", "street_office", false, true},
	{"威海市文登区葛家镇人民政府", "", "", false, false}, // unresolved: kind and district from the name
	{"文登区教育和体育局", "", "county_department", false, true},
	{"威海市文登区人民政府办公室", "", "county_government", false, true},
	{"威海市文登区人民政府", "", "county_government", true, true}, // whole-district report
}

// fill gives every cell a value; a few cells stay null when withNulls.
func fill(rng *rand.Rand, r *gongkai.Report, withNulls bool) {
	for _, c := range r.Cells() {
		v := gongkai.Int(int64(rng.IntN(40)))
		if c.Kind == gongkai.Money {
			v = gongkai.FromMicros(int64(rng.IntN(10_000_000)))
		}
		if withNulls && rng.IntN(12) == 0 {
			v = gongkai.Null
		}
		if err := r.Set(c.Path(), v); err != nil {
			panic(err)
		}
	}
}

func storeReports(t *testing.T) (*store.Store, []*gongkai.Report) {
	t.Helper()
	st, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "r.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, putYears(t, st, rand.New(rand.NewPCG(7, 11)), []int{2020, 2023}, "", "h")
}

// putYears stores the test bodies for each year, with values drawn from
// rng (a few nulls), files named pathTag+year-i.txt with content hash
// hashTag+year-i, and returns their records.
func putYears(t *testing.T, st *store.Store, rng *rand.Rand, years []int, pathTag, hashTag string) []*gongkai.Report {
	t.Helper()
	var reports []*gongkai.Report
	var batch []gongkai.Parsed
	for _, year := range years {
		v := gongkai.V2021
		if year < 2021 {
			v = gongkai.V2019
		}
		for i, b := range bodies {
			r := gongkai.NewReport(v)
			r.Organization = b.org
			r.ReportYear = year
			fill(rng, r, i%2 == 0)
			if b.resolved {
				r.Body = gongkai.Body{County: "文登区", City: "威海市", Province: "山东省", Township: b.township, Type: b.typ, Aggregate: b.aggregate}
			}
			reports = append(reports, r)
			batch = append(batch, gongkai.Parsed{Report: r, Path: fmt.Sprintf("%s%d-%d.txt", pathTag, year, i), Hash: fmt.Sprintf("%s%d-%d", hashTag, year, i), Rendering: "test"})
		}
	}
	if _, err := st.Put(t.Context(), batch); err != nil {
		t.Fatal(err)
	}
	return reports
}

// rowsBy indexes a result's rows as maps from column name to value.
func rowsOf(res *gongkai.Result) []map[string]any {
	var out []map[string]any
	for _, r := range res.Rows {
		m := map[string]any{}
		for i, c := range res.Columns {
			m[c] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func TestDistrictYearBodyRowsEqualRecords(t *testing.T) {
	st, reports := storeReports(t)
	res, err := Run(t.Context(), st, "district_year", Params{})
	if err != nil {
		t.Fatal(err)
	}
	rows := rowsOf(res)
	byBody := map[string]map[string]any{}
	for _, r := range rows {
		if r["level"] == "body" {
			byBody[fmt.Sprintf("%v|%v", r["organization"], r["year"])] = r
		}
	}
	for _, rep := range reports {
		k := fmt.Sprintf("%s|%d", rep.Organization, rep.ReportYear)
		got, ok := byBody[k]
		if rep.Body.Aggregate {
			if ok {
				t.Errorf("aggregate report %s summed as a body", k)
			}
			continue
		}
		if !ok {
			t.Errorf("no body row for %s", k)
			continue
		}
		if got["district"] != "文登区" {
			t.Errorf("%s: district %v, want 文登区", k, got["district"])
		}
		wantKind := "county"
		if strings.HasSuffix(rep.Organization, "镇人民政府") || strings.HasSuffix(rep.Organization, "街道办事处") {
			wantKind = "township"
		}
		if got["body_kind"] != wantKind {
			t.Errorf("%s: body_kind %v, want %s", k, got["body_kind"], wantKind)
		}
		for _, m := range appMeasures {
			sum, known := measure(rep, m.prefix, m.key)
			var want any
			if known {
				want = sum
			}
			if got[m.name] != want {
				t.Errorf("%s %s = %v, want %v", k, m.name, got[m.name], want)
			}
		}
	}
}

func TestDistrictYearTotalsEqualSumsOfRecords(t *testing.T) {
	st, reports := storeReports(t)
	res, err := Run(t.Context(), st, "district_year", Params{Year: 2023})
	if err != nil {
		t.Fatal(err)
	}
	var total map[string]any
	for _, r := range rowsOf(res) {
		if r["year"] != nil && r["year"] != int64(2023) {
			t.Errorf("--year 2023 returned a row of %v", r["year"])
		}
		if r["level"] == "total" {
			total = r
		}
	}
	if total == nil {
		t.Fatal("no total row")
	}
	var n int64
	for _, m := range appMeasures {
		var sum, nulls int64
		n = 0
		for _, rep := range reports {
			if rep.ReportYear != 2023 || rep.Body.Aggregate {
				continue
			}
			n++
			v, ok := measure(rep, m.prefix, m.key)
			if ok {
				sum += v
			} else {
				nulls++
			}
		}
		if total[m.name] != sum {
			t.Errorf("total %s = %v, want %d", m.name, total[m.name], sum)
		}
		nc, _ := total["null_counts"].(string)
		if nulls > 0 && !strings.Contains(" "+nc+" ", fmt.Sprintf(" %s=%d ", m.name, nulls)) {
			t.Errorf("null_counts %q lacks %s=%d", nc, m.name, nulls)
		}
		if nulls == 0 && strings.Contains(" "+nc, " "+m.name+"=") {
			t.Errorf("null_counts %q names %s, which has no nulls", nc, m.name)
		}
	}
	if total["reports"] != n {
		t.Errorf("total reports = %v, want %d", total["reports"], n)
	}
}

// TestSubtotalsEqualDetailRows checks every GROUPING SETS level of the
// rollups against the rows one level below, for each numeric column.
func TestSubtotalsEqualDetailRows(t *testing.T) {
	st, _ := storeReports(t)
	cases := []struct {
		rollup string
		// parent level → child level, and the dimensions the child must
		// share with its parent.
		levels [][2]string
		dims   map[string][]string
	}{
		{"district_year", [][2]string{{"body_kind", "body"}, {"district", "body_kind"}, {"year", "district"}, {"total", "year"}},
			map[string][]string{"body_kind": {"year", "district", "body_kind"}, "district": {"year", "district"}, "year": {"year"}, "total": {}}},
		{"district_year_review", [][2]string{{"body_kind", "body"}, {"district", "body_kind"}, {"year", "district"}, {"total", "year"}},
			map[string][]string{"body_kind": {"year", "district", "body_kind"}, "district": {"year", "district"}, "year": {"year"}, "total": {}}},
		{"township_year", [][2]string{{"township", "township_year"}, {"district_year", "township_year"}, {"total", "district_year"}},
			map[string][]string{"township": {"district", "township"}, "district_year": {"district", "year"}, "total": {}}},
	}
	for _, c := range cases {
		t.Run(c.rollup, func(t *testing.T) {
			res, err := Run(t.Context(), st, c.rollup, Params{})
			if err != nil {
				t.Fatal(err)
			}
			rows := rowsOf(res)
			var numeric []string
			for i, col := range res.Columns {
				if res.Types[i] == "BIGINT" {
					numeric = append(numeric, col)
				}
			}
			checked := 0
			for _, lv := range c.levels {
				parentLevel, childLevel := lv[0], lv[1]
				for _, p := range rows {
					if p["level"] != parentLevel {
						continue
					}
					sums := map[string]int64{}
					children := 0
					for _, ch := range rows {
						if ch["level"] != childLevel {
							continue
						}
						same := true
						for _, d := range c.dims[parentLevel] {
							if ch[d] != p[d] {
								same = false
							}
						}
						if !same {
							continue
						}
						children++
						for _, col := range numeric {
							if v, ok := ch[col].(int64); ok {
								sums[col] += v
							}
						}
					}
					if children == 0 {
						t.Errorf("%s row %v has no %s rows", parentLevel, p, childLevel)
					}
					for _, col := range numeric {
						got, _ := p[col].(int64) // NULL only when every child is NULL
						if got != sums[col] {
							t.Errorf("%s row (%v %v %v) %s = %v, sum of its %d %s rows = %d",
								parentLevel, p["year"], p["district"], p["township"], col, p[col], children, childLevel, sums[col])
						}
					}
					checked++
				}
			}
			if checked < 3 {
				t.Errorf("only %d subtotal rows checked", checked)
			}
		})
	}
}

func TestActiveRollupSums(t *testing.T) {
	st, reports := storeReports(t)
	res, err := Run(t.Context(), st, "district_year_active", Params{Year: 2023, Division: "文登区"})
	if err != nil {
		t.Fatal(err)
	}
	var want gongkai.Num = gongkai.Int(0)
	var nulls int64
	for _, r := range reports {
		if r.ReportYear != 2023 || r.Body.Aggregate {
			continue
		}
		v := r.Active["fees"]["amount_10k_yuan"]
		if v.Valid() {
			want = want.Add(v)
		} else {
			nulls++
		}
	}
	found := false
	for _, r := range rowsOf(res) {
		if r["level"] == "year" && r["item_key"] == "fees" && r["metric_key"] == "amount_10k_yuan" {
			found = true
			if got, ok := r["value"].(gongkai.Num); !ok || !got.Equal(want) {
				t.Errorf("fees 2023 = %v, want %v", r["value"], want)
			}
			if r["null_reports"] != nulls {
				t.Errorf("fees null_reports = %v, want %d", r["null_reports"], nulls)
			}
			if r["item_label"] != "行政事业性收费" {
				t.Errorf("item_label = %v", r["item_label"])
			}
		}
	}
	if !found {
		t.Error("no year row for fees")
	}
}

func TestListAndParams(t *testing.T) {
	names := Names()
	for _, want := range []string{"district_year", "township_year", "district_year_review", "district_year_active", "findings", "findings_summary"} {
		if !strings.Contains(" "+strings.Join(names, " ")+" ", " "+want+" ") {
			t.Errorf("rollup %s missing from %v", want, names)
		}
	}
	for _, r := range List() {
		if r.Description == "" {
			t.Errorf("%s has no description", r.Name)
		}
		if _, err := Bind(r.Name, Params{}); err != nil {
			t.Errorf("%s: %v", r.Name, err)
		}
	}
	if _, err := Lookup("nope"); err == nil || gongkai.HintOf(err) == "" {
		t.Errorf("unknown rollup: err %v, hint %q", err, gongkai.HintOf(err))
	}
	if _, err := Bind("district_year", Params{Rule: "R1"}); !errors.Is(err, gongkai.ErrUsage) {
		t.Errorf("district_year accepted a rule parameter: %v", err)
	}
	for _, y := range []int{1999, 2101} {
		if _, err := Bind("district_year", Params{Year: y}); !errors.Is(err, gongkai.ErrUsage) {
			t.Errorf("year %d: %v", y, err)
		}
	}
	var p Params
	for _, c := range []struct{ name, value string }{{"year", "2023"}, {"division", "文登区"}, {"level", "county"}, {"rule", "R1"}} {
		if err := p.Set(c.name, c.value); err != nil {
			t.Fatal(err)
		}
	}
	if p != (Params{Year: 2023, Division: "文登区", Level: "county", Rule: "R1"}) {
		t.Errorf("Set gave %+v", p)
	}
	if err := p.Set("year", "twenty"); !errors.Is(err, gongkai.ErrUsage) {
		t.Errorf("year twenty: %v", err)
	}
	if err := p.Set("month", "1"); !errors.Is(err, gongkai.ErrUsage) || gongkai.HintOf(err) == "" {
		t.Errorf("unknown parameter: %v", err)
	}
	for _, l := range []string{"County", "counties", "区县", " county"} {
		if _, err := Bind("levels", Params{Level: l}); !errors.Is(err, gongkai.ErrUsage) || !strings.Contains(err.Error(), "county_by_type") {
			t.Errorf("level %q: %v, want a usage error naming the levels", l, err)
		}
	}
	for _, l := range Levels {
		if _, err := Bind("levels", Params{Level: l}); err != nil {
			t.Errorf("level %q: %v", l, err)
		}
	}
	b, err := Bind("levels", Params{Year: 2023, Level: "county"})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Given) != 2 || b.Given["year"] != int64(2023) || b.Given["level"] != "county" {
		t.Errorf("Given = %v", b.Given)
	}
}

// TestRollupsRun runs every embedded rollup on an empty store, with every
// parameter unset and with every parameter it takes set, so a typo in any
// file fails here rather than in front of a user.
func TestRollupsRun(t *testing.T) {
	st, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "e.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	all := Params{Year: 2023, Division: "文登区", Rule: "R1", Level: "county"}
	for _, r := range List() {
		var p Params
		for _, name := range r.Params {
			switch name {
			case "year":
				p.Year = all.Year
			case "division":
				p.Division = all.Division
			case "rule":
				p.Rule = all.Rule
			case "level":
				p.Level = all.Level
			}
		}
		for _, p := range []Params{{}, p} {
			res, err := Run(t.Context(), st, r.Name, p)
			if err != nil {
				t.Errorf("%s %+v: %v", r.Name, p, err)
				continue
			}
			if len(res.Columns) == 0 {
				t.Errorf("%s: no columns", r.Name)
			}
		}
	}
}

func TestDivisionFilter(t *testing.T) {
	st, _ := storeReports(t)
	orgs := func(p Params) map[string]bool {
		t.Helper()
		res, err := Run(t.Context(), st, "district_year", p)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, r := range rowsOf(res) {
			if r["level"] == "body" {
				out[r["organization"].(string)] = true
			}
		}
		return out
	}
	// Resolved bodies match by county, city+county or city; the unresolved
	// one by its name.
	for _, d := range []string{"文登区", "威海市文登区", "威海市", "山东省威海市文登区"} {
		got := orgs(Params{Division: d})
		if !got["文登区教育和体育局"] || !got["威海市文登区泽库镇人民政府"] {
			t.Errorf("--division %s: bodies %v", d, got)
		}
	}
	if got := orgs(Params{Division: "葛家镇"}); len(got) != 1 || !got["威海市文登区葛家镇人民政府"] {
		t.Errorf("--division 葛家镇: %v", got)
	}
	if got := orgs(Params{Division: "荣成市"}); len(got) != 0 {
		t.Errorf("--division 荣成市: %v", got)
	}
}

// Levels is the levels rollup's own vocabulary: every value its level
// column takes on a store, and no other, so Bind refuses only what could
// never match.
func TestLevelsAreTheRollupsLevels(t *testing.T) {
	st, _ := storeReports(t)
	res, err := Run(t.Context(), st, "levels", Params{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range rowsOf(res) {
		seen[r["level"].(string)] = true
	}
	got := slices.Sorted(maps.Keys(seen))
	want := slices.Sorted(slices.Values(Levels))
	if !slices.Equal(got, want) {
		t.Errorf("levels rollup gives levels %v, Levels is %v", got, want)
	}
}

// A division that is not UTF-8 (typed in a GBK terminal) is a usage error
// naming the parameter; DuckDB itself only says it could not bind it.
func TestBindRefusesNonUTF8(t *testing.T) {
	for _, p := range []Params{{Division: "\xce\xc4\xb5\xc7\xc7\xf8"}, {Division: "文登\xe5"}, {Level: "county\xff"}} {
		_, err := Bind("levels", p)
		if !errors.Is(err, gongkai.ErrUsage) || !strings.Contains(err.Error(), "not UTF-8") {
			t.Errorf("Bind(levels, %+v) = %v, want a usage error saying not UTF-8", p, err)
		}
	}
	if _, err := Bind("levels", Params{Division: "文登区"}); err != nil {
		t.Errorf("Bind(levels, 文登区) = %v", err)
	}
}

// A division typed with spaces around it filters as without them
// (gongkai.DivisionParam; store's TestListReportsDivisionAsTyped has the
// full-width code).
func TestDivisionAsTyped(t *testing.T) {
	st, _ := storeReports(t)
	want, err := Run(t.Context(), st, "district_year", Params{Division: "文登区"})
	if err != nil {
		t.Fatal(err)
	}
	if rows := rowsOf(want); len(rows) == 0 || rows[len(rows)-1]["reports"] == int64(0) {
		t.Fatalf("文登区 keeps no report: the test cannot tell")
	}
	for _, d := range []string{" 文登区 ", "\u3000文登区\t"} {
		got, err := Run(t.Context(), st, "district_year", Params{Division: d})
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got.Rows) != fmt.Sprint(want.Rows) {
			t.Errorf("division %q answers %d rows unlike 文登区's %d", d, len(got.Rows), len(want.Rows))
		}
	}
}
