package store

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"testing"

	"gongkai"
	sqlfiles "gongkai/sql"
)

func levelsFile(t *testing.T) sqlfiles.File {
	t.Helper()
	for _, f := range sqlfiles.Named("rollups") {
		if f.Name == "levels" {
			return f
		}
	}
	t.Fatal("no levels rollup")
	return sqlfiles.File{}
}

func runLevels(t *testing.T, s *Store, year any, div any, level any) []map[string]any {
	t.Helper()
	res, err := s.Query(t.Context(), levelsFile(t).SQL,
		sql.Named("year", year), sql.Named("division", div), sql.Named("level", level))
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, row := range res.Rows {
		m := map[string]any{}
		for i, c := range res.Columns {
			m[c] = row[i]
		}
		out = append(out, m)
	}
	return out
}

func TestLevelsRollup(t *testing.T) {
	s, _ := openTemp(t)
	rng := rand.New(rand.NewPCG(7, 7))
	type b struct {
		org  string
		body gongkai.Body
	}
	wendeng := gongkai.Body{Province: "山东省", City: "威海市", County: "文登区"}
	with := func(base gongkai.Body, code, township, typ string) gongkai.Body {
		base.DivisionCode, base.Township, base.Type = code, township, typ
		return base
	}
	huancui := gongkai.Body{Province: "山东省", City: "威海市", County: "环翠区"}
	jinan := gongkai.Body{Province: "山东省", City: "济南市", County: "历下区"}
	bodies := []b{
		{"泽库镇人民政府", with(wendeng, "371003104", "泽库镇", "township_government")},
		{"天福路街道办事处", with(wendeng, "371003002", "天福路街道", "street_office")},
		{"文登区教育和体育局", with(wendeng, "371003", "", "county_department")},
		{"文登区人民政府办公室", with(wendeng, "371003", "", "county_government")},
		{"环翠区人民政府", with(huancui, "371002", "", "county_government")},
		{"历下区人民政府", with(jinan, "370102", "", "county_government")},
		{"威海市教育局", gongkai.Body{DivisionCode: "371000", Province: "山东省", City: "威海市", Type: "city_department"}},
		{"不知名机关", gongkai.Body{}},
	}
	var batch []gongkai.Parsed
	reports := map[string]*gongkai.Report{}
	for _, y := range []int{2022, 2023} {
		for _, bd := range bodies {
			r := randomReport(rng, bd.org, y, gongkai.V2021, bd.body)
			reports[fmt.Sprint(bd.org, y)] = r
			batch = append(batch, parsed(r))
		}
	}
	// One unknown outcome: the body's withheld sum is unknown.
	reports["泽库镇人民政府2023"].Applications["3_3_2"][6] = gongkai.Null
	// A whole-area report must not count anywhere.
	batch = append(batch, parsed(randomReport(rng, "文登区全区", 2023, gongkai.V2021, with(wendeng, "371003", "", "county_aggregate"))))
	batch[len(batch)-1].Report.Body.Aggregate = true
	if _, err := s.Put(t.Context(), batch); err != nil {
		t.Fatal(err)
	}

	rows := runLevels(t, s, int64(2023), nil, nil)
	byLevel := map[string][]map[string]any{}
	for _, r := range rows {
		if r["year"] != int64(2023) {
			t.Fatalf("row of year %v", r["year"])
		}
		byLevel[r["level"].(string)] = append(byLevel[r["level"].(string)], r)
	}
	if n := len(byLevel["body"]); n != len(bodies) {
		t.Fatalf("%d body rows, want %d", n, len(bodies))
	}
	if n := len(byLevel["nation"]); n != 1 {
		t.Fatalf("%d nation rows", n)
	}
	// Body rows equal the records.
	for _, r := range byLevel["body"] {
		rep := reports[fmt.Sprint(r["organization"], 2023)]
		want, _ := rep.Applications["1_new"][6].Int64()
		if r["requests_new"] != want {
			t.Errorf("%s requests_new = %v, want %d", r["organization"], r["requests_new"], want)
		}
		prev, _ := reports[fmt.Sprint(r["organization"], 2022)].Applications["1_new"][6].Int64()
		if r["requests_new_prev"] != prev || r["requests_new_change"] != want-prev {
			t.Errorf("%s prev %v change %v, want %d %d", r["organization"], r["requests_new_prev"], r["requests_new_change"], prev, want-prev)
		}
		d, _ := rep.Applications["3_1_disclosed"][6].Int64()
		pp, _ := rep.Applications["3_2_partially"][6].Int64()
		h, _ := rep.Applications["3_7_total"][6].Int64()
		if got, ok := r["disclosure_rate"].(float64); h > 0 && (!ok || fmt.Sprintf("%.4f", got) != fmt.Sprintf("%.4f", float64(d+pp)/float64(h))) {
			t.Errorf("%s disclosure_rate %v, want (%d+%d)/%d", r["organization"], r["disclosure_rate"], d, pp, h)
		}
		if r["organization"] == "泽库镇人民政府" && (r["withheld"] != nil || r["incomplete"] != int64(1)) {
			t.Errorf("泽库镇 withheld %v incomplete %v, want NULL and 1", r["withheld"], r["incomplete"])
		}
		if r["rank_requests"] == nil {
			t.Errorf("%s has no rank", r["organization"])
		}
	}
	// Each level equals the sum of the level below.
	measures := []string{"reports", "requests_new", "handled", "withheld", "review_total", "litigation_total", "docs_issued", "licensing"}
	keys := map[string][]string{
		"body": {"province", "city", "county", "township"}, "township": {"province", "city", "county"},
		"county": {"province", "city"}, "city": {"province"}, "province": {},
	}
	parent := map[string]string{"body": "township", "township": "county", "county": "city", "city": "province", "province": "nation"}
	for child, par := range parent {
		for _, pr := range byLevel[par] {
			sums := map[string]int64{}
			n := 0
			for _, ch := range byLevel[child] {
				same := true
				for _, k := range keys[child] {
					if ch[k] != pr[k] {
						same = false
					}
				}
				if !same {
					continue
				}
				n++
				for _, m := range measures {
					if v, ok := ch[m].(int64); ok {
						sums[m] += v
					}
				}
			}
			if n == 0 {
				t.Errorf("%s row %v has no %s rows", par, pr, child)
			}
			for _, m := range measures {
				if got, _ := pr[m].(int64); got != sums[m] {
					t.Errorf("%s %v/%v/%v %s = %v, %s rows add up to %d", par, pr["province"], pr["city"], pr["county"], m, pr[m], child, sums[m])
				}
			}
		}
	}
	// By type: nationwide rows add up to the nation row.
	var total int64
	for _, r := range byLevel["nation_by_type"] {
		total += r["requests_new"].(int64)
	}
	if total != byLevel["nation"][0]["requests_new"] {
		t.Errorf("nation_by_type requests add up to %d, nation %v", total, byLevel["nation"][0]["requests_new"])
	}
	// Township-level rows, counted by hand: 泽库镇, 天福路街道, and the
	// '(county level)' of 文登区, 环翠区 and 历下区, the '(city level)' of
	// 威海市, and '(unresolved)'.
	if n := len(byLevel["township"]); n != 7 {
		t.Errorf("township rows: %d, want 7", n)
	}

	// Filters: a division by name or code, and a level.
	for _, div := range []string{"文登区", "371003"} {
		rs := runLevels(t, s, int64(2023), div, "body")
		if len(rs) != 4 {
			t.Errorf("division %s: %d body rows, want 4", div, len(rs))
		}
	}
	if rs := runLevels(t, s, int64(2023), "威海市", "county"); len(rs) != 3 {
		// 文登区, 环翠区 and the city's own level
		t.Errorf("威海市 county rows: %d, want 3", len(rs))
	}
	if rs := runLevels(t, s, nil, nil, "nation"); len(rs) != 2 {
		t.Errorf("nation rows over all years: %d, want 2", len(rs))
	}
}
