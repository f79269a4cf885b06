package store

import (
	"strings"
	"testing"

	"gongkai"
)

// A null operand in a cross-year rule must give a not-checkable finding
// with a message, not abort the rules: DuckDB's format() returns NULL
// when any argument is NULL, and findings.message is NOT NULL. Found on
// the real corpus (平潭 2019/2020 reports with cells the glued reader left
// unsettled).
func TestCrossRulesWithNullOperands(t *testing.T) {
	s, _ := openTemp(t)
	body := gongkai.Body{}
	var batch []gongkai.Parsed
	for _, tc := range []struct {
		year int
		v    gongkai.Version
	}{{2019, gongkai.V2019}, {2020, gongkai.V2019}, {2021, gongkai.V2021}, {2022, gongkai.V2021}} {
		r := zeroReport("平潭综合实验区", tc.year, tc.v, body)
		switch tc.year {
		case 2019:
			r.Active["licensing"]["change"] = gongkai.Null
		case 2022:
			r.Active["regulations"]["issued"] = gongkai.Null
		}
		batch = append(batch, parsed(r))
	}
	if _, err := s.Put(t.Context(), batch); err != nil {
		t.Fatal(err)
	}
	if err := s.RunCrossRules(t.Context()); err != nil {
		t.Fatalf("RunCrossRules: %v", err)
	}
	fs := storeFindings(t, s)
	for _, want := range []struct {
		year  int64
		where string
	}{{2020, "active.licensing.prev_year_items"}, {2022, "active.regulations.in_force"}} {
		if !has(fs, "平潭综合实验区", want.year, "R7", "not_checkable", want.where) {
			t.Errorf("no R7 not_checkable finding at %s for %d: %+v", want.where, want.year, fs)
		}
	}
	res, err := s.Query(t.Context(), `SELECT message FROM findings WHERE scope = 'store' AND message LIKE '%null operand%'`)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) < 2 {
		t.Fatalf("want null-operand messages, got %v", res.Rows)
	}
	for _, row := range res.Rows {
		if m, _ := row[0].(string); !strings.Contains(m, "null") {
			t.Errorf("message does not name the null: %q", m)
		}
	}
}
