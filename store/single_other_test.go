package store

import (
	"math/rand/v2"
	"testing"

	"gongkai"
	"gongkai/compile"
	"gongkai/division"
)

// A 2021 report printed with a single （六）其他处理 row (FORMAT.md §3) keeps
// that row as 3_6: stored with its label, used as the report's outcome 六
// (other_handled) by the measures the rollups sum, and added into the
// compiled district's 3_6 together with the other bodies' sub-rows.
func TestSingleOtherRowStoredAndRolledUp(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	rng := rand.New(rand.NewPCG(3, 4))
	single := randomReport(rng, "威海市文登区泽库镇人民政府", 2023, gongkai.V2021,
		gongkai.Body{DivisionCode: "371003104", County: "文登区", Township: "泽库镇", Type: "township_government"})
	single.UseSingleOther(true)
	for _, k := range []string{"3_6_1", "3_6_2", "3_6_3"} {
		*single.Applications[k] = [gongkai.NumColumns]gongkai.Num{}
	}
	single.Applications[gongkai.RowOtherHandled][6] = gongkai.Int(9)
	plain := randomReport(rng, "文登区教育和体育局", 2023, gongkai.V2021,
		gongkai.Body{DivisionCode: "371003", County: "文登区", Type: "county_department"})
	if _, err := s.Put(ctx, []gongkai.Parsed{parsed(single), parsed(plain)}); err != nil {
		t.Fatal(err)
	}
	res, err := s.Query(ctx, `SELECT row_label FROM applications WHERE row_key = '3_6' AND col_key = 'total'`)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 || res.Rows[0][0] != "（六）其他处理" {
		t.Fatalf("stored 3_6 label: %v", res.Rows)
	}
	res, err = s.Query(ctx, `SELECT r.organization, CAST(m.other_handled AS BIGINT)
		FROM report_measures m JOIN reports r USING (report_id) ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	subs := int64(0)
	for _, k := range []string{"3_6_1", "3_6_2", "3_6_3"} {
		v, _ := plain.Applications[k][6].Int64()
		subs += v
	}
	want := map[string]int64{"威海市文登区泽库镇人民政府": 9, "文登区教育和体育局": subs}
	for _, row := range res.Rows {
		if got, _ := row[1].(int64); got != want[row[0].(string)] {
			t.Errorf("%s other_handled = %v, want %d", row[0], row[1], want[row[0].(string)])
		}
	}
	c, err := compile.Sum(ctx, s, division.CodePrefix("371003"), 2023)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Report.SingleOther {
		t.Fatal("compiled report does not print the single （六） row")
	}
	if got := c.Report.Applications[gongkai.RowOtherHandled][6]; got != gongkai.Int(9+subs) {
		t.Errorf("compiled 3_6 total = %v, want %d (9 + the department's sub-rows)", got, 9+subs)
	}
	if got := c.Report.Applications["3_6_1"][6]; got.Valid() {
		t.Errorf("compiled 3_6_1 = %v, want null (one body did not state it)", got)
	}
}
