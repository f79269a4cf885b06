package store

import (
	"fmt"
	"testing"

	"gongkai"
	"gongkai/division"
	"gongkai/gen"
)

// Put writes report_facts from Go (putfacts.go) on a store of this schema,
// and the rows equal report_facts_of's derivation from the cells for every
// shape of record: both layouts, the 2021 layout printed with a single
// （六）其他处理 row, blank (null) cells, unplaced reports (groupings from
// the organization's name), an aggregate, departments, townships.
func TestReportFactsFromGoEqualTheSQLDerivation(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	inGo, err := factsInGo(ctx, conn)
	conn.Close()
	if err != nil {
		t.Fatal(err)
	}
	if !inGo {
		t.Fatal("report_facts' columns differ from factColumns: Put derives them in SQL (update factsRow to the schema)")
	}

	items, err := gen.Build(gen.Options{District: "威海市文登区", Townships: 4, Departments: 3,
		FirstYear: 2019, LastYear: 2023, Seed: 17, Violations: 0.2, Blanks: 0.4, SingleOther: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	var batch []gongkai.Parsed
	for i, it := range items {
		if it.Violation == "R5" {
			continue
		}
		r := it.Record
		switch i % 4 {
		case 0: // unplaced: district, kind and township name come from the name
		case 1:
			r.Body, _ = division.Default().Resolve(r.Organization, division.Hint{District: "文登区"})
		case 2:
			r.Body, _ = division.Default().Resolve(r.Organization, division.Hint{District: "文登区"})
			r.Body.Aggregate = true
		case 3: // a placement without a county
			r.Body = gongkai.Body{DivisionCode: "371003", Type: "county_government"}
		}
		batch = append(batch, gongkai.Parsed{Report: r, Path: it.Base + ".json", Hash: fmt.Sprintf("g-%s", it.Base), Rendering: "json"})
	}
	// Names the groupings' patterns must read, with no placement.
	for i, org := range []string{"某某县某某镇人民政府", "某市某某街道办事处", "某某旗教育局", "没有区划的单位", "甲乙区丙镇党委"} {
		r := *batch[0].Report
		r.Organization, r.Body = org, gongkai.Body{}
		batch = append(batch, gongkai.Parsed{Report: &r, Path: fmt.Sprintf("named%d.json", i), Hash: fmt.Sprintf("named%d", i), Rendering: "json"})
	}
	if _, err := s.Put(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if d := factsDiffer(t, s); d != 0 {
		t.Fatalf("%d report_facts rows written from Go differ from report_facts_of", d)
	}
	if n := scalar(t, s, `SELECT count(*) FROM report_facts`).(int64); n != int64(len(batch)) {
		t.Fatalf("%d facts rows for %d reports", n, len(batch))
	}
	// The test can fail: a facts row changed by hand differs.
	if _, err := s.db.ExecContext(ctx, `UPDATE report_facts SET requests_new = coalesce(requests_new, 0) + 1 WHERE report_id = (SELECT min(report_id) FROM report_facts)`); err != nil {
		t.Fatal(err)
	}
	if d := factsDiffer(t, s); d == 0 {
		t.Fatal("a changed facts row went unnoticed")
	}
}
