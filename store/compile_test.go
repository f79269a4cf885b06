package store

import (
	"math/rand/v2"
	"strings"
	"testing"

	"gongkai"
	"gongkai/compile"
	"gongkai/division"
)

// randomReport fills every cell with a small random count (money with a
// fraction), so sums are not trivially zero.
func randomReport(r *rand.Rand, org string, year int, v gongkai.Version, body gongkai.Body) *gongkai.Report {
	rep := gongkai.NewReport(v)
	rep.Organization, rep.ReportYear, rep.Body = org, year, body
	for _, c := range rep.Cells() {
		val := gongkai.Int(int64(r.IntN(50)))
		if c.Kind == gongkai.Money {
			val = gongkai.FromMicros(int64(r.IntN(5_000_000_000)) * 100)
		}
		rep.Set(c.Path(), val)
	}
	return rep
}

func TestCompileSumsCells(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	rng := rand.New(rand.NewPCG(1, 2))
	in := []*gongkai.Report{
		randomReport(rng, "威海市文登区泽库镇人民政府", 2023, gongkai.V2021, gongkai.Body{DivisionCode: "371003104", County: "文登区", Township: "泽库镇", Type: "township_government"}),
		randomReport(rng, "文登区天福路街道办事处", 2023, gongkai.V2021, gongkai.Body{DivisionCode: "371003002", County: "文登区", Township: "天福路街道", Type: "street_office"}),
		randomReport(rng, "文登区教育和体育局", 2023, gongkai.V2021, gongkai.Body{DivisionCode: "371003", County: "文登区", Type: "county_department"}),
		randomReport(rng, "文登区人民政府办公室", 2023, gongkai.V2021, gongkai.Body{DivisionCode: "371003", County: "文登区", Type: "county_government"}),
	}
	out := []*gongkai.Report{
		// Another district, another year, a whole-area report: never summed.
		randomReport(rng, "环翠区人民政府", 2023, gongkai.V2021, gongkai.Body{DivisionCode: "371002", County: "环翠区", Type: "county_government"}),
		randomReport(rng, "文登区教育和体育局", 2022, gongkai.V2021, gongkai.Body{DivisionCode: "371003", County: "文登区", Type: "county_department"}),
		randomReport(rng, "文登区全区", 2023, gongkai.V2021, gongkai.Body{DivisionCode: "371003", County: "文登区", Type: "county_aggregate", Aggregate: true}),
		// Reported in 2022 only: expected but missing in 2023.
		randomReport(rng, "文登区卫生健康局", 2022, gongkai.V2021, gongkai.Body{DivisionCode: "371003", County: "文登区", Type: "county_department"}),
	}
	// One body leaves one cell unknown: the district total is unknown too.
	in[2].Applications["3_3_1"][0] = gongkai.Null
	var batch []gongkai.Parsed
	for _, r := range append(append([]*gongkai.Report{}, in...), out...) {
		batch = append(batch, parsed(r))
	}
	if _, err := s.Put(ctx, batch); err != nil {
		t.Fatal(err)
	}
	c, err := compile.Sum(ctx, s, division.CodePrefix("371003"), 2023)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Bodies) != 4 || len(c.Aggregates) != 1 {
		t.Fatalf("bodies %d aggregates %d, want 4 and 1", len(c.Bodies), len(c.Aggregates))
	}
	if len(c.Missing) != 1 || c.Missing[0].Organization != "文登区卫生健康局" || c.Missing[0].LastYear != 2022 {
		t.Errorf("missing = %+v", c.Missing)
	}
	checked := 0
	for _, cell := range c.Report.Cells() {
		p := cell.Path()
		want := gongkai.Int(0)
		for _, r := range in {
			v, _ := r.Get(p)
			want = want.Add(v)
		}
		if !cell.Value.Equal(want) {
			t.Errorf("%s = %s, want %s", p, cell.Value, want)
		}
		checked++
	}
	if checked != 10+25*7+15 {
		t.Errorf("checked %d cells", checked)
	}
	if len(c.Report.Findings) != 1 || !strings.Contains(c.Report.Findings[0].Message, "1 of 4 bodies did not state it") {
		t.Errorf("findings = %v", c.Report.Findings)
	}
	// Whole city: the 环翠区 report joins.
	c, err = compile.Sum(ctx, s, division.CodePrefix("371000"), 2023)
	if err != nil || len(c.Bodies) != 5 {
		t.Fatalf("city compile: %v, %d bodies", err, len(c.Bodies))
	}
	if _, err := compile.Sum(ctx, s, "371003", 2010); err == nil {
		t.Errorf("compile of an empty year: no error")
	}
}
