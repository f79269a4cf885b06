package store

import (
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"
	"testing"

	"gongkai"
)

// zeroReport returns a report of layout v with every cell 0, ready to be
// changed by the test.
func zeroReport(org string, year int, v gongkai.Version, body gongkai.Body) *gongkai.Report {
	r := gongkai.NewReport(v)
	r.Organization, r.ReportYear, r.Body = org, year, body
	for _, c := range r.Cells() {
		if err := r.Set(c.Path(), gongkai.Int(0)); err != nil {
			panic(err)
		}
	}
	return r
}

func parsed(r *gongkai.Report) gongkai.Parsed {
	h := sha256.Sum256([]byte(fmt.Sprint(r.Organization, r.ReportYear, r.Body)))
	return gongkai.Parsed{Report: r, Path: r.Organization + ".json", Hash: fmt.Sprintf("%x", h), Rendering: "record_json"}
}

func set(t *testing.T, r *gongkai.Report, path string, v int64) {
	t.Helper()
	if err := r.Set(path, gongkai.Int(v)); err != nil {
		t.Fatal(err)
	}
}

type storedFinding struct {
	org, rule, status string
	where             string
	message           string
	year              int64
}

func storeFindings(t *testing.T, s *Store) []storedFinding {
	t.Helper()
	res, err := s.Query(t.Context(), `SELECT r.organization, r.report_year, f.rule, f.status, array_to_string(f."where", ','), f.message
		FROM findings f JOIN reports r USING (report_id) WHERE f.scope = 'store' ORDER BY ALL`)
	if err != nil {
		t.Fatal(err)
	}
	var out []storedFinding
	for _, row := range res.Rows {
		out = append(out, storedFinding{org: row[0].(string), year: row[1].(int64), rule: row[2].(string),
			status: row[3].(string), where: row[4].(string), message: row[5].(string)})
	}
	return out
}

func has(fs []storedFinding, org string, year int64, rule, status, whereSub string) bool {
	return slices.ContainsFunc(fs, func(f storedFinding) bool {
		return f.org == org && f.year == year && f.rule == rule && f.status == status && strings.Contains(f.where, whereSub)
	})
}

func TestCrossRules(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	zeku := gongkai.Body{DivisionCode: "371003104", Province: "山东省", City: "威海市", County: "文登区", Township: "泽库镇", Type: "township_government"}
	dept := gongkai.Body{DivisionCode: "371003", Province: "山东省", City: "威海市", County: "文登区", Type: "county_department"}
	whole := gongkai.Body{DivisionCode: "371003", Province: "山东省", City: "威海市", County: "文登区", Type: "county_aggregate", Aggregate: true}

	// 泽库镇: 2022 carries 3 forward (natural persons), 2023 says 2 came over.
	// The organization is spelled differently in 2023: same body by code.
	z22 := zeroReport("泽库镇人民政府", 2022, gongkai.V2021, zeku)
	set(t, z22, "applications.4_carried_forward.natural_person", 3)
	set(t, z22, "applications.4_carried_forward.total", 3)
	set(t, z22, "active.normative_documents.in_force", 10)
	z23 := zeroReport("威海市文登区泽库镇人民政府", 2023, gongkai.V2021, zeku)
	set(t, z23, "applications.2_carried_over.natural_person", 2)
	set(t, z23, "applications.2_carried_over.total", 2)
	set(t, z23, "active.normative_documents.issued", 2)
	set(t, z23, "active.normative_documents.repealed", 1)
	set(t, z23, "active.normative_documents.in_force", 12) // 10 + 2 − 1 = 11
	// A department with only 2023: nothing to compare with.
	d23 := zeroReport("文登区教育和体育局", 2023, gongkai.V2021, dept)
	set(t, d23, "applications.1_new.total", 5)
	set(t, d23, "applications.1_new.other", 5)
	// The whole district's 2023 report: 1_new.total right (5), 1_new.other wrong (4).
	w23 := zeroReport("文登区全区", 2023, gongkai.V2021, whole)
	set(t, w23, "applications.1_new.total", 5)
	set(t, w23, "applications.1_new.other", 4)
	set(t, w23, "applications.4_carried_forward.natural_person", 0)
	w23.ReviewLitigation["review"]["upheld"] = gongkai.Null // null: not checkable
	// 2019 layout chain: licensing 5 + 2 = 7 holds; punishment 3 + 0 ≠ 4.
	c19 := zeroReport("文登区人民政府", 2019, gongkai.V2019, gongkai.Body{DivisionCode: "371003", County: "文登区", Type: "county_government"})
	set(t, c19, "active.licensing.prev_year_items", 5)
	set(t, c19, "active.licensing.change", 2)
	set(t, c19, "active.punishment.prev_year_items", 3)
	c20 := zeroReport("文登区人民政府", 2020, gongkai.V2019, gongkai.Body{DivisionCode: "371003", County: "文登区", Type: "county_government"})
	set(t, c20, "active.licensing.prev_year_items", 7)
	set(t, c20, "active.punishment.prev_year_items", 4)

	if _, err := s.Put(ctx, []gongkai.Parsed{parsed(z22), parsed(z23), parsed(d23), parsed(w23), parsed(c19), parsed(c20)}); err != nil {
		t.Fatal(err)
	}
	if err := s.RunCrossRules(ctx); err != nil {
		t.Fatal(err)
	}
	fs := storeFindings(t, s)
	for _, f := range fs {
		t.Logf("%s %d %s %s %s: %s", f.org, f.year, f.rule, f.status, f.where, f.message)
	}
	want := []struct {
		org           string
		year          int64
		rule, status  string
		where         string
		shouldBeThere bool
	}{
		{"威海市文登区泽库镇人民政府", 2023, "R6", "failed", "applications.2_carried_over.natural_person", true},
		{"威海市文登区泽库镇人民政府", 2023, "R6", "failed", "applications.2_carried_over.total", true},
		{"威海市文登区泽库镇人民政府", 2023, "R6", "failed", "applications.2_carried_over.commercial", false},
		{"泽库镇人民政府", 2022, "R6", "not_checkable", "applications.2_carried_over", true},
		{"泽库镇人民政府", 2022, "R6", "failed", "", false},
		{"文登区教育和体育局", 2023, "R6", "not_checkable", "applications.2_carried_over", true},
		{"威海市文登区泽库镇人民政府", 2023, "R7", "failed", "active.normative_documents.in_force", true},
		{"威海市文登区泽库镇人民政府", 2023, "R7", "failed", "active.regulations", false},
		{"泽库镇人民政府", 2022, "R7", "not_checkable", "active.normative_documents.in_force", true},
		{"文登区人民政府", 2020, "R7", "failed", "active.punishment.prev_year_items", true},
		{"文登区人民政府", 2020, "R7", "failed", "active.licensing", false},
		{"文登区人民政府", 2019, "R7", "not_checkable", "active.licensing.prev_year_items", true},
		{"文登区全区", 2023, "R9", "failed", "applications.1_new.other", true},
		{"文登区全区", 2023, "R9", "failed", "applications.1_new.total", false},
		{"文登区全区", 2023, "R9", "not_checkable", "review_litigation.review.upheld", true},
	}
	for _, w := range want {
		if got := has(fs, w.org, w.year, w.rule, w.status, w.where); got != w.shouldBeThere {
			t.Errorf("%s %d %s %s %q present = %v, want %v", w.org, w.year, w.rule, w.status, w.where, got, w.shouldBeThere)
		}
	}
	// R9's parts are 泽库镇 and the department (2023), not the aggregate itself.
	if !slices.ContainsFunc(fs, func(f storedFinding) bool {
		return f.rule == "R9" && f.status == "failed" && strings.Contains(f.message, "is 4 but its 2 parts add up to 5")
	}) {
		t.Errorf("R9 message does not give 4 vs 5 over 2 parts")
	}

	// Recomputing replaces, never duplicates; report-scope findings stay.
	n := len(fs)
	if err := s.RunCrossRules(ctx); err != nil {
		t.Fatal(err)
	}
	if got := len(storeFindings(t, s)); got != n {
		t.Errorf("second run: %d store findings, want %d", got, n)
	}

	// The missing 2021 report arrives: 2022's R6 becomes checkable.
	z21 := zeroReport("泽库镇人民政府", 2021, gongkai.V2021, zeku)
	set(t, z21, "active.normative_documents.in_force", 10)
	if _, err := s.Put(ctx, []gongkai.Parsed{parsed(z21)}); err != nil {
		t.Fatal(err)
	}
	if err := s.RunCrossRules(ctx); err != nil {
		t.Fatal(err)
	}
	fs = storeFindings(t, s)
	if has(fs, "泽库镇人民政府", 2022, "R6", "not_checkable", "") || has(fs, "泽库镇人民政府", 2022, "R7", "", "") {
		t.Errorf("2022 still has R6/R7 findings after 2021 arrived: %v", fs)
	}
}

func TestCrossRuleHeaders(t *testing.T) {
	rs := CrossRules()
	if len(rs) < 4 {
		t.Fatalf("%d rule files", len(rs))
	}
	for _, r := range rs {
		if r.Description == "" {
			t.Errorf("%s: no description", r.Name)
		}
	}
}
