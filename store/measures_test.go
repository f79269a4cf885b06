package store

import (
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"gongkai"
	"gongkai/division"
	sqlfiles "gongkai/sql"
)

// The body types named in the shared views (schema 0003) are the Go
// resolver's: a renamed type would silently turn every body into an
// 'org|' key or a county-level body.
func TestMeasuresViewBodyTypesAreResolverTypes(t *testing.T) {
	b, err := sqlfiles.Files.ReadFile("schema/0003_measures.sql")
	if err != nil {
		t.Fatal(err)
	}
	lit := regexp.MustCompile(`'([a-z]+_[a-z_]+)'`)
	found := 0
	for _, m := range lit.FindAllStringSubmatch(string(b), -1) {
		if m[1] == "body_type" || !slices.Contains([]string{"government", "office", "department", "aggregate"}, lastPart(m[1])) {
			continue
		}
		found++
		if !slices.Contains(division.BodyTypes, m[1]) {
			t.Errorf("schema 0003 names body type %q, which division.BodyTypes lacks", m[1])
		}
	}
	if found < 5 {
		t.Fatalf("found %d body types in schema 0003, want the 5 of body_key", found)
	}
}

func lastPart(s string) string {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '_' {
			return s[i+1:]
		}
	}
	return s
}

// report_bodies: the expected values follow the rules documented in
// schema 0003 (division fields first, the organization's name only for
// bodies the resolver could not place).
func TestReportBodies(t *testing.T) {
	s, _ := openTemp(t)
	zeku := gongkai.Body{DivisionCode: "371003104", Province: "山东省", City: "威海市", County: "文登区", Township: "泽库镇", Type: "township_government"}
	dept := gongkai.Body{DivisionCode: "371003", Province: "山东省", City: "威海市", County: "文登区", Type: "county_department"}
	whole := gongkai.Body{DivisionCode: "371003", Province: "山东省", City: "威海市", County: "文登区", Type: "county_aggregate", Aggregate: true}
	cases := []struct {
		org                           string
		body                          gongkai.Body
		key, district, kind, township string
	}{
		{"威海市文登区泽库镇人民政府", zeku, "371003104|township_government|泽库镇|false", "文登区", "township", "泽库镇"},
		{"文登区教育和体育局", dept, "org|文登区教育和体育局", "文登区", "county", "文登区教育和体育局"},
		{"文登区全区汇总", whole, "371003|county_aggregate||true", "文登区", "county", "文登区全区汇总"},
		{"某某县大水泊镇人民政府", gongkai.Body{}, "org|某某县大水泊镇人民政府", "某某县", "township", "大水泊镇"},
		{"某某县龙山路街道办事处", gongkai.Body{}, "org|某某县龙山路街道办事处", "某某县", "township", "龙山路街道"},
		{"平潭综合实验区", gongkai.Body{}, "org|平潭综合实验区", "平潭综合实验区", "county", "平潭综合实验区"},
		{"教育局", gongkai.Body{}, "org|教育局", "(unknown)", "county", "教育局"},
	}
	var batch []gongkai.Parsed
	for _, c := range cases {
		batch = append(batch, parsed(zeroReport(c.org, 2023, gongkai.V2021, c.body)))
	}
	if _, err := s.Put(t.Context(), batch); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		res, err := s.Query(t.Context(), `SELECT body_key, district, body_kind, township_name FROM report_bodies WHERE organization = ?`, c.org)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rows) != 1 {
			t.Fatalf("%s: %d rows", c.org, len(res.Rows))
		}
		got := res.Rows[0]
		if got[0] != c.key || got[1] != c.district || got[2] != c.kind || got[3] != c.township {
			t.Errorf("%s: got %v, want [%s %s %s %s]", c.org, got, c.key, c.district, c.kind, c.township)
		}
	}
	// rollup_bodies leaves out whole-area reports and filters by year and division.
	for _, tc := range []struct {
		year     any
		division any
		want     int64
	}{
		{nil, nil, 6}, {2023, nil, 6}, {2022, nil, 0},
		{nil, "文登区", 2}, {nil, "威海市文登区", 2}, {nil, "3710", 2}, {nil, "某某县", 2}, {nil, "淮安", 0},
	} {
		got := scalar(t, s, `SELECT count(*) FROM rollup_bodies(CAST(? AS INTEGER), CAST(? AS VARCHAR))`, tc.year, tc.division)
		if got != tc.want {
			t.Errorf("rollup_bodies(%v, %v) = %v rows, want %d", tc.year, tc.division, got, tc.want)
		}
	}
}

// report_measures: one row per report; a sum of parts is NULL when a part
// is; 3_6 of the 2019 layout is taken as it is.
func TestReportMeasures(t *testing.T) {
	s, _ := openTemp(t)
	r21 := zeroReport("甲镇人民政府", 2023, gongkai.V2021, gongkai.Body{})
	set(t, r21, "applications.3_3_1.total", 2)
	set(t, r21, "applications.3_3_8.total", 3)
	set(t, r21, "applications.3_6_1.total", 1)
	set(t, r21, "applications.3_6_3.total", 4)
	set(t, r21, "review_litigation.litigation_direct.upheld", 5)
	set(t, r21, "review_litigation.litigation_after_review.upheld", 6)
	set(t, r21, "active.regulations.issued", 7)
	set(t, r21, "active.normative_documents.issued", 8)
	if err := r21.Set("applications.3_4_2.total", gongkai.Null); err != nil {
		t.Fatal(err)
	}
	if err := r21.Set("review_litigation.litigation_after_review.corrected", gongkai.Null); err != nil {
		t.Fatal(err)
	}
	r19 := zeroReport("乙镇人民政府", 2019, gongkai.V2019, gongkai.Body{})
	set(t, r19, "applications.3_6.total", 9)
	set(t, r19, "active.regulations.new_made", 1)
	set(t, r19, "active.normative_documents.new_made", 2)
	if _, err := s.Put(t.Context(), []gongkai.Parsed{parsed(r21), parsed(r19)}); err != nil {
		t.Fatal(err)
	}
	if got := scalar(t, s, `SELECT count(*) FROM report_measures`); got != int64(2) {
		t.Fatalf("report_measures rows = %v, want 2", got)
	}
	q := `SELECT CAST(withheld AS BIGINT), CAST(no_info AS BIGINT), CAST(other_handled AS BIGINT),
	             CAST(litigation_upheld AS BIGINT), CAST(litigation_corrected AS BIGINT),
	             litigation_after_review_corrected, CAST(docs_issued AS BIGINT)
	      FROM report_measures JOIN reports USING (report_id) WHERE organization = ?`
	for _, tc := range []struct {
		org  string
		want []any
	}{
		{"甲镇人民政府", []any{int64(5), nil, int64(5), int64(11), nil, nil, int64(15)}},
		{"乙镇人民政府", []any{int64(0), int64(0), int64(9), int64(0), int64(0), int64(0), int64(3)}},
	} {
		res, err := s.Query(t.Context(), q, tc.org)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rows) != 1 || !slices.Equal(res.Rows[0], tc.want) {
			t.Errorf("%s: got %v, want %v", tc.org, res.Rows, tc.want)
		}
	}
}

// COPY FROM DATABASE (the snapshot of a store with a write-ahead log)
// carries the views and table macros of schemas 3 and 4.
func TestSharedViewsSurviveDatabaseCopy(t *testing.T) {
	s, _ := openTemp(t)
	r := zeroReport("甲镇人民政府", 2023, gongkai.V2021, gongkai.Body{})
	if _, err := s.Put(t.Context(), []gongkai.Parsed{parsed(r)}); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "copy.duckdb")
	if err := s.copyDatabase(t.Context(), dest); err != nil {
		t.Fatal(err)
	}
	c, err := OpenReadOnly(t.Context(), dest)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, q := range []string{
		`SELECT count(*) FROM report_measures WHERE withheld = 0`,
		`SELECT count(*) FROM report_bodies WHERE body_kind = 'township'`,
		`SELECT count(*) FROM rollup_bodies(2023, '甲镇')`,
		`SELECT count(*) FROM reports_in(NULL, NULL)`,
	} {
		if got := scalar(t, c, q); got != int64(1) {
			t.Errorf("%s = %v on the copy, want 1", q, got)
		}
	}
}
