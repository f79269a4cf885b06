package store

import (
	"slices"
	"testing"

	"gongkai"
)

// Schemas 7 and 9 found a division's reports through division_report_ids
// and level_report_ids (one narrow scan per branch, then a semi-join)
// instead of the one OR of schema 4 and of the levels rollup; schema 10's
// level_reports scans report_facts once per branch, each report kept by
// the first branch it matches; schema 12 reads a division of digits as a
// code (a province's or city's trailing zeros dropped) and nothing else.
// For every kind of division a user gives — names at each level,
// city+county, province+city+county, code prefixes with and without
// trailing zeros, a township, a part of an organization's name, digits
// inside an organization's name, an unplaced report's name, something
// matching nothing — each must keep exactly the reports of the plain
// filter below, and each report once (a name that is also part of
// organizations' names, or city+county that is both, matches several
// branches).
func TestDivisionFilterMatchesThePlainFilter(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	ps := genParsed(t, 1, 4)
	// An unplaced report (no division fields at all) and one placed with a
	// county but named oddly: the name branches and the organization
	// substring must still find them.
	unplaced := ps[0]
	unplaced.Report.Organization = "某某市某某区文登联络办公室"
	unplaced.Report.Body = gongkai.Body{}
	unplaced.Path, unplaced.Hash = "unplaced.json", "h-unplaced"
	// Digits inside an organization's name: a code never matches them.
	hotline := ps[1]
	hotline.Report.Organization = "威海市文登区12345政务服务便民热线"
	hotline.Report.Body = gongkai.Body{}
	hotline.Path, hotline.Hash = "hotline.json", "h-hotline"
	ps = append(ps, unplaced, hotline)
	if _, err := s.Put(ctx, ps); err != nil {
		t.Fatal(err)
	}
	township := scalar(t, s, `SELECT min(township) FROM report_facts WHERE township IS NOT NULL`).(string)
	divisions := []string{
		"文登区", "威海市", "山东省", "威海市文登区", "山东省威海市文登区",
		"371003", "3710", "37", "371000", "370000", "371003001",
		township, "人民政府", "文登", "联络办公室", "某某市某某区文登联络办公室", "上海市", "999999",
		"12345", "12345政务", "3",
	}
	ids := func(q string, args ...any) []int64 {
		t.Helper()
		res, err := s.Query(ctx, q, args...)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, r := range res.Rows {
			out = append(out, r[0].(int64))
		}
		slices.Sort(out)
		return out
	}
	for _, d := range divisions {
		old := ids(`SELECT report_id FROM report_facts WHERE `+plainDivisionFilter, d)
		now := ids(`SELECT report_id FROM reports_in(NULL, $1)`, d)
		if !slices.Equal(old, now) {
			t.Errorf("reports_in(%q): %d reports, the plain filter keeps %d", d, len(now), len(old))
		}
		// With a year (schema 9 narrows every branch to it).
		oldYear := ids(`SELECT report_id FROM report_facts WHERE report_year = 2021 AND (`+plainDivisionFilter+`)`, d)
		nowYear := ids(`SELECT report_id FROM reports_in(2021, $1)`, d)
		if !slices.Equal(oldYear, nowYear) {
			t.Errorf("reports_in(2021, %q): %d reports, the plain filter keeps %d", d, len(nowYear), len(oldYear))
		}
		if len(oldYear) == len(old) && len(old) > 0 {
			t.Errorf("reports_in(2021, %q): the year keeps all %d reports of every year", d, len(old))
		}
		oldLevels := ids(`SELECT report_id FROM report_facts
			WHERE $1 IN (province, city, county, township)
			   OR starts_with(division_code,
			          CASE WHEN regexp_full_match($1, '[0-9]{2}0000') THEN left($1, 2)
			               WHEN regexp_full_match($1, '[0-9]{4}00') THEN left($1, 4) ELSE $1 END)`, d)
		nowLevels := ids(`SELECT DISTINCT report_id FROM level_report_ids($1)`, d)
		if !slices.Equal(oldLevels, nowLevels) {
			t.Errorf("level_report_ids(%q): %d reports, the old filter keeps %d", d, len(nowLevels), len(oldLevels))
		}
		if rows := ids(`SELECT report_id FROM level_reports($1)`, d); !slices.Equal(oldLevels, rows) {
			t.Errorf("level_reports(%q): %d rows, the old filter keeps %d reports", d, len(rows), len(oldLevels))
		}
	}
	// The cases above are not vacuous: names, codes and substrings each
	// keep some reports, the unplaced one is found by its name, and a city
	// or province code with its trailing zeros is the whole city or
	// province, as in levels.
	for _, d := range []string{"文登区", "威海市文登区", "371003", "人民政府", "联络办公室", "12345政务"} {
		if len(ids(`SELECT report_id FROM reports_in(NULL, $1)`, d)) == 0 {
			t.Errorf("reports_in(%q) keeps no report", d)
		}
	}
	for _, c := range [][2]string{{"371000", "3710"}, {"370000", "37"}} {
		full, prefix := ids(`SELECT report_id FROM reports_in(NULL, $1)`, c[0]), ids(`SELECT report_id FROM reports_in(NULL, $1)`, c[1])
		if len(full) == 0 || !slices.Equal(full, prefix) {
			t.Errorf("reports_in(%q) keeps %d reports, reports_in(%q) %d: want the same, not none", c[0], len(full), c[1], len(prefix))
		}
	}
	// Digits are a code, never part of a name.
	if got := ids(`SELECT report_id FROM reports_in(NULL, '12345')`); len(got) != 0 {
		t.Errorf("reports_in('12345') keeps %d reports; a code matches no organization's name", len(got))
	}
}

// plainDivisionFilter is what reports_in(year, $1) means, as one plain
// condition on report_facts: digits are a code prefix (a province's
// 370000 or a city's 371000 without their trailing zeros); anything else
// is a name at a level, city+county, province+city+county or part of the
// organization's name.
const plainDivisionFilter = `CASE WHEN regexp_full_match($1, '[0-9]+')
	THEN starts_with(division_code,
	         CASE WHEN regexp_full_match($1, '[0-9]{2}0000') THEN left($1, 2)
	              WHEN regexp_full_match($1, '[0-9]{4}00') THEN left($1, 4) ELSE $1 END)
	ELSE $1 IN (county, city, province, concat(city, county), concat(province, city, county))
	     OR contains(organization, $1) END`

// The report list (GET /v1/reports) takes a code typed in full-width
// digits, or with spaces around it, as the code (gongkai.DivisionParam).
func TestListReportsDivisionAsTyped(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	if _, err := s.Put(ctx, genParsed(t, 1, 2)); err != nil {
		t.Fatal(err)
	}
	want, err := s.ListReports(ctx, 0, "371003", 1000, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Rows) == 0 {
		t.Fatal("371003 lists no report: the test cannot tell")
	}
	for _, d := range []string{"３７１００３", " 371003 ", "\u3000３７１０００"} {
		got, err := s.ListReports(ctx, 0, d, 1000, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Rows) != len(want.Rows) {
			t.Errorf("division %q lists %d reports, 371003 %d", d, len(got.Rows), len(want.Rows))
		}
	}
}
