package store

import (
	"database/sql"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai"
)

// TestLevelsBodyProjectionEqualsGrouping checks that levels, whose body
// level is a projection of report_facts (one row per report), answers
// exactly what its earlier form answered, which grouped the body level
// like every other (testdata/levels_grouped.sql, the rollup as it was at
// 297bf23): on a store with unknown measures, both layouts, reports
// replaced by a later ingest and reports ingested again unchanged, for
// every filter. The projection relies on Put keeping one report per
// organization and year; the replacements here would break the answer if
// it did not.
func TestLevelsBodyProjectionEqualsGrouping(t *testing.T) {
	grouped, err := os.ReadFile("testdata/levels_grouped.sql")
	if err != nil {
		t.Fatal(err)
	}
	s, _ := openTemp(t)
	rng := rand.New(rand.NewPCG(11, 12))
	wendeng := gongkai.Body{Province: "山东省", City: "威海市", County: "文登区"}
	with := func(base gongkai.Body, code, township, typ string) gongkai.Body {
		base.DivisionCode, base.Township, base.Type = code, township, typ
		return base
	}
	bodies := []struct {
		org  string
		body gongkai.Body
	}{
		{"泽库镇人民政府", with(wendeng, "371003104", "泽库镇", "township_government")},
		{"天福路街道办事处", with(wendeng, "371003002", "天福路街道", "street_office")},
		{"文登区教育和体育局", with(wendeng, "371003", "", "county_department")},
		{"文登区人民政府办公室", with(wendeng, "371003", "", "county_government")},
		{"环翠区人民政府", with(gongkai.Body{Province: "山东省", City: "威海市", County: "环翠区"}, "371002", "", "county_government")},
		{"历下区人民政府", with(gongkai.Body{Province: "山东省", City: "济南市", County: "历下区"}, "370102", "", "county_government")},
		{"威海市教育局", gongkai.Body{DivisionCode: "371000", Province: "山东省", City: "威海市", Type: "city_department"}},
		{"不知名机关", gongkai.Body{}},
	}
	report := func(org string, year int, body gongkai.Body) *gongkai.Report {
		v := gongkai.V2021
		if year < 2021 {
			v = gongkai.V2019
		}
		r := randomReport(rng, org, year, v, body)
		// About one report in three leaves some cells unknown, so
		// measures, rates and incomplete counts meet NULL.
		if rng.IntN(3) == 0 {
			for _, c := range r.Cells() {
				if rng.IntN(8) == 0 {
					r.Set(c.Path(), gongkai.Null)
				}
			}
		}
		return r
	}
	var first, again []gongkai.Parsed
	for _, y := range []int{2020, 2021, 2022, 2023} {
		for i, b := range bodies {
			p := parsed(report(b.org, y, b.body))
			first = append(first, p)
			switch {
			case i%3 == 0: // replaced by a later ingest with other numbers
				q := parsed(report(b.org, y, b.body))
				q.Hash += "-replaced"
				again = append(again, q)
			case i%3 == 1: // ingested again unchanged
				again = append(again, p)
			}
		}
	}
	agg := parsed(report("文登区全区", 2023, with(wendeng, "371003", "", "county_aggregate")))
	agg.Report.Body.Aggregate = true
	first = append(first, agg)
	for _, batch := range [][]gongkai.Parsed{first, again} {
		if _, err := s.Put(t.Context(), batch); err != nil {
			t.Fatal(err)
		}
	}
	var dup int64
	if err := s.DB().QueryRowContext(t.Context(), `SELECT count(*) FROM (SELECT organization, report_year FROM report_facts
		WHERE NOT is_aggregate GROUP BY ALL HAVING count(*) > 1)`).Scan(&dup); err != nil || dup != 0 {
		t.Fatalf("organizations stored twice for a year: %d (%v)", dup, err)
	}
	for _, c := range []struct{ year, division, level any }{
		{nil, nil, nil},
		{int64(2023), nil, nil},
		{int64(2021), nil, nil},
		{nil, "文登区", nil},
		{int64(2023), "371003", "body"},
		{nil, "威海市", "county"},
		{nil, nil, "township"},
		{nil, nil, "nation_by_type"},
	} {
		args := []any{sql.Named("year", c.year), sql.Named("division", c.division), sql.Named("level", c.level)}
		want, err := s.Query(t.Context(), string(grouped), args...)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Query(t.Context(), levelsFile(t).SQL, args...)
		if err != nil {
			t.Fatal(err)
		}
		if len(want.Rows) == 0 {
			t.Fatalf("%+v: no rows to compare", c)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("levels %+v differs from the grouped form (-grouped +now):\n%s", c, d)
		}
	}
}
