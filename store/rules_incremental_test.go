package store

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai"
)

// allStoreFindings lists every store-scope finding with its report id,
// sorted, so two runs can be compared row for row.
func allStoreFindings(t *testing.T, s *Store) []string {
	t.Helper()
	res, err := s.Query(t.Context(), `SELECT report_id, rule, severity, status, array_to_string("where", ','), message
		FROM findings WHERE scope = 'store' ORDER BY ALL`)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(res.Rows))
	for i, row := range res.Rows {
		out[i] = fmt.Sprint(row...)
	}
	return out
}

// chainReport is a report of body b for year with cells drawn from rng:
// small numbers, so neighbouring years agree often and disagree often,
// and a few nulls.
func chainReport(rng *rand.Rand, org string, year int, b gongkai.Body) *gongkai.Report {
	v := gongkai.V2021
	if year < 2021 {
		v = gongkai.V2019
	}
	r := zeroReport(org, year, v, b)
	for _, c := range r.Cells() {
		switch n := rng.IntN(10); {
		case n == 0:
			_ = r.Set(c.Path(), gongkai.Null)
		case n < 5:
			_ = r.Set(c.Path(), gongkai.Int(int64(rng.IntN(3))))
		}
	}
	return r
}

// TestUpdateCrossRulesEqualsFull ingests a set, then changes (a report
// replaced in the middle of a chain, a new year, a new whole-area report,
// a township placed anew, a department's report replaced) and checks after
// each step that the incremental findings equal a full recompute.
func TestUpdateCrossRulesEqualsFull(t *testing.T) {
	old := crossChunk
	crossChunk = 7 // several chunks per run
	t.Cleanup(func() { crossChunk = old })
	s, _ := openTemp(t)
	ctx := t.Context()
	rng := rand.New(rand.NewPCG(1, 2))

	town := func(code, name string) gongkai.Body {
		return gongkai.Body{DivisionCode: code, Province: "山东省", City: "威海市", County: "文登区", Township: name, Type: "township_government"}
	}
	dept := gongkai.Body{DivisionCode: "371003", Province: "山东省", City: "威海市", County: "文登区", Type: "county_department"}
	whole := gongkai.Body{DivisionCode: "371003", Province: "山东省", City: "威海市", County: "文登区", Type: "county_aggregate", Aggregate: true}
	city := gongkai.Body{DivisionCode: "371000", Province: "山东省", City: "威海市", Type: "city_aggregate", Aggregate: true}
	towns := []struct {
		org string
		b   gongkai.Body
	}{
		{"泽库镇人民政府", town("371003104", "泽库镇")},
		{"侯家镇人民政府", town("371003105", "侯家镇")},
		{"宋村镇人民政府", town("371003106", "宋村镇")},
		{"龙山街道办事处", gongkai.Body{DivisionCode: "371003001", County: "文登区", Township: "龙山街道", Type: "street_office"}},
	}
	put := func(reports ...*gongkai.Report) {
		t.Helper()
		batch := make([]gongkai.Parsed, len(reports))
		for i, r := range reports {
			p := parsed(r)
			// Distinct content per call, so a changed report replaces.
			p.Hash = fmt.Sprintf("%x-%d", rng.Uint64(), i)
			batch[i] = p
		}
		if _, err := s.Put(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	check := func(step string) {
		t.Helper()
		if err := s.UpdateCrossRules(ctx); err != nil {
			t.Fatalf("%s: UpdateCrossRules: %v", step, err)
		}
		if n := scalar(t, s, `SELECT count(*) FROM cross_pending`); n != int64(0) {
			t.Errorf("%s: %v rows left in cross_pending", step, n)
		}
		inc := allStoreFindings(t, s)
		if err := s.RunCrossRules(ctx); err != nil {
			t.Fatalf("%s: RunCrossRules: %v", step, err)
		}
		full := allStoreFindings(t, s)
		if len(full) < 10 {
			t.Fatalf("%s: only %d findings; the test data checks too little", step, len(full))
		}
		if d := cmp.Diff(full, inc); d != "" {
			t.Errorf("%s: incremental findings differ from a full recompute (-full +incremental):\n%s", step, d)
		}
	}

	// 2019–2023 for the townships, a department and the district; the
	// department arrives in two batches, newest year first.
	var first []*gongkai.Report
	for y := 2019; y <= 2023; y++ {
		for _, tw := range towns {
			first = append(first, chainReport(rng, tw.org, y, tw.b))
		}
		first = append(first, chainReport(rng, "文登区全区", y, whole))
	}
	put(first...)
	put(chainReport(rng, "文登区教育和体育局", 2023, dept), chainReport(rng, "文登区教育和体育局", 2022, dept))
	check("first ingest")

	// Nothing pending: nothing recomputed, nothing changed.
	before := allStoreFindings(t, s)
	if err := s.UpdateCrossRules(ctx); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(before, allStoreFindings(t, s)); d != "" {
		t.Errorf("an update with nothing pending changed findings:\n%s", d)
	}

	// A report in the middle of a chain replaced (t−1 of 2022, t+1 of 2020,
	// a part of the 2021 district report).
	put(chainReport(rng, "侯家镇人民政府", 2021, towns[1].b))
	check("replaced in the middle")

	// A new year for two townships and the district.
	put(chainReport(rng, "泽库镇人民政府", 2024, towns[0].b), chainReport(rng, "宋村镇人民政府", 2024, towns[2].b))
	put(chainReport(rng, "文登区全区", 2024, whole))
	check("new year")

	// A new whole-area report: the city, whose parts are every report of
	// the district; and a 2022 department report missing before.
	put(chainReport(rng, "威海市全市", 2022, city), chainReport(rng, "文登区教育和体育局", 2021, dept))
	check("new aggregate")

	// A township's 2020 report placed anew under another code: its old
	// body loses the year, its new body gains it.
	moved := chainReport(rng, "宋村镇人民政府", 2020, town("371003107", "宋村镇"))
	put(moved)
	check("placed anew")

	// The city report itself replaced, and a part of it unplaced.
	put(chainReport(rng, "威海市全市", 2022, city), chainReport(rng, "龙山街道办事处", 2022, gongkai.Body{}))
	check("aggregate replaced, part unplaced")

	if got := allStoreFindings(t, s); !strings.Contains(strings.Join(got, "\n"), "R9") {
		t.Errorf("no R9 finding in the final store")
	}
}

// TestCrossRulesResetThreshold checks that UpdateCrossRules gives its
// connection back to the pool with DuckDB's own dynamic_or_filter_threshold:
// crossInFilterMax is for the cross rules, not for every later query.
func TestCrossRulesResetThreshold(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	setting := func(conn *sql.Conn) string {
		t.Helper()
		var v string
		if err := conn.QueryRowContext(ctx, `SELECT current_setting('dynamic_or_filter_threshold')::VARCHAR`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := setting(conn)
	conn.Close()
	b := gongkai.Body{DivisionCode: "371003104", County: "文登区", Township: "泽库镇", Type: "township_government"}
	if _, err := s.Put(ctx, []gongkai.Parsed{parsed(zeroReport("泽库镇人民政府", 2023, gongkai.V2021, b))}); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateCrossRules(ctx); err != nil {
		t.Fatal(err)
	}
	// Hold every open connection at once, so the one the rules used is
	// among them.
	n := s.db.Stats().OpenConnections
	for i := 0; i < n; i++ {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if got := setting(conn); got != want {
			t.Errorf("connection %d of %d: dynamic_or_filter_threshold %s after UpdateCrossRules, want %s", i+1, n, got, want)
		}
	}
}
